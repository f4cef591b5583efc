import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './partitions.js';
import { computeStats } from './stats.js';

const MIN_MICROS = -62_135_596_800_000_000n; // 0001-01-01T00:00:00Z
const MAX_MICROS = 253_402_300_799_999_999n; // 9999-12-31T23:59:59.999999Z

function timestamps(values: readonly bigint[], type: arrow.Timestamp = new arrow.TimestampMicrosecond('UTC')): arrow.Vector {
  return arrow.makeVector({ type, data: new BigInt64Array(values) } as never);
}

describe('timestamp and date stats are exact (#8.5)', () => {
  it('floors the min and ceils the max to the millisecond, over 0001–9999', () => {
    const stats = computeStats(new arrow.Table({ ts: timestamps([MAX_MICROS, MIN_MICROS + 1n]) }));
    expect(stats.minValues['ts']).toBe('0001-01-01T00:00:00.000Z');
    // 9999-12-31T23:59:59.999999 ceils past 9999: no max rather than `+010000-01-01`.
    expect(stats.maxValues['ts']).toBeUndefined();

    const near = computeStats(new arrow.Table({ ts: timestamps([MAX_MICROS - 1000n, MAX_MICROS - 1999n]) }));
    expect(near.minValues['ts']).toBe('9999-12-31T23:59:59.998Z');
    expect(near.maxValues['ts']).toBe('9999-12-31T23:59:59.999Z');
  });

  it('handles nanoseconds before the epoch and timestamp_ntz', () => {
    const ns = computeStats(new arrow.Table({ ts: timestamps([-1n, -1_000_001n], new arrow.TimestampNanosecond('UTC')) }));
    expect(ns.minValues['ts']).toBe('1969-12-31T23:59:59.998Z');
    expect(ns.maxValues['ts']).toBe('1970-01-01T00:00:00.000Z');
    const ntz = computeStats(new arrow.Table({ ts: timestamps([1_500n], new arrow.TimestampMicrosecond()) }));
    expect(ntz.minValues['ts']).toBe('1970-01-01T00:00:00.001');
    expect(ntz.maxValues['ts']).toBe('1970-01-01T00:00:00.002');
  });

  it('leaves out dates past 9999', () => {
    const days = arrow.makeVector({ type: new arrow.DateDay(), data: new Int32Array([2_932_896, 2_932_897, -719_162]) } as never);
    const stats = computeStats(new arrow.Table({ d: days }));
    expect(stats.minValues['d']).toBe('0001-01-01');
    expect(stats.maxValues['d']).toBeUndefined();
    const ok = computeStats(new arrow.Table({ d: days.slice(0, 1) }));
    expect(ok.maxValues['d']).toBe('9999-12-31');
  });

  it('property: min ≤ every value < min + 1 ms, max ≥ every value > max − 1 ms (one chunk, chunks, in a struct)', () => {
    const micros = fc.bigInt({ min: MIN_MICROS, max: MAX_MICROS - 1000n });
    fc.assert(
      fc.property(fc.array(micros, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 19 }), (values, cut) => {
        const lo = values.reduce((a, b) => (b < a ? b : a));
        const hi = values.reduce((a, b) => (b > a ? b : a));
        const whole = timestamps(values);
        const chunked = whole.slice(0, cut).concat(whole.slice(cut));
        const struct = arrow.makeVector(
          arrow.makeData({ type: new arrow.Struct([new arrow.Field('ts', whole.type)]), length: values.length, nullCount: 0, children: [whole.data[0] as arrow.Data] }),
        );
        for (const stats of [computeStats(new arrow.Table({ ts: whole })), computeStats(new arrow.Table({ ts: chunked })), computeStats(new arrow.Table({ s: struct }))]) {
          const min = (stats.minValues['ts'] ?? (stats.minValues['s'] as Record<string, unknown>)['ts']) as string;
          const max = (stats.maxValues['ts'] ?? (stats.maxValues['s'] as Record<string, unknown>)['ts']) as string;
          const minMicros = parseTimestamp(min) as bigint;
          const maxMicros = parseTimestamp(max) as bigint;
          expect(minMicros <= lo && lo < minMicros + 1000n).toBe(true);
          expect(maxMicros >= hi && hi > maxMicros - 1000n).toBe(true);
          expect(min).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        }
      }),
      { numRuns: 100 },
    );
  });
});
