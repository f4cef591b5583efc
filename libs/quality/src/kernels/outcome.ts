/**
 * Per-row outcomes: every row kernel writes one byte per table row into a
 * shared `Uint8Array` — PASS, FAIL, or MISSING (null: not evaluated) — and
 * returns its counts. Value kernels see one chunk at a time and ignore nulls;
 * `runValueKernel` lays the null bitmap over them and handles dictionaries
 * (the kernel runs once over the dictionary's values, rows then map codes).
 */
import * as arrow from 'apache-arrow';
import type { Column } from '../column.js';

export const PASS = 0;
export const FAIL = 1;
export const MISSING = 2;

/**
 * Writes PASS or FAIL for rows [0, data.length) of a (non-dictionary) chunk
 * into `out[base ...]`, whatever their validity; returns the FAIL count.
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

/** Runs a value kernel over every chunk of a column (nulls → MISSING). */
export function runValueKernel(column: Column, kernel: ChunkKernel, out: Uint8Array): Tally {
  const tally: Tally = { unexpected: 0, missing: 0 };
  const dictionaryOutcomes = new Map<arrow.Vector, Uint8Array>();
  let base = 0;
  for (const data of column.chunks) {
    if (data.typeId === arrow.Type.Null) {
      out.fill(MISSING, base, base + data.length);
      tally.missing += data.length;
    } else if (data.dictionary) {
      let entries = dictionaryOutcomes.get(data.dictionary);
      if (!entries) {
        entries = new Uint8Array(data.dictionary.length);
        let entryBase = 0;
        for (const d of data.dictionary.data as arrow.Data[]) {
          kernel(d, entries, entryBase);
          overlayNulls(d, entries, entryBase);
          entryBase += d.length;
        }
        dictionaryOutcomes.set(data.dictionary, entries);
      }
      mapCodes(data, entries, out, base, tally);
    } else {
      tally.unexpected += kernel(data, out, base) - overlayNulls(data, out, base);
      tally.missing += data.nullCount;
    }
    base += data.length;
  }
  return tally;
}

function mapCodes(data: arrow.Data, entries: Uint8Array, out: Uint8Array, base: number, tally: Tally): void {
  const codes = data.values as ArrayLike<number>;
  const n = data.length;
  const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
  let fails = 0;
  let missing = 0;
  if (!bitmap) {
    for (let i = 0; i < n; i++) {
      const o = entries[codes[i] as number] as number;
      out[base + i] = o;
      fails += o & 1;
      missing += o >> 1;
    }
  } else {
    const off = data.offset;
    for (let i = 0; i < n; i++) {
      const bit = off + i;
      const o = ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) === 0 ? MISSING : (entries[codes[i] as number] as number);
      out[base + i] = o;
      fails += o & 1;
      missing += o >> 1;
    }
  }
  tally.unexpected += fails;
  tally.missing += missing;
}

/** Marks the null rows of a chunk MISSING; returns how many of them had been marked FAIL. */
export function overlayNulls(data: arrow.Data, out: Uint8Array, base: number): number {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return 0;
  const off = data.offset;
  const n = data.length;
  let removed = 0;
  for (let i = 0; i < n; i++) {
    const bit = off + i;
    if (((bitmap[bit >> 3] as number) & (1 << (bit & 7))) === 0) {
      const k = base + i;
      if (out[k] === FAIL) removed++;
      out[k] = MISSING;
    }
  }
  return removed;
}

/** Validity of every row of a column as bytes (1 valid, 0 null). */
export function validityBytes(column: Column): Uint8Array {
  const valid = new Uint8Array(column.length).fill(1);
  let base = 0;
  for (const data of column.chunks) {
    if (data.typeId === arrow.Type.Null) valid.fill(0, base, base + data.length);
    else {
      const bitmap = data.nullBitmap;
      if (bitmap && bitmap.length > 0 && data.nullCount > 0) {
        const off = data.offset;
        for (let i = 0; i < data.length; i++) {
          const bit = off + i;
          if (((bitmap[bit >> 3] as number) & (1 << (bit & 7))) === 0) valid[base + i] = 0;
        }
      }
    }
    base += data.length;
  }
  return valid;
}

/** Counts of an outcome array. */
export function tallyOf(out: Uint8Array, length: number): Tally {
  let unexpected = 0;
  let missing = 0;
  for (let i = 0; i < length; i++) {
    const o = out[i] as number;
    unexpected += o & 1;
    missing += o >> 1;
  }
  return { unexpected, missing };
}
