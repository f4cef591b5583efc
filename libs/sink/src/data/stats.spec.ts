import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, computeStats, parseStats, statsJson, truncateMax, truncateMin } from './stats.js';

function vec<T extends arrow.DataType>(type: T, values: unknown[]): arrow.Vector<T> {
  return arrow.vectorFromArray(values, type) as arrow.Vector<T>;
}

describe('computeStats', () => {
  it('writes Spark-shaped stats for primitive, nested and skipped columns', () => {
    const struct = new arrow.Struct([new arrow.Field('x', new arrow.Float64()), new arrow.Field('ok', new arrow.Bool())]);
    const table = new arrow.Table({
      id: vec(new arrow.Int64(), [3n, 1n, null, 9007199254740993n]),
      i: vec(new arrow.Int32(), [5, -2, 7, null]),
      f: vec(new arrow.Float32(), [0.1, 2.5, null, -1]),
      s: vec(new arrow.Utf8(), ['b', 'a'.repeat(40), null, 'c']),
      ts: vec(new arrow.TimestampMillisecond('UTC'), [0, 1_500, 86_400_000, null]),
      d: vec(new arrow.DateDay(), [new Date(0), null, new Date(Date.UTC(2026, 2, 6)), null]),
      b: vec(new arrow.Bool(), [true, null, false, true]),
      nested: vec(struct, [{ x: 1, ok: true }, null, { x: null, ok: false }, { x: -4, ok: null }]),
      part: vec(new arrow.Utf8(), ['p', 'p', 'p', 'p']),
    });
    const stats = computeStats(table, ['part']);
    expect(stats).toEqual({
      numRecords: 4,
      minValues: {
        id: 1n,
        i: -2,
        f: -1,
        s: 'a'.repeat(32),
        ts: '1970-01-01T00:00:00.000Z',
        d: '1970-01-01',
        nested: { x: -4 },
      },
      maxValues: {
        id: 9007199254740993n,
        i: 7,
        f: 2.5,
        s: 'c',
        ts: '1970-01-02T00:00:00.000Z',
        d: '2026-03-06',
        nested: { x: 1 },
      },
      nullCount: { id: 1, i: 1, f: 1, s: 1, ts: 1, d: 2, b: 1, nested: { x: 2, ok: 2 } },
    });
    const json = statsJson(stats);
    expect(json).toContain('"id":9007199254740993');
    expect(json.startsWith('{"numRecords":4,"minValues":{')).toBe(true);
    expect(parseStats(json)).toMatchObject({ numRecords: 4, nullCount: stats.nullCount, minValues: { s: 'a'.repeat(32) } });
  });

  it('leaves out min/max with NaN or infinities', () => {
    const table = new arrow.Table({
      a: vec(new arrow.Float64(), [1, Number.NaN]),
      b: vec(new arrow.Float64(), [1, Number.POSITIVE_INFINITY]),
    });
    const stats = computeStats(table, []);
    expect(stats.minValues).toEqual({ b: 1 });
    expect(stats.maxValues).toEqual({});
    expect(JSON.parse(statsJson(stats))).toEqual({ numRecords: 2, minValues: { b: 1 }, maxValues: {}, nullCount: { a: 0, b: 0 } });
  });

  it('reads Spark stats tolerantly', () => {
    expect(parseStats(undefined)).toBeUndefined();
    expect(parseStats('nope')).toBeUndefined();
    expect(parseStats('{"numRecords":5,"minValues":{"a":1,"s":{"x":"q"}},"maxValues":[],"nullCount":{"a":0,"s":{"x":1}}}')).toEqual({
      numRecords: 5,
      minValues: { a: 1, s: { x: 'q' } },
      maxValues: {},
      nullCount: { a: 0, s: { x: 1 } },
    });
  });
});

describe('string bounds', () => {
  it('truncates max to a string greater than every value with the prefix', () => {
    expect(truncateMax('abc', 2)).toBe('ac');
    expect(truncateMax('ab', 2)).toBe('ab');
    expect(truncateMax('a\u{10FFFF}c', 2)).toBe('b');
    expect(truncateMax('\u{10FFFF}\u{10FFFF}c', 2)).toBeUndefined();
    expect(truncateMin('😈😈😈', 2)).toBe('😈😈');
  });

  it('orders by code point', () => {
    expect(compareCodePoints('\uffff', '😈')).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
  });
});

describe('stats property: match a naive computation for arbitrary tables', () => {
  const row = fc.record({
    i: fc.option(fc.integer({ min: -1000, max: 1000 })),
    l: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
    d: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    s: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 })),
    t: fc.option(fc.integer({ min: -1e12, max: 1e13 })),
  });

  it('min/max/nullCount', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
        const table = new arrow.Table({
          i: vec(new arrow.Int32(), col('i')),
          l: vec(new arrow.Int64(), col('l')),
          d: vec(new arrow.Float64(), col('d')),
          s: vec(new arrow.Utf8(), col('s')),
          t: vec(new arrow.TimestampMillisecond('UTC'), col('t')),
        });
        const stats = computeStats(table, []);
        expect(stats.numRecords).toBe(rows.length);
        for (const k of ['i', 'l', 'd', 's', 't'] as const) {
          const present = col(k).filter((v) => v !== null) as (number | bigint | string)[];
          expect(stats.nullCount[k]).toBe(rows.length - present.length);
          if (present.length === 0) {
            expect(stats.minValues[k]).toBeUndefined();
            continue;
          }
          const sorted = [...present].sort(k === 's' ? compareCodePoints : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const lo = sorted[0] as number | bigint | string;
          const hi = sorted[sorted.length - 1] as number | bigint | string;
          if (k === 's') {
            const min = stats.minValues[k] as string;
            const max = stats.maxValues[k] as string | undefined;
            expect((lo as string).startsWith(min)).toBe(true);
            expect(Array.from(min).length).toBeLessThanOrEqual(32);
            if (max !== undefined) for (const v of present) expect(compareCodePoints(max, v)).toBeGreaterThanOrEqual(0);
          } else if (k === 't') {
            expect(stats.minValues[k]).toBe(new Date(lo as number).toISOString());
            expect(stats.maxValues[k]).toBe(new Date(hi as number).toISOString());
          } else {
            expect(stats.minValues[k]).toBe(lo);
            expect(stats.maxValues[k]).toBe(hi);
          }
        }
        expect(parseStats(statsJson(stats))?.numRecords).toBe(rows.length);
      }),
      { numRuns: 150 },
    );
  });
});
