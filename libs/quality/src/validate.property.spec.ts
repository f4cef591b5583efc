/**
 * The vectorized evaluation equals a plain per-row reference written
 * straightforwardly here (JS values, one row at a time), on arbitrary tables
 * — floats with NaN/±Infinity/−0, int32, int64 beyond 2^53, µs timestamps,
 * UTF-8 strings (non-ASCII too), dictionary strings, bools, nulls — split
 * into several record batches with sliced (offset) data, and arbitrary
 * expectations of every row kind: counts, unexpected row indexes, success
 * under `mostly`, and the row verdict.
 */
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeTable, utf8Dictionary, type Value } from '../test/arrow-fixtures.js';
import type { Expectation } from './expectation.js';
import { validate } from './validate.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const NOW_US = BigInt(NOW) * 1000n;
const WORDS = ['A', 'B', 'ab', 'é', '日本', '', 'A1'];

type Row = Record<string, Value>;
const COLUMNS = {
  f: () => new arrow.Float64(),
  i: () => new arrow.Int32(),
  b: () => new arrow.Int64(),
  t: () => new arrow.TimestampMicrosecond('UTC'),
  s: () => new arrow.Utf8(),
  d: () => utf8Dictionary(),
  o: () => new arrow.Bool(),
} as const;
type Name = keyof typeof COLUMNS;

const orNull = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null, freq: 4 });
const rowArb: fc.Arbitrary<Row> = fc.record({
  f: orNull(fc.oneof(fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 10, 40, 2.5), fc.integer({ min: -5, max: 50 }), fc.double())),
  i: orNull(fc.integer({ min: -3, max: 12 })),
  b: orNull(fc.oneof(fc.bigInt({ min: -3n, max: 12n }), fc.constantFrom(2n ** 53n + 1n, -(2n ** 62n), 2n ** 62n + 7n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))),
  t: orNull(fc.bigInt({ min: -600_000_000n, max: 600_000_000n }).map((d) => NOW_US + d)),
  s: orNull(fc.constantFrom(...WORDS)),
  d: orNull(fc.constantFrom(...WORDS)),
  o: orNull(fc.boolean()),
});

const bound = fc.oneof(fc.constant(null), fc.integer({ min: -4, max: 45 }), fc.constantFrom(2.5, -Infinity, Infinity, 10, 40));
const common = { severity: fc.constantFrom('error' as const, 'warn' as const), mostly: fc.constantFrom(1, 0.5, 0.9, 0) };
const sub = <T>(items: readonly T[]) => fc.subarray([...items], { minLength: 1, maxLength: 3 });

const expectationArb: fc.Arbitrary<Expectation> = fc.oneof(
  fc.record({ type: fc.constant('expect_column_values_to_not_be_null' as const), column: fc.constantFrom<Name>('f', 'i', 'b', 't', 's', 'd', 'o'), ...common }),
  fc.record({ type: fc.constant('expect_column_values_to_be_between' as const), column: fc.constantFrom('f', 'i', 'b'), min_value: bound, max_value: bound, strict_min: fc.boolean(), strict_max: fc.boolean(), ...common }),
  fc.record({
    type: fc.constant('expect_column_values_to_be_between' as const),
    column: fc.constant('t'),
    min_value: fc.oneof(fc.constant(null), fc.integer({ min: -300_000, max: 300_000 }).map((d) => new Date(NOW + d).toISOString()), fc.integer({ min: -300_000_000, max: 0 }).map((d) => Number(NOW_US) + d)),
    max_value: fc.oneof(fc.constant(null), fc.integer({ min: -300_000, max: 300_000 }).map((d) => new Date(NOW + d).toISOString())),
    strict_min: fc.boolean(),
    strict_max: fc.boolean(),
    ...common,
  }),
  fc.record({ type: fc.constantFrom('expect_column_values_to_be_in_set' as const, 'expect_column_values_to_not_be_in_set' as const), column: fc.constantFrom('s', 'd'), value_set: fc.subarray([...WORDS, 1]), ...common }),
  fc.record({ type: fc.constantFrom('expect_column_values_to_be_in_set' as const, 'expect_column_values_to_not_be_in_set' as const), column: fc.constantFrom('f', 'i', 'b'), value_set: fc.subarray([0, 1, 2, 3, 10, 40, 2.5, -3]), ...common }),
  fc.record({ type: fc.constant('expect_column_values_to_match_regex' as const), column: fc.constantFrom('s', 'd'), regex: fc.constantFrom('^A', 'b$', '\\d', '^.$', 'é|本', ''), ...common }),
  fc.record({ type: fc.constant('expect_column_value_lengths_to_be_between' as const), column: fc.constantFrom('s', 'd'), min_value: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), max_value: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), ...common }),
  fc.record({ type: fc.constant('expect_column_values_to_be_unique' as const), column: fc.constantFrom('f', 'i', 'b', 's', 'd', 'o', 't'), ...common }),
  fc.record({ type: fc.constant('expect_column_values_to_be_increasing' as const), column: fc.constantFrom('f', 'i', 'b', 't'), strictly: fc.boolean(), group_by: fc.subarray(['s', 'd', 'i', 'o']), ...common }),
  fc.record({ type: fc.constant('expect_column_values_to_be_fresh' as const), column: fc.constant('t'), max_age_ms: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }), max_future_ms: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }), ...common }),
  fc.record({ type: fc.constant('expect_compound_columns_to_be_unique' as const), column_list: sub(['i', 's', 'd', 'b', 'o']), ...common }),
  fc.record({ type: fc.constant('expect_column_pair_values_A_to_be_greater_than_B' as const), pair: fc.constantFrom(['f', 'i'], ['i', 'f'], ['b', 'b'], ['t', 't'], ['i', 'i']), or_equal: fc.boolean(), ...common }).map(({ pair, ...rest }) => ({ ...rest, column_A: pair[0] as string, column_B: pair[1] as string })),
) as fc.Arbitrary<Expectation>;

