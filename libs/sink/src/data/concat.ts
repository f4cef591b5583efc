/**
 * Concatenating the chunks of a column into one Data, on buffers: the
 * record batches of a table (or of a Parquet file's row groups) become one
 * column for planning and gathering. Handles the types the Delta mapping
 * produces (fixed width, bool, utf8/binary, struct, list, map) at any depth;
 * arrow-js slices are honoured (bitmaps and offset-addressed children are
 * not cut at a slice's offset, fixed-width values and value offsets are).
 */
import * as arrow from 'apache-arrow';
import { alignBits, hasFixedWidthValues, type FixedValues } from './arrow-columns.js';

/** One-chunk copy of a vector (the vector itself when it already is one chunk). */
export function flatten(vector: arrow.Vector): arrow.Vector {
  if (vector.data.length === 1) return vector;
  if (vector.data.length === 0) return arrow.makeVector(emptyData(vector.type as arrow.DataType));
  return arrow.makeVector(concatData(vector.data as arrow.Data[], vector.type as arrow.DataType));
}

/** A zero-row Data of `type`. */
export function emptyData(type: arrow.DataType): arrow.Data {
  return concatData([], type);
}

/** The rows of `chunks` (all of `type`) one after another, as one Data with offset 0. */
export function concatData(chunks: readonly arrow.Data[], type: arrow.DataType): arrow.Data {
  const length = chunks.reduce((n, d) => n + d.length, 0);
  const nullCount = chunks.reduce((n, d) => n + d.nullCount, 0);
  const nullBitmap = nullCount > 0 ? concatBits(chunks.map((d) => ({ bits: d.nullCount > 0 ? d.nullBitmap : undefined, offset: d.offset, length: d.length, fill: true }))) : undefined;
  const base = { type, length, nullCount, nullBitmap };
  const mk = (props: Record<string, unknown>): arrow.Data => arrow.makeData({ ...base, ...props } as never) as arrow.Data;
  if (hasFixedWidthValues(type)) {
    const stride = (arrow.makeData({ type, length: 0 } as never) as arrow.Data).stride;
    const Ctor = (type.ArrayType ?? Uint8Array) as unknown as new (n: number) => FixedValues;
    const out = new Ctor(length * stride);
    let at = 0;
    for (const d of chunks) {
      const values = d.values as FixedValues | undefined;
      if (values) (out as Uint8Array).set((values as Uint8Array).subarray(0, d.length * stride), at);
      at += d.length * stride;
    }
    return mk({ data: out });
  }
  if (arrow.DataType.isBool(type)) {
    return mk({ data: concatBits(chunks.map((d) => ({ bits: d.values as Uint8Array | undefined, offset: d.offset, length: d.length, fill: false }))) });
  }
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) {
    const { offsets, ranges } = concatOffsets(chunks);
    const bytes = new Uint8Array(offsets[length] as number);
    let at = 0;
    chunks.forEach((d, i) => {
      const [start, end] = ranges[i] as [number, number];
      if (end > start) bytes.set((d.values as Uint8Array).subarray(start, end), at);
      at += end - start;
    });
    return mk({ data: bytes, valueOffsets: offsets });
  }
  if (arrow.DataType.isStruct(type)) {
    const children = type.children.map((f, j) => concatData(chunks.map((d) => childRows(d, j, 0, d.length, f.type)), f.type));
    return mk({ children });
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isMap(type)) {
    const { offsets, ranges } = concatOffsets(chunks);
    const childType = type.children[0]?.type as arrow.DataType;
    const child = concatData(chunks.map((d, i) => childRows(d, 0, (ranges[i] as [number, number])[0], (ranges[i] as [number, number])[1] - (ranges[i] as [number, number])[0], childType)), childType);
    return mk({ valueOffsets: offsets, child });
  }
  throw new TypeError(`concatData: no concatenation for ${String(type)}`);
}

/** Rows [start, start + length) of child `j` of `d` (zero rows: a zero-row Data, as arrow-js may leave the child out). */
function childRows(d: arrow.Data, j: number, start: number, length: number, type: arrow.DataType): arrow.Data {
  if (length === 0) return emptyData(type);
  const child = d.children[j];
  if (!child) throw new TypeError(`concatData: ${String(d.type)} lacks child ${j}`);
  return start === 0 && length === child.length ? child : child.slice(start, length);
}

/** Int32 offsets of the chunks' rows one after another, and each chunk's referenced range of its values. */
function concatOffsets(chunks: readonly arrow.Data[]): { offsets: Int32Array; ranges: [number, number][] } {
  const length = chunks.reduce((n, d) => n + d.length, 0);
  const offsets = new Int32Array(length + 1);
  const ranges: [number, number][] = [];
  let row = 0;
  let base = 0;
  for (const d of chunks) {
    const src = d.valueOffsets as Int32Array | undefined;
    const first = src && d.length > 0 ? (src[0] as number) : 0;
    const last = src && d.length > 0 ? (src[d.length] as number) : 0;
    for (let i = 1; i <= d.length; i++) offsets[row + i] = base + ((src?.[i] as number) - first);
    ranges.push([first, last]);
    row += d.length;
    base += last - first;
  }
  return { offsets, ranges };
}

/** Bit runs one after another; a run without bits is all ones (`fill`) or all zeros. */
function concatBits(runs: readonly { bits: Uint8Array | null | undefined; offset: number; length: number; fill: boolean }[]): Uint8Array {
  const total = runs.reduce((n, r) => n + r.length, 0);
  if (runs.length === 1 && runs[0]?.bits) return alignBits(runs[0].bits, runs[0].offset, total);
  const out = new Uint8Array((total + 7) >> 3);
  let at = 0;
  for (const r of runs) {
    for (let i = 0; i < r.length; i++) {
      const pos = r.offset + i;
      const set = r.bits && r.bits.length > 0 ? (((r.bits[pos >> 3] as number) >> (pos & 7)) & 1) === 1 : r.fill;
      if (set) out[(at + i) >> 3] = (out[(at + i) >> 3] as number) | (1 << ((at + i) & 7));
    }
    at += r.length;
  }
  return out;
}
