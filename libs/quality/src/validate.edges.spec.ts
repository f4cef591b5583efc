/**
 * Every expectation at its edges: inclusive/strict bounds, NaN, ±Infinity,
 * int64 beyond 2^53, timestamps of every unit with ISO bounds, empty and
 * all-null columns, sliced data (non-zero offsets), several record batches,
 * dictionary-encoded strings; and what does not apply fails with `error`.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { makeTable, utf8Dictionary, type ColumnSpec, type TableLayout } from '../test/arrow-fixtures.js';
import type { Expectation } from './expectation.js';
import { validate } from './validate.js';

const NOW = Date.UTC(2026, 2, 1, 12);

function run(columns: Record<string, ColumnSpec>, expectations: Expectation[], layout: TableLayout = {}) {
  return validate(makeTable(columns, layout), { name: 'edges', expectations }, { resultFormat: 'COMPLETE', now: NOW }).results;
}
const f64 = (...values: (number | null)[]): ColumnSpec => ({ type: new arrow.Float64(), values });
const i64 = (...values: (bigint | null)[]): ColumnSpec => ({ type: new arrow.Int64(), values });
const utf8 = (...values: (string | null)[]): ColumnSpec => ({ type: new arrow.Utf8(), values });
const dict = (...values: (string | null)[]): ColumnSpec => ({ type: utf8Dictionary(), values });
const between = (column: string, min: number | string | null, max: number | string | null, strict: { strict_min?: boolean; strict_max?: boolean } = {}): Expectation => ({ type: 'expect_column_values_to_be_between', column, min_value: min, max_value: max, ...strict });
const rows = (r: { unexpectedIndexList?: number[] } | undefined) => r?.unexpectedIndexList;

describe('expect_column_values_to_be_between', () => {
  it('is inclusive by default and strict per side', () => {
    const x = f64(9.999, 10, 25, 40, 40.001);
    const [incl, strictMin, strictMax, both] = run({ x }, [between('x', 10, 40), between('x', 10, 40, { strict_min: true }), between('x', 10, 40, { strict_max: true }), between('x', 10, 40, { strict_min: true, strict_max: true })]);
    expect(rows(incl)).toEqual([0, 4]);
    expect(rows(strictMin)).toEqual([0, 1, 4]);
    expect(rows(strictMax)).toEqual([0, 3, 4]);
    expect(rows(both)).toEqual([0, 1, 3, 4]);
  });

  it('NaN fails (with or without bounds); ±Infinity compare normally; a missing side is unbounded', () => {
    const x = f64(NaN, Infinity, -Infinity, 0);
    const [bounded, onlyMin, onlyMax, none] = run({ x }, [between('x', -1, 1), between('x', 0, null, { strict_max: true }), between('x', null, Infinity), between('x', null, null)]);
    expect(rows(bounded)).toEqual([0, 1, 2]);
    expect(rows(onlyMin)).toEqual([0, 2]);
    expect(rows(onlyMax)).toEqual([0]);
    expect(rows(none)).toEqual([0]);
    expect(bounded?.partialUnexpectedList).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('int64 is exact beyond 2^53 (number, decimal text, fractional and strict bounds)', () => {
    const big = 2n ** 53n;
    const x = i64(big - 1n, big, big + 1n, -(2n ** 63n), 2n ** 63n - 1n);
    const [decimal, strict, fractional] = run({ x }, [
      between('x', '9007199254740992', '9007199254740992'),
      between('x', String(big - 1n), String(big + 1n), { strict_min: true, strict_max: true }),
      between('x', -0.5, 2 ** 53 + 0.5), // 2^53 + 0.5 is 2^53 as a double
    ]);
    expect(rows(decimal)).toEqual([0, 2, 3, 4]);
    expect(rows(strict)).toEqual([0, 2, 3, 4]);
    expect(rows(fractional)).toEqual([2, 3, 4]);
    expect(decimal?.partialUnexpectedList).toEqual([9007199254740991, '9007199254740993', '-9223372036854775808', '9223372036854775807']);
  });

  it('uint64 above 2^63 compares unsigned', () => {
    const x: ColumnSpec = { type: new arrow.Uint64(), values: [0n, 2n ** 63n + 5n, 2n ** 64n - 1n] };
    expect(rows(run({ x }, [between('x', 1, '9223372036854775813')])[0])).toEqual([0, 2]);
  });

  it('timestamps of every unit take ISO bounds (or numbers in their unit) and render ISO with µs', () => {
    const at = (unit: bigint) => [BigInt(NOW) * unit - 1n, BigInt(NOW) * unit, BigInt(NOW) * unit + 1n];
    const lo = new Date(NOW).toISOString();
    const columns = {
      s: { type: new arrow.TimestampSecond(), values: at(1n).map((v) => v / 1000n) },
      ms: { type: new arrow.TimestampMillisecond('UTC'), values: at(1n) },
      us: { type: new arrow.TimestampMicrosecond('UTC'), values: at(1000n) },
      ns: { type: new arrow.TimestampNanosecond('UTC'), values: at(1_000_000n) },
    };
    const [s, ms, us, ns, usNumber] = run(columns, [between('s', lo, null), between('ms', lo, lo), between('us', lo, null, { strict_min: true }), between('ns', null, lo), between('us', NOW * 1000, null)]);
    expect(rows(s)).toEqual([0]); // (NOW − 1 ms) in seconds is a second before; NOW + 1 ms is NOW's second
    expect(rows(ms)).toEqual([0, 2]);
    expect(rows(us)).toEqual([0, 1]);
    expect(rows(ns)).toEqual([2]);
    expect(rows(usNumber)).toEqual([0]);
    expect(us?.partialUnexpectedList).toEqual(['2026-03-01T11:59:59.999999Z', '2026-03-01T12:00:00.000000Z']);
    expect(ns?.partialUnexpectedList).toEqual(['2026-03-01T12:00:00.000000Z']); // µs precision (ns floored)
  });

  it('dates take ISO dates', () => {
    const day = { type: new arrow.DateDay(), values: [20513, 20514, 20515] }; // 2026-03-01 = day 20513
    const [r] = run({ day }, [between('day', '2026-03-02', '2026-03-02')]);
    expect(r?.partialUnexpectedList).toEqual(['2026-03-01', '2026-03-03']);
  });

  it('empty tables, all-null columns, sliced data and several batches', () => {
    expect(run({ x: f64() }, [between('x', 0, 1)])[0]).toMatchObject({ success: true, evaluated: 0, unexpected: 0, missing: 0 });
    expect(run({ x: f64(null, null, null) }, [between('x', 0, 1)])[0]).toMatchObject({ success: true, evaluated: 0, unexpected: 0, missing: 3, unexpectedPercent: 0 });
    const x = f64(5, null, 50, 7, null, -1, 3);
    const expected = { unexpected: 2, missing: 2, evaluated: 5, unexpectedIndexList: [2, 5] };
    for (const layout of [{}, { pad: 3 }, { batches: [2, 0, 3, 2], pad: 1 }, { batches: [1, 1, 1, 1, 1, 1, 1], pad: 5 }]) {
      expect(run({ x }, [between('x', 0, 10)], layout)[0]).toMatchObject(expected);
    }
  });

  it('does not apply to strings or bools', () => {
    const [r, other] = run({ s: utf8('a'), x: f64(1) }, [between('s', 0, 1), between('x', 0, 1)]);
    expect(r).toMatchObject({ success: false, evaluated: 0, error: 'expect_column_values_to_be_between applies to numeric and temporal columns, not Utf8' });
    expect(other).toMatchObject({ success: true });
  });
});

describe('not null, sets, strings', () => {
  it('not null counts every row; nulls fail and are missing; a Null-typed column fails everywhere', () => {
    const [r, n] = run({ x: f64(1, null, 3, null), z: { type: new arrow.Null(), values: [null, null, null, null] } }, [
      { type: 'expect_column_values_to_not_be_null', column: 'x' },
      { type: 'expect_column_values_to_not_be_null', column: 'z' },
    ], { batches: [3, 1], pad: 2 });
    expect(r).toMatchObject({ evaluated: 4, unexpected: 2, missing: 2, unexpectedIndexList: [1, 3], unexpectedPercent: 50 });
    expect(n).toMatchObject({ evaluated: 4, unexpected: 4 });
  });

  it('in set / not in set on strings, dictionaries (per-batch dictionaries), non-ASCII, and values of the wrong kind never matching', () => {
    const values = ['SOFT', 'HARD', 'WET', null, 'ÉCO', 'SOFT', 'X'];
    for (const column of [utf8(...values), dict(...values)]) {
      const [inSet, notIn] = run({ c: column }, [
        { type: 'expect_column_values_to_be_in_set', column: 'c', value_set: ['SOFT', 'HARD', 'ÉCO', 1] },
        { type: 'expect_column_values_to_not_be_in_set', column: 'c', value_set: ['WET', 'X'] },
      ], { batches: [2, 3, 2], pad: 1 });
      expect(inSet).toMatchObject({ unexpectedIndexList: [2, 6], missing: 1, partialUnexpectedList: ['WET', 'X'] });
      expect(notIn).toMatchObject({ unexpectedIndexList: [2, 6] });
    }
  });

  it('in set on int64 (decimal text beyond 2^53), timestamps (ISO), bools, floats (NaN never a member, −0 = 0)', () => {
    const [big, ts, bool, float] = run({
      b: i64(2n ** 60n, 3n, 2n ** 60n + 1n),
      t: { type: new arrow.TimestampMicrosecond('UTC'), values: [BigInt(NOW) * 1000n, BigInt(NOW) * 1000n + 1n, null] },
      o: { type: new arrow.Bool(), values: [true, false, null] },
      f: f64(-0, NaN, 1),
    }, [
      { type: 'expect_column_values_to_be_in_set', column: 'b', value_set: [String(2n ** 60n), 3] },
      { type: 'expect_column_values_to_be_in_set', column: 't', value_set: [new Date(NOW).toISOString()] },
      { type: 'expect_column_values_to_be_in_set', column: 'o', value_set: [true] },
      { type: 'expect_column_values_to_be_in_set', column: 'f', value_set: [0, 1] },
    ], { batches: [1, 2], pad: 1 });
    expect(rows(big)).toEqual([2]);
    expect(rows(ts)).toEqual([1]);
    expect(bool).toMatchObject({ unexpectedIndexList: [1], missing: 1 });
    expect(rows(float)).toEqual([1]);
  });

  it('regex is unanchored (re.search) and works on dictionaries and non-ASCII; a bad regex or a non-string column is an error', () => {
    const values = ['VER', 'ham', null, 'Pérez', '日本'];
    for (const column of [utf8(...values), dict(...values)]) {
      const [upper, accent, bad, wrong] = run({ c: column, x: f64(1, 2, 3, 4, 5) }, [
        { type: 'expect_column_values_to_match_regex', column: 'c', regex: '^[A-Z]{3}$' },
        { type: 'expect_column_values_to_match_regex', column: 'c', regex: 'é|本' },
        { type: 'expect_column_values_to_match_regex', column: 'c', regex: '(' },
        { type: 'expect_column_values_to_match_regex', column: 'x', regex: '1' },
      ], { pad: 2 });
      expect(upper).toMatchObject({ unexpectedIndexList: [1, 3, 4], missing: 1 });
      expect(rows(accent)).toEqual([0, 1]);
      expect(bad?.error).toMatch(/^regex "\(" is not valid/);
      expect(wrong?.error).toBe('expect_column_values_to_match_regex applies to string columns, not Float64');
    }
  });

  it('lengths count code points, inclusive', () => {
    const values = ['', 'ab', '日本', 'abc', 'é', null];
    for (const column of [utf8(...values), dict(...values), { type: new arrow.LargeUtf8(), values }]) {
      const [r] = run({ c: column }, [{ type: 'expect_column_value_lengths_to_be_between', column: 'c', min_value: 1, max_value: 2 }], { batches: [4, 2] });
      expect(r).toMatchObject({ unexpectedIndexList: [0, 3], missing: 1 });
    }
  });
});

describe('uniqueness, increasing, pairs, freshness', () => {
  it('unique: every duplicate fails (the first too); nulls are not evaluated; NaN equals NaN, −0 equals 0; across batches', () => {
    const [s, f, d] = run({ s: utf8('a', 'b', 'a', null, null, 'c'), f: f64(NaN, 0, NaN, -0, 1, null), d: dict('x', 'y', 'x', 'z', null, 'y') }, [
      { type: 'expect_column_values_to_be_unique', column: 's' },
      { type: 'expect_column_values_to_be_unique', column: 'f' },
      { type: 'expect_column_values_to_be_unique', column: 'd' },
    ], { batches: [2, 4], pad: 1 });
    expect(s).toMatchObject({ unexpectedIndexList: [0, 2], missing: 2 });
    expect(rows(f)).toEqual([0, 1, 2, 3]);
    expect(rows(d)).toEqual([0, 1, 2, 5]);
  });

  it('compound unique: nulls compare as a value; a row of nulls only is not evaluated', () => {
    const [r] = run({ session: utf8('s1', 's1', 's1', null, null, 's1'), car: i64(44n, 44n, 1n, null, null, null), id: i64(7n, 7n, 7n, null, null, null) }, [
      { type: 'expect_compound_columns_to_be_unique', column_list: ['session', 'car', 'id'] },
    ], { batches: [3, 3] });
    expect(r).toMatchObject({ name: '(session, car, id) unique', unexpectedIndexList: [0, 1], missing: 2, evaluated: 4 });
  });

  it('compound unique and increasing over a constant column and sparse integer ranges (one shared key)', () => {
    const columns = { session: utf8('s1', 's1', 's1', 's1', 's1', 's1'), car: i64(0n, 1000n, 0n, 1000n, 500n, 1000n), id: i64(0n, 900n, 0n, 901n, 5n, 900n) };
    const [unique, increasing] = run(columns, [
      { type: 'expect_compound_columns_to_be_unique', column_list: ['session', 'car', 'id'] },
      { type: 'expect_column_values_to_be_increasing', column: 'id', group_by: ['session', 'car'], strictly: true },
    ], { batches: [3, 3] });
    expect(unique).toMatchObject({ unexpectedIndexList: [0, 1, 2, 5], missing: 0, evaluated: 6 });
    expect(increasing).toMatchObject({ unexpectedIndexList: [2, 5], missing: 0 });
  });

  it('increasing per group, across batches; nulls skipped; strictly; NaN fails', () => {
    const columns = { car: utf8('a', 'b', 'a', 'b', 'a', 'a', 'b'), id: i64(1n, 5n, 2n, 5n, null, 2n, 4n), f: f64(1, NaN, 2, 3, 3, 4, 5) };
    const [nonDecreasing, strictly, global, nan] = run(columns, [
      { type: 'expect_column_values_to_be_increasing', column: 'id', group_by: ['car'] },
      { type: 'expect_column_values_to_be_increasing', column: 'id', group_by: ['car'], strictly: true },
      { type: 'expect_column_values_to_be_increasing', column: 'id' },
      { type: 'expect_column_values_to_be_increasing', column: 'f' },
    ], { batches: [3, 4], pad: 2 });
    expect(nonDecreasing).toMatchObject({ unexpectedIndexList: [6], missing: 1 });
    expect(rows(strictly)).toEqual([3, 5, 6]);
    expect(rows(global)).toEqual([2, 5]);
    expect(rows(nan)).toEqual([1, 2]);
  });

  it('pair A > B (or ≥), nulls not evaluated, timestamps of different units compared in the finer one', () => {
    const t = BigInt(NOW);
    const [gt, ge, units] = run({
      a: f64(2, 1, 1, null, NaN),
      b: { type: new arrow.Int32(), values: [1, 1, 2, 0, 0] },
      sent: { type: new arrow.TimestampMillisecond('UTC'), values: [t, t, t, t, t] },
      got: { type: new arrow.TimestampMicrosecond('UTC'), values: [t * 1000n + 1n, t * 1000n, t * 1000n - 1n, null, t * 1000n] },
    }, [
      { type: 'expect_column_pair_values_A_to_be_greater_than_B', column_A: 'a', column_B: 'b' },
      { type: 'expect_column_pair_values_A_to_be_greater_than_B', column_A: 'a', column_B: 'b', or_equal: true },
      { type: 'expect_column_pair_values_A_to_be_greater_than_B', column_A: 'got', column_B: 'sent', or_equal: true },
    ], { batches: [2, 3] });
    expect(gt).toMatchObject({ unexpectedIndexList: [1, 2, 4], missing: 1, partialUnexpectedList: ['(1, 1)', '(1, 2)', '(NaN, 0)'] });
    expect(rows(ge)).toEqual([2, 4]);
    expect(units).toMatchObject({ unexpectedIndexList: [2], missing: 1 });
  });

  it('fresh: not older than max_age, not later than now + max_future, inclusive, against the clock passed in', () => {
    const us = (ms: number) => BigInt(NOW + ms) * 1000n;
    const [ts, epoch, seconds] = run({
      t: { type: new arrow.TimestampMicrosecond('UTC'), values: [us(-60_000) - 1n, us(-60_000), us(0), us(1000), us(1000) + 1n, null] },
      e: i64(BigInt(NOW - 60_001), BigInt(NOW - 60_000), BigInt(NOW), BigInt(NOW + 1000), BigInt(NOW + 1001), null),
      s: { type: new arrow.TimestampSecond(), values: [BigInt(NOW / 1000 - 61), BigInt(NOW / 1000 - 60), BigInt(NOW / 1000), BigInt(NOW / 1000 + 1), BigInt(NOW / 1000 + 2), null] },
    }, [
      { type: 'expect_column_values_to_be_fresh', column: 't', max_age_ms: 60_000, max_future_ms: 1000 },
      { type: 'expect_column_values_to_be_fresh', column: 'e', max_age_ms: 60_000, max_future_ms: 1000, unit: 'ms' },
      { type: 'expect_column_values_to_be_fresh', column: 's', max_age_ms: 60_000, max_future_ms: 1000 },
    ]);
    expect(ts).toMatchObject({ name: 't fresh (age <= 1min, future <= 1s)', unexpectedIndexList: [0, 4], missing: 1 });
    expect(rows(epoch)).toEqual([0, 4]);
    expect(rows(seconds)).toEqual([0, 4]);
  });
});

describe('aggregates and table expectations', () => {
  it('mean skips nulls and NaN; min/max exact on int64 and rendered; nothing to aggregate fails', () => {
    const [mean, min, max, empty] = run({ x: f64(1, NaN, null, 3, Infinity), b: i64(2n ** 60n + 1n, -5n, null, null, -3n), n: f64(null, NaN, null, NaN, null) }, [
      { type: 'expect_column_mean_to_be_between', column: 'x', min_value: 0 },
      { type: 'expect_column_min_to_be_between', column: 'b', min_value: -5, max_value: -5 },
      { type: 'expect_column_max_to_be_between', column: 'b', max_value: String(2n ** 60n) },
      { type: 'expect_column_mean_to_be_between', column: 'n', min_value: 0 },
    ], { batches: [2, 3], pad: 1 });
    expect(mean).toMatchObject({ success: true, observed: 'Infinity', missing: 1, evaluated: 5 });
    expect(min).toMatchObject({ success: true, observed: -5 });
    expect(max).toMatchObject({ success: false, observed: String(2n ** 60n + 1n) });
    expect(empty).toMatchObject({ success: false, observed: null });
  });

  it('of type, row count, columns match set', () => {
    const [type, wrong, count, exact, include, extra] = run({ t: { type: new arrow.TimestampMicrosecond('UTC'), values: [1n] }, x: f64(1) }, [
      { type: 'expect_column_values_to_be_of_type', column: 't', type_: 'Timestamp<MICROSECOND, UTC>' },
      { type: 'expect_column_values_to_be_of_type', column: 'x', type_: 'Int16' },
      { type: 'expect_table_row_count_to_be_between', min_value: 1, max_value: 1 },
      { type: 'expect_table_columns_to_match_set', column_set: ['x', 't'] },
      { type: 'expect_table_columns_to_match_set', column_set: ['x'], exact_match: false },
      { type: 'expect_table_columns_to_match_set', column_set: ['x'] },
    ]);
    expect(type).toMatchObject({ success: true, observed: 'Timestamp<MICROSECOND, UTC>' });
    expect(wrong).toMatchObject({ success: false, observed: 'Float64' });
    expect(count).toMatchObject({ success: true, observed: 1 });
    expect([exact?.success, include?.success, extra?.success]).toEqual([true, true, false]);
    expect(extra?.observed).toEqual(['t', 'x']);
  });

  it('a missing column fails that expectation with error set; the others still run', () => {
    const [missing, ok] = run({ x: f64(1) }, [between('tire.pressure_psi', 10, 40), between('x', 0, 2)]);
    expect(missing).toMatchObject({ success: false, evaluated: 0, error: 'column "tire.pressure_psi" not found', name: 'tire.pressure_psi between 10 and 40' });
    expect(ok).toMatchObject({ success: true, evaluated: 1 });
  });
});
