/**
 * Satellite CSV reader. Bad rows are values, not exceptions: each becomes a
 * CsvRowError naming `file:line`, the column and the problem, and is skipped;
 * the caller decides whether that is fatal (--strict). Never throws on any
 * input text.
 */
import { SATELLITE_CSV_COLUMNS } from '@lakestream/schema';
import { SatelliteCsvError } from '../errors.js';
import { SATELLITE_COLUMN_RANGES, type SatelliteColumn, type SatelliteRow } from './generate.js';

export type CsvRowErrorCode =
  | 'MISSING_HEADER'
  | 'UNKNOWN_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'MISSING_COLUMN'
  | 'FIELD_COUNT'
  | 'NOT_A_NUMBER'
  | 'OUT_OF_RANGE';

/** One rejected line (or header problem). At most one error per data line: its first problem. */
export interface CsvRowError {
  readonly code: CsvRowErrorCode;
  readonly file: string;
  readonly satellite: string;
  /** 1-based line number in the file. */
  readonly line: number;
  /** The column at fault, when one is. */
  readonly column?: SatelliteColumn | string;
  /** What was wrong, e.g. `'abc' is not a finite decimal number`. */
  readonly problem: string;
  /** `file:line: column: problem`, ready to print. */
  readonly message: string;
}

export interface SatelliteCsvParseResult {
  readonly satellite: string;
  readonly samples: SatelliteRow[];
  readonly errors: CsvRowError[];
}

const COLUMN_COUNT = SATELLITE_CSV_COLUMNS.length;
const MIN = SATELLITE_CSV_COLUMNS.map((c) => SATELLITE_COLUMN_RANGES[c].min);
const MAX = SATELLITE_CSV_COLUMNS.map((c) => SATELLITE_COLUMN_RANGES[c].max);
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SHOWN_TEXT = 40;

/** Parses a whole CSV text. */
export function parseSatelliteCsv(text: string, file: string, satellite: string): SatelliteCsvParseResult {
  const parser = new SatelliteCsvParser(file, satellite);
  parser.push(text);
  parser.end();
  return parser.take();
}

/**
 * Parses CSV chunks as they arrive (file streams, worker messages), yielding
 * the rows and errors of each chunk. Byte chunks are decoded as UTF-8.
 */
export async function* parseSatelliteCsvChunks(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  file: string,
  satellite: string,
): AsyncGenerator<SatelliteCsvParseResult> {
  const parser = new SatelliteCsvParser(file, satellite);
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield parser.take();
  }
  parser.push(decoder.decode());
  parser.end();
  yield parser.take();
}

/** The exception for a --strict caller. */
export function csvRowErrorToError(error: CsvRowError): SatelliteCsvError {
  return new SatelliteCsvError(error.file, error.line, error.column, error.problem);
}

/** Incremental line parser behind both entry points: push text, end, take what was parsed. */
export class SatelliteCsvParser {
  private samples: SatelliteRow[] = [];
  private errors: CsvRowError[] = [];
  private rest = '';
  private line = 0;
  private headerSeen = false;
  /** For each field position of the header: the column index it feeds, or -1 to ignore it. */
  private order: number[] = SATELLITE_CSV_COLUMNS.map((_, j) => j);
  private usable = true;
  private readonly values = new Float64Array(COLUMN_COUNT);

  constructor(
    readonly file: string,
    readonly satellite: string,
  ) {}

