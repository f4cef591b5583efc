/**
 * `validate(table, suite, options)`: every expectation of the suite against
 * an Arrow table, column-wise, as a result value. Bad data never throws: an
 * expectation that cannot apply fails with `error` set and the others still
 * run. Options out of range throw `INVALID_OPTIONS`; a suite with `mostly`
 * or `severity` out of range throws `INVALID_SUITE`.
 */
import type * as arrow from 'apache-arrow';
import { renderCell } from './cell.js';
import { columnIndex, type Column } from './column.js';
import { QualityError } from './errors.js';
import { evaluate } from './evaluate.js';
import { ROW_EXPECTATIONS, type Expectation, type Severity, type Suite } from './expectation.js';
import { expectationColumns, expectationName } from './expectation-name.js';
import { FAIL } from './kernels/outcome.js';
import { RESULT_FORMATS, type ExpectationResult, type JsonCell, type ResultFormat, type ValidationResult } from './result.js';
import { suiteHash } from './suite-hash.js';
import { buildVerdict, type RowFailures } from './verdict.js';

export interface ValidateOptions {
  /** GE's result format (default BASIC). */
  readonly resultFormat?: ResultFormat;
  /** The clock freshness is judged against (default: now). */
  readonly now?: Date | number;
  /** The run's identity in results (default: the ISO time of `now`). */
  readonly runId?: string;
  /** The suite's content hash, when the caller has it already (default: `suiteHash(suite)`). */
  readonly suiteHash?: string;
}

/** How many unexpected values BASIC and SUMMARY list. */
export const PARTIAL_UNEXPECTED_COUNT = 20;

const ROW_KINDS: ReadonlySet<string> = new Set(ROW_EXPECTATIONS);
/** Row kinds whose quarantine reason shows no value. */
const NAME_ONLY: ReadonlySet<string> = new Set([
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_unique',
  'expect_compound_columns_to_be_unique',
  'expect_column_values_to_be_increasing',
]);

export function validate(table: arrow.Table, suite: Suite, options: ValidateOptions = {}): ValidationResult {
  const resultFormat = options.resultFormat ?? 'BASIC';
  if (!RESULT_FORMATS.includes(resultFormat)) throw new QualityError('INVALID_OPTIONS', `resultFormat must be one of ${RESULT_FORMATS.join(', ')}, got ${String(resultFormat)}`, { option: 'resultFormat' });
  const nowMs = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now;
  if (typeof nowMs !== 'number' || Number.isNaN(new Date(nowMs).getTime())) throw new QualityError('INVALID_OPTIONS', `now must be a valid Date or epoch milliseconds, got ${String(options.now)}`, { option: 'now' });
  if (options.runId !== undefined && typeof options.runId !== 'string') throw new QualityError('INVALID_OPTIONS', 'runId must be a string', { option: 'runId' });
  if (options.suiteHash !== undefined && typeof options.suiteHash !== 'string') throw new QualityError('INVALID_OPTIONS', 'suiteHash must be a string', { option: 'suiteHash' });
  const expectations = checkSuite(suite);
  const runAt = new Date(nowMs).toISOString();
  const rowCount = table.numRows;
  const names = namesOf(suite);
  const column = columnIndex(table);

  let out = new Uint8Array(rowCount);
  const failures: RowFailures[] = [];
  const results: ExpectationResult[] = expectations.map((e, id) => {
    const severity: Severity = e.severity ?? 'error';
    const mostly = e.mostly ?? 1;
    let evaluation: ReturnType<typeof evaluate>;
    try {
      evaluation = evaluate(e, { table, nowMs, column }, out);
    } catch (err) {
      evaluation = { kind: 'error', error: err instanceof Error ? err.message : String(err) };
      out = new Uint8Array(rowCount); // it may have marked rows before it threw
    }
    // Plain literals of one shape (object spreads here cost microseconds per expectation).
    const result: ExpectationResult = {
      id,
      name: names[id] as string,
      type: e.type,
      columns: expectationColumns(e),
      severity,
      mostly,
      success: false,
      evaluated: 0,
      unexpected: 0,
      unexpectedPercent: 0,
      missing: 0,
    };
    if (evaluation.kind === 'error') {
      result.error = evaluation.error;
      return result;
    }
    if (evaluation.kind === 'aggregate') {
      const outcome = evaluation.outcome;
      result.success = outcome.success;
      result.evaluated = outcome.evaluated;
      result.missing = outcome.missing;
      if (resultFormat !== 'BOOLEAN_ONLY') result.observed = outcome.observed;
      return result;
    }
    const { unexpected, missing } = evaluation.tally;
    const evaluated = e.type === 'expect_column_values_to_not_be_null' ? rowCount : rowCount - missing;
    result.success = evaluated === 0 || (evaluated - unexpected) / evaluated >= mostly;
    result.evaluated = evaluated;
    result.unexpected = unexpected;
    result.unexpectedPercent = evaluated === 0 ? 0 : (100 * unexpected) / evaluated;
    result.missing = missing;
    if (resultFormat !== 'BOOLEAN_ONLY') unexpectedDetails(result, e, column, out, unexpected, resultFormat);
    if (unexpected > 0 && ROW_KINDS.has(e.type)) {
      failures.push({ id, severity, out });
      out = new Uint8Array(rowCount);
    }
    return result;
  });

  const verdict = buildVerdict(rowCount, failures, (id, row) => {
    const e = expectations[id] as Expectation;
    const name = names[id] as string;
    if (NAME_ONLY.has(e.type)) return name;
    return `${name} (got ${showValue(e, column, row)})`;
  });
  const successful = results.filter((r) => r.success).length;
  return {
    format: 1,
    suite: { name: suite.name, hash: options.suiteHash ?? hashOf(suite) },
    runId: options.runId ?? runAt,
    runAt,
    resultFormat,
    rowCount,
    success: successful === results.length,
    passedRows: verdict.passedCount,
    statistics: {
      evaluated: results.length,
      successful,
      unsuccessful: results.length - successful,
      successPercent: results.length === 0 ? 100 : (100 * successful) / results.length,
    },
    results,
    verdict,
  };
}

