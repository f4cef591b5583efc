/**
 * Per-row outcomes: every row kernel marks the rows that FAIL in a shared
 * `Uint8Array` (one byte per table row) that it receives all zero, and
 * returns its counts. A kernel writes only FAIL (1), and only for valid
 * (non-null) rows, so a clean batch costs loads and compares, no stores, and
 * the same zeroed buffer serves the next expectation. Nulls are counted from
 * the chunks' null counts. Value kernels see one chunk at a time;
 * `runValueKernel` handles dictionaries (the kernel runs once over the
 * dictionary's values, rows then map codes).
 */
import * as arrow from 'apache-arrow';
import type { Column } from '../column.js';

export const PASS = 0;
export const FAIL = 1;

/**
 * Marks FAIL for the valid rows of a (non-dictionary) chunk that fail, at
 * `out[base + i]` (out is zero there); returns the FAIL count.
 */
export type ChunkKernel = (data: arrow.Data, out: Uint8Array, base: number) => number;

export interface Tally {
  unexpected: number;
  missing: number;
}

/** A kernel for a column's value type, or why the expectation does not apply. */
export type Prepared = { readonly kernel: ChunkKernel } | { readonly error: string };

/** The type a value kernel must be prepared for: the dictionary's value type for a dictionary column. */
export function valueType(type: arrow.DataType): arrow.DataType {
  return arrow.DataType.isDictionary(type) ? (type.dictionary as arrow.DataType) : type;
}

/** The validity bitmap of a chunk when it has nulls, else null (every row valid). */
export function nullsOf(data: arrow.Data): Uint8Array | null {
  const bitmap = data.nullBitmap;
  return bitmap && bitmap.length > 0 && data.nullCount > 0 ? bitmap : null;
}

/** Bit `bit` (data.offset + row) of a validity bitmap from `nullsOf` is set. */
export function isValid(bitmap: Uint8Array | null, bit: number): boolean {
  return bitmap === null || (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1;
}

/** At most a quarter of the chunk's rows are valid: kernels then visit the valid rows through the bitmap instead of every row. */
export function isSparse(data: arrow.Data): boolean {
  return data.nullCount * 4 >= data.length * 3;
}

/** The validity bits of rows bit .. bit + 7 (all of them within the chunk) as one byte. */
export function validByte(bitmap: Uint8Array, bit: number): number {
  const byte = bit >> 3;
  const shift = bit & 7;
  return shift === 0 ? (bitmap[byte] as number) : (((bitmap[byte] as number) | ((bitmap[byte + 1] as number) << 8)) >> shift) & 0xff;
}

/** Marks FAIL at out[at + k] for each bit k of `mask` whose row (validity bit `bit + k`) is valid; returns how many. */
export function markValid(mask: number, bitmap: Uint8Array | null, bit: number, out: Uint8Array, at: number): number {
  let m = mask;
  if (bitmap !== null) m &= validByte(bitmap, bit);
  let fails = 0;
  while (m !== 0) {
    out[at + (31 - Math.clz32(m & -m))] = FAIL;
    fails++;
    m &= m - 1;
  }
  return fails;
}

/** Runs a value kernel over every chunk of a column. */
export function runValueKernel(column: Column, kernel: ChunkKernel, out: Uint8Array): Tally {
  const tally: Tally = { unexpected: 0, missing: 0 };
  let dictionary: arrow.Vector | undefined;
  let entries = new Uint8Array(0);
  let entryNulls: Uint8Array | null = null;
  let base = 0;
  for (const data of column.chunks) {
    if (data.typeId === arrow.Type.Null) tally.missing += data.length;
    else if (data.dictionary) {
      if (data.dictionary !== dictionary) {
        dictionary = data.dictionary;
        entries = new Uint8Array(dictionary.length);
        entryNulls = dictionary.nullCount > 0 ? new Uint8Array(dictionary.length) : null;
        let entryBase = 0;
        for (const d of dictionary.data as arrow.Data[]) {
          kernel(d, entries, entryBase);
          const bitmap = nullsOf(d);
          if (entryNulls && bitmap) for (let j = 0; j < d.length; j++) if (!isValid(bitmap, d.offset + j)) entryNulls[entryBase + j] = 1;
          entryBase += d.length;
        }
      }
      mapCodes(data, entries, entryNulls, out, base, tally);
    } else {
      tally.unexpected += kernel(data, out, base);
      tally.missing += data.nullCount;
    }
    base += data.length;
  }
  return tally;
}

function mapCodes(data: arrow.Data, entries: Uint8Array, entryNulls: Uint8Array | null, out: Uint8Array, base: number, tally: Tally): void {
  const codes = data.values as ArrayLike<number>;
  const n = data.length;
  const bitmap = nullsOf(data);
  const off = data.offset;
  let fails = 0;
  for (let i = 0; i < n; i++) {
    if (entries[codes[i] as number] === FAIL && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  let missing = data.nullCount;
  if (entryNulls) for (let i = 0; i < n; i++) if (entryNulls[codes[i] as number] === 1 && isValid(bitmap, off + i)) missing++;
  tally.unexpected += fails;
  tally.missing += missing;
}
