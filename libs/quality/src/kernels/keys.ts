/**
 * Key codes per row, for uniqueness and grouping: equal values get equal
 * codes in [0, count), nulls get -1. Integers (and timestamps, int64) whose
 * range is small are coded by their offset from the minimum (no hashing);
 * other numbers by their bits in a hash table (NaN one value, −0 = 0);
 * strings as bytes (a row equal to the previous one reuses its code, a
 * chunk holding one value is coded at once);
 * dictionary columns code each dictionary entry once and map the indices.
 * Several columns combine into one code per distinct tuple — by arithmetic
 * when the product of their counts is small, else through a hash table.
 */
import { Buffer } from 'node:buffer';
import * as arrow from 'apache-arrow';
import type { Column } from '../column.js';
import { BytesTable, PairTable } from './hash-table.js';
import { numericDomain, wordsOf } from './numeric.js';
import { isValid, nullsOf } from './outcome.js';
import { sameBytes, viewOf } from './same-bytes.js';

export interface Codes {
  /** Per row: a code in [0, count), or -1 for null. */
  readonly codes: Int32Array;
  readonly count: number;
  /** How many rows are null (-1). */
  readonly nulls: number;
  /** Every row has code 0 (one value, no nulls). */
  readonly single?: boolean;
}

/**
 * Codes per column object: validate resolves each column once per call, so a
 * column keyed by several expectations (grouping, compound keys) is encoded
 * once. Codes are never written after they are made.
 */
const encoded = new WeakMap<Column, Codes | string>();

/** Codes of a column, or why its type cannot be keyed. */
export function encodeColumn(column: Column): Codes | string {
  let codes = encoded.get(column);
  if (codes === undefined) encoded.set(column, (codes = encode(column)));
  return codes;
}

