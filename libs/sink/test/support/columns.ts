/** Column types the sink writes, with fast-check cell generators, for column-level property tests. */
import * as arrow from 'apache-arrow';
import fc from 'fast-check';

const struct = new arrow.Struct([new arrow.Field('x', new arrow.Float64()), new arrow.Field('s', new arrow.Utf8())]);

export const COLUMNS: readonly { name: string; type: arrow.DataType; value: fc.Arbitrary<unknown> }[] = [
  { name: 'i8', type: new arrow.Int8(), value: fc.integer({ min: -128, max: 127 }) },
  { name: 'i16', type: new arrow.Int16(), value: fc.integer({ min: -32768, max: 32767 }) },
  { name: 'i32', type: new arrow.Int32(), value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  { name: 'i64', type: new arrow.Int64(), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
  { name: 'f32', type: new arrow.Float32(), value: fc.float({ noNaN: true }) },
  { name: 'f64', type: new arrow.Float64(), value: fc.double() },
  { name: 'utf8', type: new arrow.Utf8(), value: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { name: 'bin', type: new arrow.Binary(), value: fc.uint8Array({ maxLength: 30 }) },
  { name: 'bool', type: new arrow.Bool(), value: fc.boolean() },
  { name: 'ts', type: new arrow.TimestampMillisecond('UTC'), value: fc.integer({ min: -1e12, max: 1e13 }) },
  { name: 'date', type: new arrow.DateDay(), value: fc.integer({ min: -50_000, max: 50_000 }).map((d) => new Date(d * 86_400_000)) },
  {
    name: 'struct',
    type: struct,
    value: fc.record({ x: fc.option(fc.double()), s: fc.option(fc.string({ maxLength: 5 })) }),
  },
];

/** A comparable form of a cell (Object.is for numbers, so NaN and -0 count). */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return Array.from(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') {
    return plain((v as { toJSON(): unknown }).toJSON());
  }
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