// ---- the reference: one row at a time, on JS values ----

const PASS = 0, FAIL = 1, MISSING = 2;
const isoUs = (v: string): bigint => BigInt(Date.parse(v)) * 1000n;
const key = (v: Value): string => (v === null ? 'null' : typeof v === 'number' && Object.is(v, -0) ? 'number:0' : `${typeof v}:${String(v)}`);
type Cmp = number | bigint;
const boundOf = (column: string, v: number | string | null | undefined): Cmp | null => (v === null || v === undefined ? null : typeof v === 'string' ? (column === 't' ? isoUs(v) : Number(v)) : v);

function reference(e: Expectation, rows: readonly Row[]): number[] {
  const outcome = (column: string, judge: (v: Exclude<Value, null>) => boolean): number[] => rows.map((r) => (r[column] === null ? MISSING : judge(r[column] as Exclude<Value, null>) ? PASS : FAIL));
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return rows.map((r) => (r[e.column] === null ? FAIL : PASS));
    case 'expect_column_values_to_be_between': {
      const lo = boundOf(e.column, e.min_value);
      const hi = boundOf(e.column, e.max_value);
      return outcome(e.column, (v) => {
        const x = v as Cmp;
        if (typeof x === 'number' && Number.isNaN(x)) return false;
        return (lo === null || (e.strict_min ? x > lo : x >= lo)) && (hi === null || (e.strict_max ? x < hi : x <= hi));
      });
    }
    case 'expect_column_values_to_be_in_set':
    case 'expect_column_values_to_not_be_in_set': {
      const member = (v: Exclude<Value, null>): boolean => e.value_set.some((m) => (typeof v === 'bigint' ? typeof m === 'number' && Number.isInteger(m) && BigInt(m) === v : m === v));
      return outcome(e.column, (v) => member(v) === (e.type === 'expect_column_values_to_be_in_set'));
    }
    case 'expect_column_values_to_match_regex':
      return outcome(e.column, (v) => new RegExp(e.regex).test(v as string));
    case 'expect_column_value_lengths_to_be_between':
      return outcome(e.column, (v) => [...(v as string)].length >= (e.min_value ?? -Infinity) && [...(v as string)].length <= (e.max_value ?? Infinity));
    case 'expect_column_values_to_be_unique':
    case 'expect_compound_columns_to_be_unique': {
      const cols = e.type === 'expect_column_values_to_be_unique' ? [e.column] : [...e.column_list];
      const keys = rows.map((r) => (cols.every((c) => r[c] === null) ? null : cols.map((c) => key(r[c] as Value)).join('\u0000')));
      const counts = new Map<string, number>();
      for (const k of keys) if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
      return keys.map((k) => (k === null ? MISSING : (counts.get(k) as number) > 1 ? FAIL : PASS));
    }
    case 'expect_column_values_to_be_increasing': {
      const last = new Map<string, Cmp>();
      return rows.map((r) => {
        const v = r[e.column] as Cmp | null;
        if (v === null) return MISSING;
        const g = (e.group_by ?? []).map((c) => key(r[c] as Value)).join('\u0000');
        const prev = last.get(g);
        last.set(g, v);
        if (prev === undefined) return PASS;
        return (e.strictly ? v > prev : v >= prev) ? PASS : FAIL;
      });
    }
    case 'expect_column_values_to_be_fresh': {
      const lo = e.max_age_ms === undefined ? null : NOW_US - BigInt(e.max_age_ms) * 1000n;
      const hi = e.max_future_ms === undefined ? null : NOW_US + BigInt(e.max_future_ms) * 1000n;
      return outcome(e.column, (v) => (lo === null || (v as bigint) >= lo) && (hi === null || (v as bigint) <= hi));
    }
    case 'expect_column_pair_values_A_to_be_greater_than_B':
      return rows.map((r) => {
        const a = r[e.column_A] as Cmp | null;
        const b = r[e.column_B] as Cmp | null;
        if (a === null || b === null) return MISSING;
        return (e.or_equal ? a >= b : a > b) ? PASS : FAIL;
      });
    default:
      throw new Error(`no reference for ${e.type}`);
  }
}

