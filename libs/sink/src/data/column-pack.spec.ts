import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMNS, plain } from '../../test/support/columns.js';
import { packColumns, unpackColumns } from './column-pack.js';

/**
 * Packing copies columns (possibly slices, possibly reordered) into one
 * shared buffer; unpacking must give the same cells as reading the input
 * rows in that order, for every column type the sink writes.
 */
describe('packColumns property: unpacked cells equal the input rows in order', () => {
  for (const column of COLUMNS) {
    it(column.name, () => {
      fc.assert(
        fc.property(
          fc.array(fc.option(column.value, { freq: 3 }), { maxLength: 60 }),
          fc.nat(),
          fc.nat(),
          fc.boolean(),
          fc.integer(),
          (cells, a, b, reorder, seed) => {
            const full = arrow.vectorFromArray(cells, column.type);
            // A slice (Data.offset ≠ 0, shared value buffers) half of the time.
            const from = cells.length === 0 ? 0 : a % (cells.length + 1);
            const to = cells.length === 0 ? 0 : from + (b % (cells.length - from + 1));
            const vector = b % 2 === 0 ? full : full.slice(from, to);
            const n = vector.length;
            const order = reorder ? shuffled(n, seed) : undefined;
            const packed = packColumns([vector.data[0] as arrow.Data], order);
            expect(packed).toBeDefined();
            const [data] = unpackColumns(packed as NonNullable<typeof packed>, [vector.type as arrow.DataType]);
            const out = arrow.makeVector(data as arrow.Data);
            const rows = order ? Array.from(order) : Array.from({ length: n }, (_, i) => i);
            expect(out.length).toBe(n);
            expect(out.nullCount).toBe(vector.nullCount);
            const expected = rows.map((i) => (vector.isValid(i) ? plain(vector.get(i)) : null));
            const actual = Array.from({ length: n }, (_, i) => (out.isValid(i) ? plain(out.get(i)) : null));
            expect(actual).toEqual(expected);
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('shares one buffer between all columns and copies only a slice\'s own rows', () => {
    const big = arrow.vectorFromArray(Array.from({ length: 10_000 }, (_, i) => `row-${i}-${'x'.repeat(20)}`), new arrow.Utf8());
    const ids = arrow.vectorFromArray(Array.from({ length: 10_000 }, (_, i) => i), new arrow.Int32());
    const packed = packColumns([big.slice(100, 110).data[0] as arrow.Data, ids.slice(100, 110).data[0] as arrow.Data]);
    expect(packed?.buffer).toBeInstanceOf(SharedArrayBuffer);
    // 10 strings of 31 bytes + 11 offsets + 10 int32, each 8-aligned: far below the 300 KB of the whole column.
    expect(packed?.buffer.byteLength).toBeLessThan(512);
    const [strings] = unpackColumns(packed as NonNullable<typeof packed>, [new arrow.Utf8(), new arrow.Int32()]);
    expect(arrow.makeVector(strings as arrow.Data).get(0)).toBe(`row-100-${'x'.repeat(20)}`);
  });

  it('refuses types it does not pack (the caller encodes in place)', () => {
    const list = arrow.vectorFromArray([[1, 2], [3]], new arrow.List(new arrow.Field('item', new arrow.Int32())));
    expect(packColumns([list.data[0] as arrow.Data])).toBeUndefined();
  });
});

/** A deterministic permutation of 0..n-1. */
function shuffled(n: number, seed: number): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}
