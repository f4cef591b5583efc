/**
 * validate()'s semantics around the kernels: `mostly`, severities and the
 * row verdict (bitmap, CSR ids, quarantine reasons), result formats, names,
 * statistics, options, and the stored JSON round trip.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { makeTable, type ColumnSpec } from '../test/arrow-fixtures.js';
import { QualityError } from './errors.js';
import type { Expectation, Suite } from './expectation.js';
import { expectationName } from './expectation-name.js';
import { parseValidationResult, toStoredResult } from './result-json.js';
import { validate } from './validate.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const f64 = (...values: (number | null)[]): ColumnSpec => ({ type: new arrow.Float64(), values });
const i64 = (...values: (bigint | null)[]): ColumnSpec => ({ type: new arrow.Int64(), values });
const utf8 = (...values: (string | null)[]): ColumnSpec => ({ type: new arrow.Utf8(), values });

const telemetry = makeTable(
  {
    'tire.pressure_psi': f64(23.1, 57.3, 22, null, 9.5, 30),
    session_id: utf8('s1', 's1', 's1', 's1', 's1', 's1'),
    car_number: i64(44n, 44n, 1n, 44n, 1n, 1n),
    event_id: i64(1n, 2n, 5n, 2n, 4n, 6n),
  },
  { batches: [4, 2], pad: 1 },
);
const pressure: Expectation = { type: 'expect_column_values_to_be_between', column: 'tire.pressure_psi', min_value: 10, max_value: 40 };
const increasing: Expectation = { type: 'expect_column_values_to_be_increasing', column: 'event_id', group_by: ['session_id', 'car_number'], strictly: true };
const suite = (...expectations: Expectation[]): Suite => ({ name: 'f1', expectations });
const bits = (passed: Uint8Array, n: number) => Array.from({ length: n }, (_, i) => ((passed[i >> 3] as number) >> (i & 7)) & 1);

describe('row verdict', () => {
  it('passed bitmap, failing rows with their expectation ids, and the quarantine reason', () => {
    const r = validate(telemetry, suite(pressure, increasing), { now: NOW });
    const v = r.verdict;
    expect(bits(v.passed, 6)).toEqual([1, 0, 1, 0, 0, 1]);
    expect([...v.failedRows]).toEqual([1, 3, 4]);
    expect([...v.failedOffsets]).toEqual([0, 1, 2, 4]);
    expect([...v.failedIds]).toEqual([0, 1, 0, 1]);
    expect(v.reason(1)).toBe('tire.pressure_psi between 10 and 40 (got 57.3)');
    expect(v.reason(4)).toBe('tire.pressure_psi between 10 and 40 (got 9.5); event_id strictly increasing per session_id, car_number');
    expect(v.reason(0)).toBe('');
    expect([r.passedRows, v.passedCount, v.rowCount]).toEqual([3, 3, 6]);
  });

  it('warn rows are kept (passed) but still listed with the expectation they failed', () => {
    const r = validate(telemetry, suite({ ...pressure, severity: 'warn' }, increasing), { now: NOW });
    expect(bits(r.verdict.passed, 6)).toEqual([1, 1, 1, 0, 0, 1]);
    expect([...r.verdict.failedRows]).toEqual([1, 3, 4]);
    expect(r.results[0]).toMatchObject({ severity: 'warn', success: false });
    expect(r.success).toBe(false);
  });

  it('mostly: the expectation succeeds when at least that fraction of evaluated rows pass; failing error rows are quarantined anyway', () => {
    // 5 evaluated (one null), 2 unexpected: 60% pass.
    const [at60, above] = validate(telemetry, suite({ ...pressure, mostly: 0.6 }, { ...pressure, mostly: 0.61 }), { now: NOW }).results;
    expect(at60).toMatchObject({ success: true, evaluated: 5, unexpected: 2, missing: 1, unexpectedPercent: 40, mostly: 0.6 });
    expect(above?.success).toBe(false);
    const r = validate(telemetry, suite({ ...pressure, mostly: 0.5 }), { now: NOW });
    expect(r.success).toBe(true);
    expect(r.passedRows).toBe(4);
  });

  it('aggregates and expectations that could not run leave rows alone', () => {
    const r = validate(telemetry, suite({ type: 'expect_column_mean_to_be_between', column: 'tire.pressure_psi', max_value: 0 }, { ...pressure, column: 'nope' }), { now: NOW });
    expect(r.success).toBe(false);
    expect(r.passedRows).toBe(6);
    expect(r.verdict.failedRows.length).toBe(0);
  });

  it('a 1,000-row batch with no failures has an all-ones bitmap (padding bits clear) and empty CSR', () => {
    const t = makeTable({ x: f64(...Array.from({ length: 1003 }, (_, i) => i)) });
    const v = validate(t, suite({ type: 'expect_column_values_to_be_between', column: 'x', min_value: 0 }), { now: NOW }).verdict;
    expect(v.passed.length).toBe(126);
    expect(v.passed[125]).toBe(0b111);
    expect([v.passedCount, v.failedRows.length, v.failedIds.length, v.failedOffsets.length]).toEqual([1003, 0, 0, 1]);
  });
});

describe('result formats', () => {
  const many = makeTable({ x: f64(...Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 100 + (i % 2) : 1))) });
  const e: Expectation = { type: 'expect_column_values_to_be_between', column: 'x', max_value: 10 };
  const at = (resultFormat: 'BOOLEAN_ONLY' | 'BASIC' | 'SUMMARY' | 'COMPLETE') => validate(many, suite(e, { type: 'expect_table_row_count_to_be_between', min_value: 1 }), { resultFormat, now: NOW }).results;

  it('BOOLEAN_ONLY: counts only, no lists and no observed value', () => {
    const [r, agg] = at('BOOLEAN_ONLY');
    expect(r).toMatchObject({ success: false, unexpected: 10 });
    expect(r).not.toHaveProperty('partialUnexpectedList');
    expect(agg).not.toHaveProperty('observed');
  });

  it('BASIC: up to 20 unexpected values in row order; SUMMARY: their counts, most frequent first; COMPLETE: every row index', () => {
    const [basic, agg] = at('BASIC');
    expect(basic?.partialUnexpectedList).toEqual([100, 101, 100, 101, 100, 101, 100, 101, 100, 101]);
    expect(basic).not.toHaveProperty('partialUnexpectedCounts');
    expect(agg?.observed).toBe(30);
    const [summary] = at('SUMMARY');
    expect(summary?.partialUnexpectedCounts).toEqual([{ value: 100, count: 5 }, { value: 101, count: 5 }]);
    expect(summary).not.toHaveProperty('unexpectedIndexList');
    const [complete] = at('COMPLETE');
    expect(complete?.unexpectedIndexList).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    const big = makeTable({ x: f64(...Array.from({ length: 50 }, (_, i) => 100 + (i % 7))) });
    const [b] = validate(big, suite(e), { resultFormat: 'SUMMARY', now: NOW }).results;
    expect(b?.partialUnexpectedList).toHaveLength(20);
    expect(b?.partialUnexpectedCounts?.[0]).toEqual({ value: 100, count: 8 });
    expect(b?.partialUnexpectedCounts?.reduce((n, c) => n + c.count, 0)).toBe(50);
  });

  it('values are JSON cells: int64 beyond 2^53 as text, timestamps ISO with µs, binary as base64', () => {
    const t = makeTable({
      b: i64(2n ** 60n + 3n, 2n ** 60n + 3n),
      t: { type: new arrow.TimestampMicrosecond('UTC'), values: [BigInt(NOW) * 1000n + 42n, BigInt(NOW) * 1000n + 42n] },
      bin: { type: new arrow.Binary(), values: [new Uint8Array([1, 2, 255]), new Uint8Array([1, 2, 255])] as never },
    });
    const unique = (column: string): Expectation => ({ type: 'expect_column_values_to_be_unique', column });
    const [b, ts, bin] = validate(t, suite(unique('b'), unique('t'), unique('bin')), { now: NOW }).results;
    expect(b?.partialUnexpectedList).toEqual(['1152921504606846979', '1152921504606846979']);
    expect(ts?.partialUnexpectedList?.[0]).toBe('2026-03-01T12:00:00.000042Z');
    expect(bin?.partialUnexpectedList?.[0]).toBe('AQL/');
  });
});

describe('names, statistics, options', () => {
  it('derives stable names; e.name wins', () => {
    expect(expectationName(pressure)).toBe('tire.pressure_psi between 10 and 40');
    expect(expectationName({ ...pressure, strict_min: true })).toBe('tire.pressure_psi > 10 and <= 40');
    expect(expectationName({ type: 'expect_column_values_to_be_in_set', column: 'compound', value_set: ['SOFT', 'HARD'] })).toBe('compound in {SOFT, HARD}');
    expect(expectationName({ type: 'expect_column_values_to_not_be_null', column: 'car_number' })).toBe('car_number not null');
    expect(expectationName({ ...increasing, strictly: false })).toBe('event_id increasing per session_id, car_number');
    expect(expectationName({ type: 'expect_compound_columns_to_be_unique', column_list: ['session_id', 'car_number', 'event_id'] })).toBe('(session_id, car_number, event_id) unique');
    expect(expectationName({ type: 'expect_column_pair_values_A_to_be_greater_than_B', column_A: 'ingested_at', column_B: 'event_time', or_equal: true })).toBe('ingested_at >= event_time');
    expect(expectationName({ type: 'expect_column_values_to_be_fresh', column: 'event_time', max_age_ms: 300_000 })).toBe('event_time fresh (age <= 5min)');
    expect(expectationName({ type: 'expect_table_row_count_to_be_between', min_value: 1 })).toBe('row count >= 1');
    expect(expectationName({ ...pressure, name: 'pressure plausible' })).toBe('pressure plausible');
  });

  it('statistics, suite identity, run identity', () => {
    const r = validate(telemetry, suite(pressure, increasing, { type: 'expect_table_row_count_to_be_between', min_value: 1 }), { now: new Date(NOW), runId: 'batch 42', suiteHash: 'abc' });
    expect(r.statistics).toEqual({ evaluated: 3, successful: 1, unsuccessful: 2, successPercent: 100 / 3 });
    expect(r).toMatchObject({ format: 1, suite: { name: 'f1', hash: 'abc' }, runId: 'batch 42', runAt: '2026-03-01T12:00:00.000Z', rowCount: 6, resultFormat: 'BASIC' });
    expect(validate(telemetry, suite()).suite.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('options out of range are INVALID_OPTIONS; mostly out of range is INVALID_SUITE with its path', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof QualityError ? [err.code, err.context.option ?? err.context.path] : String(err);
      }
      return 'no error';
    };
    expect(code(() => validate(telemetry, suite(), { resultFormat: 'FULL' as never }))).toEqual(['INVALID_OPTIONS', 'resultFormat']);
    expect(code(() => validate(telemetry, suite(), { now: NaN }))).toEqual(['INVALID_OPTIONS', 'now']);
    expect(code(() => validate(telemetry, suite(), { now: new Date('nope') }))).toEqual(['INVALID_OPTIONS', 'now']);
    expect(code(() => validate(telemetry, suite(pressure, { ...pressure, mostly: 1.5 })))).toEqual(['INVALID_SUITE', 'expectations[1].mostly']);
  });
});

describe('stored JSON', () => {
  it('round-trips through JSON text and the zod schema, without the verdict', () => {
    for (const resultFormat of ['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE'] as const) {
      const r = validate(telemetry, suite(pressure, increasing, { type: 'expect_column_max_to_be_between', column: 'event_id', max_value: 3 }, { ...pressure, column: 'nope' }), { resultFormat, now: NOW });
      const stored = toStoredResult(r);
      expect(stored).not.toHaveProperty('verdict');
      const text = JSON.stringify(stored);
      expect(parseValidationResult(text)).toEqual(stored);
      expect(parseValidationResult(JSON.parse(text))).toEqual(stored);
    }
  });

  it('a bad stored result is INVALID_RESULT with the JSON path of the mistake', () => {
    const stored = toStoredResult(validate(telemetry, suite(pressure), { now: NOW }));
    const bad = { ...stored, results: [{ ...stored.results[0], unexpected: -1 }] };
    expect(() => parseValidationResult(bad)).toThrow(expect.objectContaining({ code: 'INVALID_RESULT', context: { path: 'results[0].unexpected' } }));
    expect(() => parseValidationResult('{')).toThrow(expect.objectContaining({ code: 'INVALID_RESULT' }));
    expect(() => parseValidationResult({ ...stored, format: 2 })).toThrow(expect.objectContaining({ context: { path: 'format' } }));
  });
});
