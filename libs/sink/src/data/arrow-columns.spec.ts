import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMNS, plain } from '../../test/support/columns.js';
import { takeVector } from './arrow-columns.js';

describe('takeVector property: same cells as a get()-based gather', () => {
  for (const column of COLUMNS) {
    it(column.name, () => {
      fc.assert(
        fc.property(
          fc.array(fc.option(column.value, { freq: 3 }), { maxLength: 60 }),
          fc.nat(),
          fc.nat(),
          fc.array(fc.nat(), { maxLength: 80 }),
          (cells, a, b, picks) => {
            const full = arrow.vectorFromArray(cells, column.type);
            // A slice of the column (Data.offset ≠ 0) half of the time.
            const from = cells.length === 0 ? 0 : a % (cells.length + 1);
            const to = cells.length === 0 ? 0 : from + (b % (cells.length - from + 1));
            const vector = b % 2 === 0 ? full : full.slice(from, to);
            const n = vector.length;
            const indices = Int32Array.from(n === 0 ? [] : picks.map((p) => p % n));
            const taken = takeVector(vector, indices);
            expect(taken.length).toBe(indices.length);
            expect(taken.data.length).toBe(1);
            expect(String(taken.type)).toBe(String(vector.type));
            const expected = Array.from(indices, (i) => (vector.isValid(i) ? plain(vector.get(i)) : null));
            const actual = Array.from({ length: indices.length }, (_, i) => (taken.isValid(i) ? plain(taken.get(i)) : null));
            expect(actual).toEqual(expected);
            expect(taken.nullCount).toBe(expected.filter((v) => v === null).length);
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('keeps 64-bit integers and microsecond timestamps exact', () => {
    const ts = arrow.makeVector(
      arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: 3, nullCount: 0, data: BigInt64Array.from([1n, 2n ** 62n + 1n, -5n]) }),
    );
    const taken = takeVector(ts.slice(1), Int32Array.from([1, 0, 0]));
    expect(Array.from(taken.data[0]?.values as BigInt64Array)).toEqual([-5n, 2n ** 62n + 1n, 2n ** 62n + 1n]);
  });
});