function encode(column: Column): Codes | string {
  const ranged = rangeCodes(column);
  if (ranged) return ranged;
  const codes = new Int32Array(column.length);
  let nulls = 0;
  const pairs = new PairTable();
  const bytes = new BytesTable();
  let dictionary: arrow.Vector | undefined;
  let entries = new Int32Array(0);
  let base = 0;
  for (const data of column.chunks) {
    nulls += data.nullCount;
    if (data.typeId === arrow.Type.Null) codes.fill(-1, base, base + data.length);
    else if (data.dictionary) {
      if (data.dictionary !== dictionary) {
        dictionary = data.dictionary;
        entries = new Int32Array(dictionary.length);
        let entryBase = 0;
        for (const d of dictionary.data as arrow.Data[]) {
          const error = encodeChunk(d, entries, entryBase, pairs, bytes);
          if (error) return error;
          entryBase += d.length;
        }
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
  return { codes, count: Math.max(pairs.size, bytes.size, 2), nulls, single: nulls === 0 && pairs.size + bytes.size === 1 };
}

/** Combinations made during one validate call (codes objects live as long as its columns): (a, b) → codes. */
const combined = new WeakMap<Codes, WeakMap<Codes, Codes>>();

/** One code per distinct (a, b) pair of codes (nulls, -1, are a value here); the same codes object for the same pair. */
export function combineCodes(a: Codes, b: Codes): Codes {
  let byB = combined.get(a);
  if (!byB) combined.set(a, (byB = new WeakMap()));
  let key = byB.get(b);
  if (!key) byB.set(b, (key = combine(a, b)));
  return key;
}

function combine(a: Codes, b: Codes): Codes {
  // A constant column adds nothing to the other's codes (when those have no -1 to remap).
  if (a.single && b.nulls === 0) return b;
  if (b.single && a.nulls === 0) return a;
  const n = a.codes.length;
  if ((a.count + 1) * (b.count + 1) > 2 * n + 1024) {
    // Range codes can be sparse (a constant column's partner keeps its own): renumbered densely first.
    a = dense(a);
    b = dense(b);
  }
  const out = new Int32Array(n);
  const na = a.count + 1;
  const nb = b.count + 1;
  let next = 0;
  if (na * nb <= 2 * n + 1024) {
    const seen = new Int32Array(na * nb).fill(-1);
    for (let i = 0; i < n; i++) {
      const slot = ((a.codes[i] as number) + 1) * nb + (b.codes[i] as number) + 1;
      let id = seen[slot] as number;
      if (id < 0) seen[slot] = id = next++;
      out[i] = id;
    }
    return { codes: out, count: next, nulls: 0 };
  }
  const table = new PairTable(Math.min(n, 1 << 16));
  for (let i = 0; i < n; i++) out[i] = table.intern(a.codes[i] as number, b.codes[i] as number);
  return { codes: out, count: table.size, nulls: 0 };
}

/** The same partition of rows with codes numbered by first appearance (count = distinct values). */
function dense(c: Codes): Codes {
  const n = c.codes.length;
  const remap = new Int32Array(c.count).fill(-1);
  const codes = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const x = c.codes[i] as number;
    if (x < 0) codes[i] = -1;
    else {
      let id = remap[x] as number;
      if (id < 0) remap[x] = id = next++;
      codes[i] = id;
    }
  }
  return { codes, count: Math.max(next, 1), nulls: c.nulls };
}

/** Integer-like columns with a small range: code = value − min. */
function rangeCodes(column: Column): Codes | undefined {
  const type = column.type;
  const domain = numericDomain(type);
  if (!domain || arrow.DataType.isFloat(type)) return undefined;
  const unsigned = domain.unsigned;
  let min = Infinity;
  let max = -Infinity;
  let nulls = 0;
  for (const data of column.chunks) {
    const bitmap = nullsOf(data);
    const off = data.offset;
    nulls += data.nullCount;
    const w = wordsOf(data);
    if (w && !bitmap && !unsigned) {
      // Signed 64-bit without nulls (ids, offsets, times): no validity or sign tests per row.
      for (let i = 0; i < data.length; i++) {
        const x = (w[2 * i + 1] as number) * 4294967296 + ((w[2 * i] as number) >>> 0);
        if (x < min) min = x;
        if (x > max) max = x;
      }
    } else if (w) {
      for (let i = 0; i < data.length; i++) {
        if (bitmap && !isValid(bitmap, off + i)) continue;
        const x = ((unsigned ? (w[2 * i + 1] as number) >>> 0 : (w[2 * i + 1] as number)) * 4294967296) + ((w[2 * i] as number) >>> 0);
        if (x < min) min = x;
        if (x > max) max = x;
      }
    } else {
      const v = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) {
        if (bitmap && !isValid(bitmap, off + i)) continue;
        const x = v[i] as number;
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
  }
  if (min === Infinity) return { codes: new Int32Array(column.length).fill(-1), count: 1, nulls };
  if (min === max && nulls === 0) return { codes: new Int32Array(column.length), count: 1, nulls, single: true };
  if (!(Math.abs(min) <= Number.MAX_SAFE_INTEGER && Math.abs(max) <= Number.MAX_SAFE_INTEGER && max - min <= 2 * column.length + 1024)) return undefined;
  const codes = new Int32Array(column.length);
  let base = 0;
  for (const data of column.chunks) {
    const w = wordsOf(data);
    if (w) {
      // Within the range every value is exact; the high word times 2^32 plus the low word, minus min.
      for (let i = 0; i < data.length; i++) codes[base + i] = ((unsigned ? (w[2 * i + 1] as number) >>> 0 : (w[2 * i + 1] as number)) * 4294967296) + ((w[2 * i] as number) >>> 0) - min;
    } else {
      const v = data.values as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) codes[base + i] = (v[i] as number) - min;
    }
    nullsToMinusOne(data, codes, base);
    base += data.length;
  }
  return { codes, count: max - min + 1, nulls };
}

function encodeChunk(data: arrow.Data, codes: Int32Array, base: number, pairs: PairTable, bytes: BytesTable): string | undefined {
  const n = data.length;
  const type = data.type as arrow.DataType;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) {
    const { offsets, stride } = offsetsOf(data);
    const values = data.values as Uint8Array;
    if (isConstantBytes(data)) {
      const a = offsets[0] as number;
      codes.fill(bytes.intern(values, a, offsets[stride] as number), base, base + n);
      return undefined;
    }
    const view = viewOf(values);
    let prevStart = 0;
    let prevEnd = -1;
    let prevCode = -1;
    for (let i = 0; i < n; i++) {
      const a = offsets[i * stride] as number;
      const b = offsets[(i + 1) * stride] as number;
      if (b - a !== prevEnd - prevStart || !sameBytes(values, view, a, prevStart, b - a)) {
        prevCode = bytes.intern(values, a, b);
        prevStart = a;
        prevEnd = b;
      }
      codes[base + i] = prevCode;
    }
  } else if (arrow.DataType.isBool(type)) {
    const bits = data.values as Uint8Array;
    const off = data.offset;
    for (let i = 0; i < n; i++) codes[base + i] = pairs.intern(((bits[(off + i) >> 3] as number) >> ((off + i) & 7)) & 1, 0);
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
  const bitmap = nullsOf(data);
  if (!bitmap) return;
  for (let i = 0; i < data.length; i++) if (!isValid(bitmap, data.offset + i)) codes[base + i] = -1;
}

/** Value offsets of a (Large)Utf8/Binary chunk: row i spans [offsets[i·stride], offsets[(i+1)·stride]) (LargeUtf8 read by its low words). */
export function offsetsOf(data: arrow.Data): { readonly offsets: Int32Array; readonly stride: 1 | 2 } {
  const o = data.valueOffsets as unknown;
  if (o instanceof BigInt64Array) return { offsets: new Int32Array(o.buffer, o.byteOffset, o.length * 2), stride: 2 };
  return { offsets: o as Int32Array, stride: 1 };
}

/** Per chunk: whether every row holds the same bytes (kernels ask for the same chunks). */
const constantChunks = new WeakMap<arrow.Data, boolean>();

/**
 * Every row of a (Large)Utf8/Binary chunk holds the same bytes, with no nulls
 * (n ≥ 1): offsets at a fixed stride, then the value bytes equal to themselves
 * shifted by one value (one memcmp over the chunk's bytes).
 */
export function isConstantBytes(data: arrow.Data): boolean {
  let constant = constantChunks.get(data);
  if (constant === undefined) constantChunks.set(data, (constant = constantBytes(data)));
  return constant;
}

function constantBytes(data: arrow.Data): boolean {
  const n = data.length;
  if (n === 0 || data.nullCount !== 0) return false;
  const { offsets, stride } = offsetsOf(data);
  const a0 = offsets[0] as number;
  const len = (offsets[stride] as number) - a0;
  for (let i = 2; i <= n; i++) if ((offsets[i * stride] as number) !== a0 + i * len) return false;
  if (len === 0 || n === 1) return true;
  const values = data.values as Uint8Array;
  const total = n * len;
  if (a0 < 0 || a0 + total > values.length) return false;
  const bytes = Buffer.from(values.buffer, values.byteOffset + a0, total);
  return bytes.compare(bytes, len, total, 0, total - len) === 0;
}