type Columns = (name: string) => Column | undefined;

/**
 * Per-suite values computed once: suites are immutable values (readonly
 * types); a suite object changed in place after its first validation keeps
 * its first hash and names — build a new suite instead.
 */
const hashes = new WeakMap<Suite, string>();
const nameLists = new WeakMap<Suite, readonly string[]>();

function hashOf(suite: Suite): string {
  let hash = hashes.get(suite);
  if (hash === undefined) hashes.set(suite, (hash = suiteHash(suite)));
  return hash;
}

function namesOf(suite: Suite): readonly string[] {
  let names = nameLists.get(suite);
  if (!names) nameLists.set(suite, (names = suite.expectations.map(expectationName)));
  return names;
}

function checkSuite(suite: Suite): readonly Expectation[] {
  if (!suite || typeof suite.name !== 'string' || !Array.isArray(suite.expectations)) throw new QualityError('INVALID_SUITE', 'a suite needs a name and an expectations array');
  suite.expectations.forEach((e, i) => {
    if (e.mostly !== undefined && !(e.mostly >= 0 && e.mostly <= 1)) throw new QualityError('INVALID_SUITE', `mostly must be within 0..1, got ${String(e.mostly)}`, { suite: suite.name, expectation: i, path: `expectations[${i}].mostly` });
    if (e.severity !== undefined && e.severity !== 'error' && e.severity !== 'warn') throw new QualityError('INVALID_SUITE', `severity must be error or warn, got ${String(e.severity)}`, { suite: suite.name, expectation: i, path: `expectations[${i}].severity` });
  });
  return suite.expectations;
}

/** BASIC: the first unexpected values; SUMMARY: their counts; COMPLETE: every unexpected row index. */
function unexpectedDetails(details: ExpectationResult, e: Expectation, table: Columns, out: Uint8Array, unexpected: number, format: ResultFormat): void {
  const rows: number[] = [];
  const all = format === 'SUMMARY' || format === 'COMPLETE';
  if (unexpected > 0) {
    for (let i = 0; i < out.length; i++) {
      if (out[i] !== FAIL) continue;
      rows.push(i);
      if (!all && rows.length === PARTIAL_UNEXPECTED_COUNT) break;
    }
  }
  details.partialUnexpectedList = rows.slice(0, PARTIAL_UNEXPECTED_COUNT).map((row) => unexpectedValue(e, table, row));
  if (format === 'BASIC') return;
  const counts = new Map<string, { value: JsonCell; count: number }>();
  for (const row of rows) {
    const value = unexpectedValue(e, table, row);
    const key = JSON.stringify(value);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { value, count: 1 });
  }
  details.partialUnexpectedCounts = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, PARTIAL_UNEXPECTED_COUNT);
  if (format === 'COMPLETE') details.unexpectedIndexList = rows;
}

/** The value an unexpected row shows: the cell, or a tuple as text for pair and compound expectations. */
function unexpectedValue(e: Expectation, table: Columns, row: number): JsonCell {
  const cell = (name: string): JsonCell => {
    const column = table(name);
    return column ? renderCell(column, row) : null;
  };
  switch (e.type) {
    case 'expect_compound_columns_to_be_unique':
      return `(${e.column_list.map((c) => text(cell(c))).join(', ')})`;
    case 'expect_column_pair_values_A_to_be_greater_than_B':
      return `(${text(cell(e.column_A))}, ${text(cell(e.column_B))})`;
    case 'expect_table_row_count_to_be_between':
    case 'expect_table_columns_to_match_set':
      return null;
    default:
      return cell(e.column);
  }
}

function showValue(e: Expectation, table: Columns, row: number): string {
  if (e.type === 'expect_column_pair_values_A_to_be_greater_than_B') {
    const a = table(e.column_A);
    const b = table(e.column_B);
    return `${text(a ? renderCell(a, row) : null)} and ${text(b ? renderCell(b, row) : null)}`;
  }
  return text(unexpectedValue(e, table, row));
}

function text(v: JsonCell): string {
  return String(v);
}
