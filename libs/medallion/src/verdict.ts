/**
 * The silver verdict of a row, decided by that row alone (exactly-once
 * replays may cut batches differently; a row's fate must not change):
 *
 * - deciding: the suite's `error` expectations whose outcome depends only on
 *   the row (`ROW_LOCAL` kinds) plus freshness judged against the record's
 *   own Kafka timestamp (not the wall clock);
 * - reported only (validation results, never a row's fate): unique,
 *   compound unique, increasing (cross-row), aggregates, freshness against
 *   the batch's `ingestedAt`, and every `warn` expectation.
 */
import type { Table } from 'apache-arrow';
import { expectationColumns, expectationName, type Expectation, type Suite, type ValidationResult } from '@lakestream/quality';

export const ROW_LOCAL: ReadonlySet<Expectation['type']> = new Set<Expectation['type']>([
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_between',
  'expect_column_values_to_be_in_set',
  'expect_column_values_to_not_be_in_set',
  'expect_column_values_to_match_regex',
  'expect_column_value_lengths_to_be_between',
  'expect_column_pair_values_A_to_be_greater_than_B',
]);

/** Does expectation `e` decide a row's fate? */
export function decides(e: Expectation): boolean {
  return (e.severity ?? 'error') === 'error' && ROW_LOCAL.has(e.type);
}

export interface FreshnessRule {
  readonly name: string;
  readonly maxAgeMs: number;
  readonly maxFutureMs: number;
}

/** The suite's `error` freshness expectation, if any, as a per-record rule. */
export function freshnessRule(suite: Suite): FreshnessRule | undefined {
  const e = suite.expectations.find((x) => x.type === 'expect_column_values_to_be_fresh' && (x.severity ?? 'error') === 'error');
  if (!e || e.type !== 'expect_column_values_to_be_fresh') return undefined;
  return { name: expectationName(e), maxAgeMs: e.max_age_ms ?? Infinity, maxFutureMs: e.max_future_ms ?? Infinity };
}

/** Is an event at `eventMs` fresh for a record stamped `kafkaMs`? Pure, per record. */
export function isFresh(rule: FreshnessRule, eventMs: number, kafkaMs: number): boolean {
  return eventMs >= kafkaMs - rule.maxAgeMs && eventMs <= kafkaMs + rule.maxFutureMs;
}

/** Failed deciding expectations of the rows that failed one. */
export interface RowFailures {
  /** 1 = the row failed a deciding expectation. */
  readonly failed: Uint8Array;
  /** Names of the failed deciding expectations, per failed row. */
  names(row: number): string[];
  /** Expectation name → the row's value(s) of its columns, as JSON-safe values. */
  observed(row: number): Record<string, unknown>;
}

/**
 * Row failures from a validate() result over `table` (the suite's verdict
 * restricted to deciding expectations) and a per-row freshness test.
 */
export function rowFailures(table: Table, suite: Suite, result: ValidationResult, stale: (row: number) => boolean, fresh: FreshnessRule | undefined): RowFailures {
  const n = table.numRows;
  const failed = new Uint8Array(n);
  const deciding = suite.expectations.map(decides);
  const perRow = new Map<number, number[]>();
  const v = result.verdict;
  for (let j = 0; j < v.failedRows.length; j++) {
    const row = v.failedRows[j] as number;
    for (let x = v.failedOffsets[j] as number; x < (v.failedOffsets[j + 1] as number); x++) {
      const id = v.failedIds[x] as number;
      if (!deciding[id]) continue;
      failed[row] = 1;
      const ids = perRow.get(row);
      if (ids) ids.push(id);
      else perRow.set(row, [id]);
    }
  }
  const staleRows = new Set<number>();
  if (fresh) {
    for (let row = 0; row < n; row++) if (stale(row)) {
      failed[row] = 1;
      staleRows.add(row);
    }
  }
  const expectationOf = (id: number): Expectation => suite.expectations[id] as Expectation;
  return {
    failed,
    names(row) {
      const out = (perRow.get(row) ?? []).map((id) => expectationName(expectationOf(id)));
      if (fresh && staleRows.has(row)) out.push(fresh.name);
      return out;
    },
    observed(row) {
      const out: Record<string, unknown> = {};
      for (const id of perRow.get(row) ?? []) {
        const e = expectationOf(id);
        const cols = expectationColumns(e);
        const values = cols.map((c) => jsonSafe(table.getChild(c)?.get(row)));
        out[expectationName(e)] = cols.length === 1 ? values[0] : Object.fromEntries(cols.map((c, i) => [c, values[i]]));
      }
      if (fresh && staleRows.has(row)) out[fresh.name] = jsonSafe(table.getChild('event_time_ns')?.get(row) ?? table.getChild('timestamp_ns')?.get(row));
      return out;
    },
  };
}

/** JSON can carry it: bigint as decimal text, non-finite numbers as text, undefined as null. */
export function jsonSafe(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v instanceof Uint8Array) return Array.from(v);
  return v;
}