  push(chunk: string): void {
    let text = this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.onLine(text, start, nl);
      start = nl + 1;
    }
    text = text.slice(start);
    this.rest = text;
  }

  end(): void {
    if (this.rest.length > 0) this.onLine(this.rest, 0, this.rest.length);
    this.rest = '';
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.fail('MISSING_HEADER', Math.max(1, this.line), undefined, `file is empty; expected header ${SATELLITE_CSV_COLUMNS.join(',')}`);
    }
  }

  /** Rows and errors parsed since the last take. */
  take(): SatelliteCsvParseResult {
    const result = { satellite: this.satellite, samples: this.samples, errors: this.errors };
    this.samples = [];
    this.errors = [];
    return result;
  }

  private onLine(text: string, start: number, end: number): void {
    this.line++;
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // CRLF
    if (this.line === 1 && text.charCodeAt(start) === 0xfeff) start++; // BOM
    if (isBlank(text, start, end)) return;
    if (!this.headerSeen) {
      this.headerSeen = true;
      if (this.onHeader(text.slice(start, end))) return;
    }
    if (this.usable) this.onRow(text, start, end);
  }

  /** True when the line was a header; false when it was data (header missing). */
  private onHeader(line: string): boolean {
    const names = line.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
    const known = names.some((name) => (SATELLITE_CSV_COLUMNS as readonly string[]).includes(name));
    if (!known && names.some((name) => !Number.isNaN(parseField(name, 0, name.length)))) {
      // Numbers where names belong: the header is missing. Read the data in the standard order.
      this.fail('MISSING_HEADER', this.line, undefined, `no header line; expected ${SATELLITE_CSV_COLUMNS.join(',')} (reading columns in that order)`);
      return false;
    }
    const seen = new Set<number>();
    this.order = names.map((name) => {
      const j = (SATELLITE_CSV_COLUMNS as readonly string[]).indexOf(name);
      if (j === -1) {
        this.fail('UNKNOWN_COLUMN', this.line, name, `unknown column '${clip(name)}' (ignored); expected ${SATELLITE_CSV_COLUMNS.join(',')}`);
        return -1;
      }
      if (seen.has(j)) {
        this.fail('DUPLICATE_COLUMN', this.line, name, `column '${name}' appears twice (second ignored)`);
        return -1;
      }
      seen.add(j);
      return j;
    });
    SATELLITE_CSV_COLUMNS.forEach((column, j) => {
      if (!seen.has(j)) {
        this.fail('MISSING_COLUMN', this.line, column, `header lacks column '${column}'; no rows of this file can be read`);
        this.usable = false;
      }
    });
    return true;
  }

  private onRow(text: string, start: number, end: number): void {
    const order = this.order;
    const values = this.values;
    let field = 0;
    let from = start;
    for (let i = start; i <= end; i++) {
      if (i < end && text.charCodeAt(i) !== 44) continue; // ','
      if (field < order.length) {
        const j = order[field] as number;
        if (j >= 0) {
          const value = parseField(text, from, i);
          const column = SATELLITE_CSV_COLUMNS[j] as SatelliteColumn;
          if (value !== value) {
            // Report a field count problem first: a short/long row misaligns every field.
            if (countFields(text, start, end) !== order.length) return this.fieldCount(text, start, end);
            return this.fail('NOT_A_NUMBER', this.line, column, `'${clip(text.slice(from, i))}' is not a finite decimal number`);
          }
          if (value < (MIN[j] as number) || value > (MAX[j] as number)) {
            if (countFields(text, start, end) !== order.length) return this.fieldCount(text, start, end);
            return this.fail('OUT_OF_RANGE', this.line, column, `${clip(text.slice(from, i).trim())} is outside ${MIN[j]}..${MAX[j]}`);
          }
          values[j] = value;
        }
      }
      field++;
      from = i + 1;
    }
    if (field !== order.length) return this.fieldCount(text, start, end);
    this.samples.push({
      temp_c: values[0] as number,
      battery_charge_pct: values[1] as number,
      altitude: values[2] as number,
      sensor1: values[3] as number,
      sensor2: values[4] as number,
      sensor3: values[5] as number,
    });
  }

  private fieldCount(text: string, start: number, end: number): void {
    const count = countFields(text, start, end);
    this.fail('FIELD_COUNT', this.line, undefined, `expected ${this.order.length} fields, found ${count}: '${clip(text.slice(start, end))}'`);
  }

  private fail(code: CsvRowErrorCode, line: number, column: string | undefined, problem: string): void {
    const where = `${this.file}:${line}`;
    this.errors.push({
      code,
      file: this.file,
      satellite: this.satellite,
      line,
      ...(column === undefined ? {} : { column }),
      problem,
      message: column === undefined ? `${where}: ${problem}` : `${where}: ${clip(column)}: ${problem}`,
    });
  }
}

function countFields(text: string, start: number, end: number): number {
  let count = 1;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 44) count++;
  return count;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function clip(text: string): string {
  return text.length > SHOWN_TEXT ? `${text.slice(0, SHOWN_TEXT)}…` : text;
}

/**
 * The decimal number in text[start, end) (spaces around allowed), or NaN.
 * Fast path for plain decimals of up to 15 digits: integer / 10^k is one
 * correctly rounded division, so it equals Number(text) bit for bit.
 */
export function parseField(text: string, start: number, end: number): number {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) decimals++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (i === end && digits > 0 && digits <= 15) {
    const value = mantissa / (POW10[decimals] as number);
    return negative ? -value : value;
  }
  if (digits === 0 && i === end) return NaN;
  const slice = text.slice(start, end);
  if (!DECIMAL.test(slice)) return NaN;
  const value = Number(slice);
  return Number.isFinite(value) ? value : NaN;
}
