/**
 * `expect_column_values_to_be_between` and the range test freshness reuses:
 * one pass per chunk comparing plain numbers against an inclusive number
 * range (NaN is outside every range, ±Infinity compare normally) or 64-bit
 * words against an inclusive word range (exact, no BigInt per row).
 */
import type * as arrow from 'apache-arrow';
import type { Between } from '../expectation.js';
import { toRanges, type Ranges, type WordRange } from './bounds.js';
import { numericDomain, numbersOf, wordsOf } from './numeric.js';
import { FAIL, isSparse, isValid, markValid, nullsOf, validByte, type ChunkKernel, type Prepared } from './outcome.js';

export function prepareBetween(e: Between, type: arrow.DataType): Prepared {
  const domain = numericDomain(type);
  if (!domain) return { error: `${e.type} applies to numeric and temporal columns, not ${String(type)}` };
  const ranges = toRanges({ min: e.min_value, max: e.max_value, strictMin: e.strict_min, strictMax: e.strict_max }, domain);
  if (typeof ranges === 'string') return { error: ranges };
  return { kernel: rangeKernel(ranges, domain.unsigned) };
}

/** FAIL for valid values outside the range. A chunk whose rows are all null is skipped. */
export function rangeKernel(ranges: Ranges, unsigned: boolean): ChunkKernel {
  const lo = ranges.numbers.lo;
  const hi = ranges.numbers.hi;
  return (data: arrow.Data, out: Uint8Array, base: number): number => {
    const n = data.length;
    if (n === 0 || data.nullCount === n) return 0;
    const bitmap = nullsOf(data);
    const w = wordsOf(data);
    if (w) return wordsOutside(w, n, ranges.words, unsigned, bitmap, data.offset, out, base);
    // One monomorphic loop per array type (most columns are Float64).
    const v = numbersOf(data);
    // Mostly-null chunks (payload columns of other event types) visit their valid rows only.
    if (bitmap !== null && isSparse(data)) return v instanceof Float64Array ? float64Sparse(v, n, lo, hi, bitmap, data.offset, out, base) : numbersSparse(v, n, lo, hi, bitmap, data.offset, out, base);
    if (v instanceof Float64Array) return float64Outside(v, n, lo, hi, bitmap, data.offset, out, base);
    if (v instanceof Int32Array) return int32Outside(v, n, lo, hi, bitmap, data.offset, out, base);
    if (v instanceof Int16Array) return int16Outside(v, n, lo, hi, bitmap, data.offset, out, base);
    return numbersOutside(v, n, lo, hi, bitmap, data.offset, out, base);
  };
}

/*
 * The loops below test 8 values at a time without branching (every value,
 * null or not: a null's slot holds some number), then keep the bits of valid
 * rows with the chunk's validity byte: clean blocks cost 8 loads and
 * compares, whatever the nulls. Rows past the last whole block go one by one.
 */

