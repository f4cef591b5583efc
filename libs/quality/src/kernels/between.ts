/**
 * `expect_column_values_to_be_between` and the range test freshness reuses:
 * one pass per chunk comparing plain numbers against an inclusive number
 * range (NaN is outside every range, ±Infinity compare normally) or 64-bit
 * words against an inclusive word range (exact, no BigInt per row).
 */
import type * as arrow from 'apache-arrow';
import type { Between } from '../expectation.js';
import { toRanges, type NumberRange, type Ranges, type WordRange } from './bounds.js';
import { numericDomain, numbersOf, wordsOf } from './numeric.js';
import { FAIL, isValid, nullsOf, type ChunkKernel, type Prepared } from './outcome.js';

export function prepareBetween(e: Between, type: arrow.DataType): Prepared {
  const domain = numericDomain(type);
  if (!domain) return { error: `${e.type} applies to numeric and temporal columns, not ${String(type)}` };
  const ranges = toRanges({ min: e.min_value, max: e.max_value, strictMin: e.strict_min, strictMax: e.strict_max }, domain);
  if (typeof ranges === 'string') return { error: ranges };
  return { kernel: rangeKernel(ranges, domain.unsigned) };
}

/** FAIL for valid values outside the range. */
export function rangeKernel(ranges: Ranges, unsigned: boolean): ChunkKernel {
  return (data: arrow.Data, out: Uint8Array, base: number): number => {
    const w = wordsOf(data);
    const bitmap = nullsOf(data);
    if (w) return wordsOutside(w, data.length, ranges.words, unsigned, bitmap, data.offset, out, base);
    const v = numbersOf(data);
    // Float64 (most columns) gets its own monomorphic loop.
    if (v instanceof Float64Array) return float64Outside(v, data.length, ranges.numbers, bitmap, data.offset, out, base);
    return numbersOutside(v, data.length, ranges.numbers, bitmap, data.offset, out, base);
  };
}

function numbersOutside(v: ArrayLike<number>, n: number, r: NumberRange, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  const lo = r.lo;
  const hi = r.hi;
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

function float64Outside(v: Float64Array, n: number, r: NumberRange, bitmap: Uint8Array | null, off: number, out: Uint8Array, base: number): number {
  const lo = r.lo;
  const hi = r.hi;
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