/** Often one value in every row of a column (constant columns and batches have fast paths), else as drawn. */
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof(fc.constant(undefined), a);
const constantsArb = fc.record({ s: maybe(fc.constantFrom(...WORDS)), d: maybe(fc.constantFrom(...WORDS)), i: maybe(fc.integer({ min: -3, max: 12 })), b: maybe(fc.bigInt({ min: -3n, max: 12n })) });

function tableArb(): fc.Arbitrary<{ rows: Row[]; batches: number[]; pad: number }> {
  const drawn = fc.tuple(fc.array(rowArb, { maxLength: 40 }), constantsArb).map(([rows, constants]) => {
    const set = Object.entries(constants).filter(([, v]) => v !== undefined);
    return rows.map((r) => ({ ...r, ...Object.fromEntries(set) }) as Row);
  });
  return drawn.chain((rows) =>
    fc.record({
      rows: fc.constant(rows),
      batches: fc.array(fc.nat({ max: rows.length }), { maxLength: 3 }).map((cuts) => {
        const points = [0, ...[...cuts].sort((x, y) => x - y), rows.length];
        return points.slice(1).map((p, k) => p - (points[k] as number));
      }),
      pad: fc.nat({ max: 3 }),
    }),
  );
}

describe('vectorized evaluation = per-row reference', () => {
  it('on arbitrary tables and expectations: counts, unexpected indexes, success, verdict', () => {
    fc.assert(
      fc.property(tableArb(), fc.array(expectationArb, { minLength: 1, maxLength: 6 }), ({ rows, batches, pad }, expectations) => {
        const columns = Object.fromEntries((Object.keys(COLUMNS) as Name[]).map((c) => [c, { type: COLUMNS[c](), values: rows.map((r) => r[c] as Value) }]));
        const table = makeTable(columns, { batches, pad });
        const result = validate(table, { name: 'p', expectations }, { resultFormat: 'COMPLETE', now: NOW });
        const failedBy: number[][] = rows.map(() => []);
        const passed = rows.map(() => true);
        expectations.forEach((e, id) => {
          const outcomes = reference(e, rows);
          const unexpectedRows = outcomes.flatMap((o, i) => (o === FAIL ? [i] : []));
          const missing = outcomes.filter((o) => o === MISSING).length;
          const evaluated = e.type === 'expect_column_values_to_not_be_null' ? rows.length : rows.length - missing;
          const r = result.results[id];
          expect(r?.error, JSON.stringify(e)).toBeUndefined();
          expect({ unexpected: r?.unexpected, missing: r?.missing, evaluated: r?.evaluated, rows: r?.unexpectedIndexList }, JSON.stringify(e)).toEqual({
            unexpected: unexpectedRows.length,
            missing: e.type === 'expect_column_values_to_not_be_null' ? unexpectedRows.length : missing,
            evaluated,
            rows: unexpectedRows,
          });
          expect(r?.success).toBe(evaluated === 0 || (evaluated - unexpectedRows.length) / evaluated >= (e.mostly ?? 1));
          for (const i of unexpectedRows) {
            (failedBy[i] as number[]).push(id);
            if ((e.severity ?? 'error') === 'error') passed[i] = false;
          }
        });
        const v = result.verdict;
        expect([...v.failedRows]).toEqual(failedBy.flatMap((ids, i) => (ids.length > 0 ? [i] : [])));
        expect([...v.failedRows].map((_, k) => [...v.failedIds.subarray(v.failedOffsets[k], v.failedOffsets[k + 1])])).toEqual(failedBy.filter((ids) => ids.length > 0));
        expect(rows.map((_, i) => ((v.passed[i >> 3] as number) >> (i & 7)) & 1)).toEqual(passed.map(Number));
        expect(v.passedCount).toBe(passed.filter(Boolean).length);
        expect(result.passedRows).toBe(v.passedCount);
      }),
      { numRuns: Number(process.env["QUALITY_PROPERTY_RUNS"] ?? 300) },
    );
  });
});
