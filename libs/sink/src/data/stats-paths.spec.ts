import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStats } from './stats.js';

/**
 * computeStats reads one-chunk columns from their buffers and falls back to
 * per-row get() for chunked ones: both must give the same stats, also for
 * sliced tables (Data.offset ≠ 0) and nested structs.
 */
describe('stats property: buffer path equals the get() path', () => {
  const struct = new arrow.Struct([new arrow.Field('x', new arrow.Float64()), new arrow.Field('s', new arrow.Utf8()), new arrow.Field('l', new arrow.Int64())]);
  const columns = {
    i8: { type: new arrow.Int8(), value: fc.integer({ min: -128, max: 127 }) },
    u32: { type: new arrow.Uint32(), value: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
    l: { type: new arrow.Int64(), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
    ul: { type: new arrow.Uint64(), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
    f32: { type: new arrow.Float32(), value: fc.float() },
    d: { type: new arrow.Float64(), value: fc.double() },
    s: { type: new arrow.Utf8(), value: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    b: { type: new arrow.Bool(), value: fc.boolean() },
    tms: { type: new arrow.TimestampMillisecond('UTC'), value: fc.integer({ min: -1e12, max: 1e13 }) },
    tus: { type: new arrow.TimestampMicrosecond(), value: fc.integer({ min: -1e12, max: 1e13 }) },
    day: { type: new arrow.DateDay(), value: fc.integer({ min: -50_000, max: 50_000 }).map((x) => new Date(x * 86_400_000)) },
    st: {
      type: struct,
      value: fc.record({
        x: fc.option(fc.double()),
        s: fc.option(fc.string({ unit: 'binary', maxLength: 6 })),
        l: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      }),
    },
  } as const;
  type Name = keyof typeof columns;
  const names = Object.keys(columns) as Name[];
  const row = fc.record(Object.fromEntries(names.map((k) => [k, fc.option(columns[k].value as fc.Arbitrary<unknown>, { freq: 3 })])) as { [K in Name]: fc.Arbitrary<unknown> });

  const table = (rows: Record<string, unknown>[]): arrow.Table =>
    new arrow.Table(Object.fromEntries(names.map((k) => [k, arrow.vectorFromArray(rows.map((r) => r[k]), columns[k].type as arrow.DataType)])));

  it('same stats', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.array(row, { minLength: 1, maxLength: 30 }), fc.array(row, { maxLength: 5 }), (a, b, pad) => {
        const chunked = table(a).concat(table(b));
        expect(chunked.getChildAt(0)?.data.length).toBe(2);
        const expected = computeStats(chunked);
        const whole = table([...a, ...b]);
        expect(computeStats(whole)).toEqual(expected);
        const padded = table([...pad, ...a, ...b, ...pad]).slice(pad.length, pad.length + a.length + b.length);
        if (pad.length > 0) expect(padded.getChildAt(0)?.data[0]?.offset).toBe(pad.length);
        expect(computeStats(padded)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  // The buffer path walks validity bitmaps byte by byte: cover columns that are
  // all valid, mostly null (as silver payload columns are) and all null, over
  // several bitmap bytes, sliced at offsets within and beyond the first byte.
  const cellOf = (k: Name, nullWeight: number): fc.Arbitrary<unknown> => {
    const value = columns[k].value as fc.Arbitrary<unknown>;
    if (nullWeight === 0) return value;
    if (nullWeight === Infinity) return fc.constant(null);
    return fc.oneof({ arbitrary: fc.constant(null), weight: nullWeight }, { arbitrary: value, weight: 1 });
  };
  const rowsOf = (nullWeight: number, minLength: number, maxLength: number): fc.Arbitrary<Record<string, unknown>[]> =>
    fc.array(fc.record(Object.fromEntries(names.map((k) => [k, cellOf(k, nullWeight)])) as { [K in Name]: fc.Arbitrary<unknown> }), { minLength, maxLength });

  it('same stats for dense, sparse and all-null columns at any offset', () => {
    const input = fc
      .constantFrom(0, 1, 8, Infinity)
      .chain((w) => fc.tuple(rowsOf(w, 1, 40), rowsOf(w, 1, 40), rowsOf(w, 0, 20)));
    fc.assert(
      fc.property(input, ([a, b, pad]) => {
        const expected = computeStats(table(a).concat(table(b)));
        expect(computeStats(table([...a, ...b]))).toEqual(expected);
        const padded = table([...pad, ...a, ...b, ...pad]).slice(pad.length, pad.length + a.length + b.length);
        expect(computeStats(padded)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
