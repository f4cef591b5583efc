import { SATELLITE_CSV_COLUMNS } from '@lakestream/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SatelliteCsvError } from '../errors.js';
import { formatSatelliteCsv, SATELLITE_CSV_HEADER } from './format.js';
import { generateSatelliteRows, SATELLITE_COLUMN_RANGES, type SatelliteRow } from './generate.js';
import { csvRowErrorToError, parseField, parseSatelliteCsv, parseSatelliteCsvChunks } from './parse.js';

const parse = (text: string) => parseSatelliteCsv(text, 'sat7.csv', 'sat7');
const ROW = '12.50,40.00,500.25,0.10,-0.20,0.30';

/** A valid row: each value a whole number of hundredths within its range. */
const rowArb: fc.Arbitrary<SatelliteRow> = fc.record(
  Object.fromEntries(
    SATELLITE_CSV_COLUMNS.map((c) => [
      c,
      fc.integer({ min: Math.ceil(SATELLITE_COLUMN_RANGES[c].min * 100), max: Math.floor(SATELLITE_COLUMN_RANGES[c].max * 100) }).map((n) => n / 100),
    ]),
  ) as { [K in keyof SatelliteRow]: fc.Arbitrary<number> },
);

describe('parseSatelliteCsv', () => {
  it('reads the rows of a generated file exactly', () => {
    const rows = generateSatelliteRows(2, { samples: 500 });
    const result = parse(formatSatelliteCsv(rows));
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual(rows);
    expect(result.satellite).toBe('sat7');
  });

  it('accepts CRLF, a BOM, blank lines, spaces around values, a reordered header and exponents', () => {
    const text = `\uFEFFsensor3,sensor2,sensor1,altitude,battery_charge_pct,temp_c\r\n\r\n 0.3 ,-0.2,1e-1,500.25,40,12.5\r\n`;
    const result = parse(text);
    expect(result.errors).toEqual([]);
    expect(result.samples).toEqual([{ temp_c: 12.5, battery_charge_pct: 40, altitude: 500.25, sensor1: 0.1, sensor2: -0.2, sensor3: 0.3 }]);
  });

  it('names file:line, column and problem for each bad row, and skips only those rows', () => {
    const text = [
      SATELLITE_CSV_HEADER,
      ROW,
      '12.50,40.00,500.25,0.10,-0.20', // line 3: short
      '12.50,abc,500.25,0.10,-0.20,0.30', // line 4: not a number
      '12.50,40.00,5000,0.10,-0.20,0.30', // line 5: altitude out of range
      '12.50,40.00,500.25,0.10,-0.20,0.30,7', // line 6: long
      'NaN,40.00,500.25,0.10,-0.20,0.30', // line 7
      '0x10,40.00,500.25,0.10,-0.20,0.30', // line 8: hex is not a decimal
      ROW,
    ].join('\n');
    const result = parse(text);
    expect(result.samples).toHaveLength(2);
    expect(result.errors.map((e) => [e.line, e.code, e.column])).toEqual([
      [3, 'FIELD_COUNT', undefined],
      [4, 'NOT_A_NUMBER', 'battery_charge_pct'],
      [5, 'OUT_OF_RANGE', 'altitude'],
      [6, 'FIELD_COUNT', undefined],
      [7, 'NOT_A_NUMBER', 'temp_c'],
      [8, 'NOT_A_NUMBER', 'temp_c'],
    ]);
    expect(result.errors[1]?.message).toBe("sat7.csv:4: battery_charge_pct: 'abc' is not a finite decimal number");
    expect(result.errors[2]?.message).toBe('sat7.csv:5: altitude: 5000 is outside 160..2000');
    expect(result.errors[0]?.message).toMatch(/^sat7\.csv:3: expected 6 fields, found 5/);
  });

  it('reports a missing header and still reads the rows in the standard order', () => {
    const result = parse(`${ROW}\n${ROW}\n`);
    expect(result.errors.map((e) => [e.line, e.code])).toEqual([[1, 'MISSING_HEADER']]);
    expect(result.samples).toHaveLength(2);
    expect(parse('').errors.map((e) => e.code)).toEqual(['MISSING_HEADER']);
  });

  it('reports unknown and missing header columns; without all six columns no row is read', () => {
    const unknown = parse(`${SATELLITE_CSV_HEADER},extra\n${ROW},1\n`);
    expect(unknown.errors.map((e) => [e.line, e.code, e.column])).toEqual([[1, 'UNKNOWN_COLUMN', 'extra']]);
    expect(unknown.samples).toHaveLength(1);
    const missing = parse(`temp_c,battery_charge_pct,altitude,sensor1,sensor2,sensorX\n${ROW}\n`);
    expect(missing.errors.map((e) => [e.line, e.code, e.column])).toEqual([
      [1, 'UNKNOWN_COLUMN', 'sensorX'],
      [1, 'MISSING_COLUMN', 'sensor3'],
    ]);
    expect(missing.samples).toEqual([]);
    const duplicate = parse(`${SATELLITE_CSV_HEADER},temp_c\n${ROW},1\n`);
    expect(duplicate.errors.map((e) => e.code)).toEqual(['DUPLICATE_COLUMN']);
  });

  it('turns an error into a typed SatelliteCsvError for --strict callers', () => {
    const [error] = parse(`${SATELLITE_CSV_HEADER}\n1,2\n`).errors;
    const thrown = csvRowErrorToError(error as NonNullable<typeof error>);
    expect(thrown).toBeInstanceOf(SatelliteCsvError);
    expect(thrown.code).toBe('CSV_INVALID');
    expect(thrown.retriable).toBe(false);
    expect(thrown.context).toEqual({ path: 'sat7.csv', line: 2 });
    expect(thrown.message).toMatch(/^sat7\.csv:2: expected 6 fields, found 2/);
    const [nan] = parse(`${SATELLITE_CSV_HEADER}\n1,2,x,4,5,6\n`).errors;
    const withColumn = csvRowErrorToError(nan as NonNullable<typeof nan>);
    expect(withColumn.message).toBe("sat7.csv:2: altitude: 'x' is not a finite decimal number");
    expect(withColumn.message).toBe(nan?.message);
    expect(withColumn.context).toEqual({ path: 'sat7.csv', line: 2, column: 'altitude' });
  });

  it('parses plain decimals bit-identically to Number()', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }), fc.integer({ min: 0, max: 15 }), (mantissa, decimals) => {
        const digits = Math.abs(mantissa).toString().padStart(decimals + 1, '0');
        const text = `${mantissa < 0 ? '-' : ''}${digits.slice(0, digits.length - decimals)}${decimals ? '.' : ''}${digits.slice(digits.length - decimals)}`;
        expect(Object.is(parseField(text, 0, text.length), Number(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  describe('properties', () => {
    it('never throws, whatever the text', () => {
      const csvish = fc.array(fc.constantFrom('1', '-', '.', ',', '\n', '\r', ' ', 'e', 'temp_c', 'altitude', SATELLITE_CSV_HEADER, ROW, '\uFEFF', '"'), {
        maxLength: 60,
      });
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), csvish.map((parts) => parts.join(''))), (text) => {
          const result = parse(text);
          for (const e of result.errors) expect(e.line).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: 1000 },
      );
    });

    it('round-trips valid rows through format → parse', () => {
      fc.assert(
        fc.property(fc.array(rowArb, { maxLength: 50 }), (rows) => {
          const result = parse(formatSatelliteCsv(rows));
          expect(result.errors).toEqual([]);
          expect(result.samples).toEqual(rows);
        }),
        { numRuns: 300 },
      );
    });

    it('reports each corrupted line, with its line number, and keeps every other row', () => {
      const corruption = fc.constantFrom('drop-field', 'extra-field', 'not-a-number', 'out-of-range', 'empty-field');
      const corrupt = (line: string, kind: string, column: number): string => {
        const fields = line.split(',');
        switch (kind) {
          case 'drop-field':
            fields.splice(column, 1);
            break;
          case 'extra-field':
            fields.splice(column, 0, '1.00');
            break;
          case 'not-a-number':
            fields[column] = 'x' + fields[column];
            break;
          case 'out-of-range':
            fields[column] = String(SATELLITE_COLUMN_RANGES[SATELLITE_CSV_COLUMNS[column] as keyof SatelliteRow].max + 1);
            break;
          default:
            fields[column] = '';
        }
        return fields.join(',');
      };
      fc.assert(
        fc.property(
          fc.array(rowArb, { minLength: 1, maxLength: 40 }),
          fc.array(fc.tuple(fc.nat(), corruption, fc.integer({ min: 0, max: 5 })), { maxLength: 10 }),
          (rows, corruptions) => {
            const lines = formatSatelliteCsv(rows).split('\n');
            const bad = new Map<number, string>();
            for (const [at, kind, column] of corruptions) {
              const index = 1 + (at % rows.length); // line index in `lines`; file line number = index + 1
              if (!bad.has(index)) bad.set(index, corrupt(lines[index] as string, kind, column));
            }
            for (const [index, text] of bad) lines[index] = text;
            const result = parse(lines.join('\n'));
            expect(result.errors.map((e) => e.line)).toEqual([...bad.keys()].sort((a, b) => a - b).map((i) => i + 1));
            expect(result.samples).toEqual(rows.filter((_, k) => !bad.has(k + 1)));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('gives the same result however the text is split into chunks', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(rowArb, { maxLength: 20 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.boolean(),
          async (rows, cuts, asBytes) => {
            const text = formatSatelliteCsv(rows) + 'bad,row\n';
            const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
            const pieces = [0, ...points].map((from, i) => text.slice(from, points[i] ?? text.length));
            const chunks = asBytes ? pieces.map((p) => new TextEncoder().encode(p)) : pieces;
            const samples: SatelliteRow[] = [];
            const errors: unknown[] = [];
            for await (const part of parseSatelliteCsvChunks(chunks, 'sat7.csv', 'sat7')) {
              samples.push(...part.samples);
              errors.push(...part.errors);
            }
            const whole = parse(text);
            expect(samples).toEqual(whole.samples);
            expect(errors).toEqual(whole.errors);
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
