/**
 * Dense key codes per row, for uniqueness and grouping: equal values get
 * equal codes (0, 1, … in order of first appearance), nulls get -1. Strings
 * are hashed as bytes; numbers by their bits (NaN one value, −0 = 0);
 * dictionary columns code each dictionary entry once and map the indices.
 * Several columns combine into one code per distinct tuple.
 */
import * as arrow from 'apache-arrow';
import type { Column } from '../column.js';
import { BytesTable, PairTable } from './hash-table.js';
import { wordsOf } from './numeric.js';

/** One code per row (-1 for null), or why the column's type cannot be keyed. */
export function encodeColumn(column: Column): Int32Array | string {
  const codes = new Int32Array(column.length);
  const pairs = new PairTable();
  const bytes = new BytesTable();
  const dictionaries = new Map<arrow.Vector, Int32Array>();
  let base = 0;
  for (const data of column.chunks) {
    if (data.typeId === arrow.Type.Null) codes.fill(-1, base, base + data.length);
    else if (data.dictionary) {
      let entries = dictionaries.get(data.dictionary);
      if (!entries) {
        entries = new Int32Array(data.dictionary.length);
        let entryBase = 0;
        for (const d of data.dictionary.data as arrow.Data[]) {
          const error = encodeChunk(d, entries, entryBase, pairs, bytes);
          if (error) return error;
          entryBase += d.length;
        }
        dictionaries.set(data.dictionary, entries);
      }
      const idx = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) codes[base + i] = entries[idx[i] as number] as number;
      nullsToMinusOne(data, codes, base);
    } else {
      const error = encodeChunk(data, codes, base, pairs, bytes);
      if (error) return error;
    }
    base += data.length;
  }
  return codes;
}

/** One code per distinct (a[i], b[i]). */
export function combineCodes(a: Int32Array, b: Int32Array): Int32Array {
  const table = new PairTable(Math.min(a.length, 1 << 16));
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = table.intern(a[i] as number, b[i] as number);
  return out;
}

/** The number of distinct codes (max + 1). */
export function codeCount(codes: Int32Array): number {
  let max = -1;
  for (let i = 0; i < codes.length; i++) if ((codes[i] as number) > max) max = codes[i] as number;
  return max + 1;
}

function encodeChunk(data: arrow.Data, codes: Int32Array, base: number, pairs: PairTable, bytes: BytesTable): string | undefined {
  const n = data.length;
  const type = data.type as arrow.DataType;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) {
    const { offsets, stride } = offsetsOf(data);
    const values = data.values as Uint8Array;
    for (let i = 0; i < n; i++) codes[base + i] = bytes.intern(values, offsets[i * stride] as number, offsets[(i + 1) * stride] as number);
  } else if (arrow.DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    const off = data.offset;
    for (let i = 0; i < n; i++) codes[base + i] = ((bits[(off + i) >> 3] as number) >> ((off + i) & 7)) & 1;
  } else {
    const w = wordsOf(data);
    if (w) for (let i = 0; i < n; i++) codes[base + i] = pairs.intern(w[2 * i] as number, w[2 * i + 1] as number);
    else if (data.values instanceof Float64Array) {
      const f = data.values;
      const bits = new Int32Array(f.buffer, f.byteOffset, n * 2);
      for (let i = 0; i < n; i++) {
        const v = f[i] as number;
        codes[base + i] = v !== v ? pairs.intern(0x7ff80000, 1) : v === 0 ? pairs.intern(0, 0) : pairs.intern(bits[2 * i] as number, bits[2 * i + 1] as number);
      }
    } else if (data.values instanceof Float32Array) {
      const f = data.values;
      const bits = new Int32Array(f.buffer, f.byteOffset, n);
      for (let i = 0; i < n; i++) {
        const v = f[i] as number;
        codes[base + i] = v !== v ? pairs.intern(0x7fc00000, 1) : v === 0 ? pairs.intern(0, 0) : pairs.intern(bits[i] as number, 0);
      }
    } else if (arrow.DataType.isInt(type) || arrow.DataType.isDate(type) || arrow.DataType.isTime(type)) {
      const v = data.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) codes[base + i] = pairs.intern((v[i] as number) | 0, 0);
    } else return `values of type ${String(type)} cannot be compared for equality`;
  }
  nullsToMinusOne(data, codes, base);
  return undefined;
}

function nullsToMinusOne(data: arrow.Data, codes: Int32Array, base: number): void {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return;
  const off = data.offset;
  for (let i = 0; i < data.length; i++) {
    const bit = off + i;
    if (((bitmap[bit >> 3] as number) & (1 << (bit & 7))) === 0) codes[base + i] = -1;
  }
}

/** Value offsets of a (Large)Utf8/Binary chunk: row i spans [offsets[i·stride], offsets[(i+1)·stride]) (LargeUtf8 read by its low words). */
export function offsetsOf(data: arrow.Data): { readonly offsets: Int32Array; readonly stride: 1 | 2 } {
  const o = data.valueOffsets as unknown;
  if (o instanceof BigInt64Array) return { offsets: new Int32Array(o.buffer, o.byteOffset, o.length * 2), stride: 2 };
  return { offsets: o as Int32Array, stride: 1 };
}