function float64Outside(v: Float64Array, n: number, lo: number, hi: number, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  let fails = 0;
  if (bitmap === null) {
    // No nulls: failures are rare, a plain branch predicts well.
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (!(x >= lo && x <= hi)) {
        out[base + i] = FAIL;
        fails++;
      }
    }
    return fails;
  }
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const m =
      +!((v[i] as number) >= lo && (v[i] as number) <= hi) |
      (+!((v[i + 1] as number) >= lo && (v[i + 1] as number) <= hi) << 1) |
      (+!((v[i + 2] as number) >= lo && (v[i + 2] as number) <= hi) << 2) |
      (+!((v[i + 3] as number) >= lo && (v[i + 3] as number) <= hi) << 3) |
      (+!((v[i + 4] as number) >= lo && (v[i + 4] as number) <= hi) << 4) |
      (+!((v[i + 5] as number) >= lo && (v[i + 5] as number) <= hi) << 5) |
      (+!((v[i + 6] as number) >= lo && (v[i + 6] as number) <= hi) << 6) |
      (+!((v[i + 7] as number) >= lo && (v[i + 7] as number) <= hi) << 7);
    if (m !== 0) fails += markValid(m, bitmap, off + i, out, base + i);
  }
  for (; i < n; i++) {
    const x = v[i] as number;
    if (!(x >= lo && x <= hi) && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  return fails;
}

function int32Outside(v: Int32Array, n: number, lo: number, hi: number, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  let fails = 0;
  if (bitmap === null) {
    // No nulls: failures are rare, a plain branch predicts well.
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (!(x >= lo && x <= hi)) {
        out[base + i] = FAIL;
        fails++;
      }
    }
    return fails;
  }
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const m =
      +!((v[i] as number) >= lo && (v[i] as number) <= hi) |
      (+!((v[i + 1] as number) >= lo && (v[i + 1] as number) <= hi) << 1) |
      (+!((v[i + 2] as number) >= lo && (v[i + 2] as number) <= hi) << 2) |
      (+!((v[i + 3] as number) >= lo && (v[i + 3] as number) <= hi) << 3) |
      (+!((v[i + 4] as number) >= lo && (v[i + 4] as number) <= hi) << 4) |
      (+!((v[i + 5] as number) >= lo && (v[i + 5] as number) <= hi) << 5) |
      (+!((v[i + 6] as number) >= lo && (v[i + 6] as number) <= hi) << 6) |
      (+!((v[i + 7] as number) >= lo && (v[i + 7] as number) <= hi) << 7);
    if (m !== 0) fails += markValid(m, bitmap, off + i, out, base + i);
  }
  for (; i < n; i++) {
    const x = v[i] as number;
    if (!(x >= lo && x <= hi) && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  return fails;
}

function int16Outside(v: Int16Array, n: number, lo: number, hi: number, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  let fails = 0;
  if (bitmap === null) {
    // No nulls: failures are rare, a plain branch predicts well.
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      if (!(x >= lo && x <= hi)) {
        out[base + i] = FAIL;
        fails++;
      }
    }
    return fails;
  }
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const m =
      +!((v[i] as number) >= lo && (v[i] as number) <= hi) |
      (+!((v[i + 1] as number) >= lo && (v[i + 1] as number) <= hi) << 1) |
      (+!((v[i + 2] as number) >= lo && (v[i + 2] as number) <= hi) << 2) |
      (+!((v[i + 3] as number) >= lo && (v[i + 3] as number) <= hi) << 3) |
      (+!((v[i + 4] as number) >= lo && (v[i + 4] as number) <= hi) << 4) |
      (+!((v[i + 5] as number) >= lo && (v[i + 5] as number) <= hi) << 5) |
      (+!((v[i + 6] as number) >= lo && (v[i + 6] as number) <= hi) << 6) |
      (+!((v[i + 7] as number) >= lo && (v[i + 7] as number) <= hi) << 7);
    if (m !== 0) fails += markValid(m, bitmap, off + i, out, base + i);
  }
  for (; i < n; i++) {
    const x = v[i] as number;
    if (!(x >= lo && x <= hi) && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  return fails;
}

function float64Sparse(v: Float64Array, n: number, lo: number, hi: number, bitmap: Uint8Array, off: number, out: Uint8Array, base: number): number {
  let fails = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    for (let m = validByte(bitmap, off + i); m !== 0; m &= m - 1) {
      const r = i + (31 - Math.clz32(m & -m));
      const x = v[r] as number;
      if (!(x >= lo && x <= hi)) {
        out[base + r] = FAIL;
        fails++;
      }
    }
  }
  return fails + numbersOutside(v.subarray(i), n - i, lo, hi, bitmap, off + i, out, base + i);
}

function numbersSparse(v: ArrayLike<number>, n: number, lo: number, hi: number, bitmap: Uint8Array, off: number, out: Uint8Array, base: number): number {
  let fails = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    for (let m = validByte(bitmap, off + i); m !== 0; m &= m - 1) {
      const r = i + (31 - Math.clz32(m & -m));
      const x = v[r] as number;
      if (!(x >= lo && x <= hi)) {
        out[base + r] = FAIL;
        fails++;
      }
    }
  }
  for (; i < n; i++) {
    const x = v[i] as number;
    if (!(x >= lo && x <= hi) && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  return fails;
}

/** Other number arrays (Int8, unsigned, Float32, Date32): one loop for them all. */
function numbersOutside(v: ArrayLike<number>, n: number, lo: number, hi: number, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  let fails = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (!(x >= lo && x <= hi) && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  return fails;
}

function wordsOutside(w: Int32Array, n: number, r: WordRange, unsigned: boolean, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  const { loH, loL, hiH, hiL, empty } = r;
  let fails = 0;
  for (let i = 0; i < n; i++) {
    const h = unsigned ? (w[2 * i + 1] as number) >>> 0 : (w[2 * i + 1] as number);
    // Most rows are decided by the high word alone.
    if (!empty && h > loH && h < hiH) continue;
    const l = (w[2 * i] as number) >>> 0;
    if ((empty || h < loH || (h === loH && l < loL) || h > hiH || (h === hiH && l > hiL)) && isValid(bitmap, off + i)) {
      out[base + i] = FAIL;
      fails++;
    }
  }
  return fails;
}

/** Whether one 64-bit value (as words) lies in a word range. */
export function wordsInRange(h: number, l: number, r: WordRange): boolean {
  return !(r.empty || h < r.loH || (h === r.loH && l < r.loL) || h > r.hiH || (h === r.hiH && l > r.hiL));
}
