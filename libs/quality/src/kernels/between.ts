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
import type { ChunkKernel, Prepared } from './outcome.js';

export function prepareBetween(e: Between, type: arrow.DataType): Prepared {
  const domain = numericDomain(type);
  if (!domain) return { error: `${e.type} applies to numeric and temporal columns, not ${String(type)}` };
  const ranges = toRanges({ min: e.min_value, max: e.max_value, strictMin: e.strict_min, strictMax: e.strict_max }, domain);
  if (typeof ranges === 'string') return { error: ranges };
  return { kernel: rangeKernel(ranges, domain.unsigned) };
}

/** FAIL for values outside the range. */
export function rangeKernel(ranges: Ranges, unsigned: boolean): ChunkKernel {
  return (data: arrow.Data, out: Uint8Array, base: number): number => {
    const w = wordsOf(data);
    if (w) return wordsOutside(w, data.length, ranges.words, unsigned, out, base);
    return numbersOutside(numbersOf(data), data.length, ranges.numbers, out, base);
  };
}

function numbersOutside(v: ArrayLike<number>, n: number, r: NumberRange, out: Uint8Array, base: number): number {
  const lo = r.lo;
  const hi = r.hi;
  let fails = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    const f = x >= lo && x <= hi ? 0 : 1;
    out[base + i] = f;
    fails += f;
  }
  return fails;
}

function wordsOutside(w: Int32Array, n: number, r: WordRange, unsigned: boolean, out: Uint8Array, base: number): number {
  if (r.empty) {
    out.fill(1, base, base + n);
    return n;
  }
  const { loH, loL, hiH, hiL } = r;
  let fails = 0;
  if (unsigned) {
    for (let i = 0; i < n; i++) {
      const h = (w[2 * i + 1] as number) >>> 0;
      const l = (w[2 * i] as number) >>> 0;
      const f = h < loH || (h === loH && l < loL) || h > hiH || (h === hiH && l > hiL) ? 1 : 0;
      out[base + i] = f;
      fails += f;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const h = w[2 * i + 1] as number;
      const l = (w[2 * i] as number) >>> 0;
      const f = h < loH || (h === loH && l < loL) || h > hiH || (h === hiH && l > hiL) ? 1 : 0;
      out[base + i] = f;
      fails += f;
    }
  }
  return fails;
}

/** Whether one 64-bit value (as words) lies in a word range. */
export function wordsInRange(h: number, l: number, r: WordRange): boolean {
  return !(r.empty || h < r.loH || (h === r.loH && l < r.loL) || h > r.hiH || (h === r.hiH && l > r.hiL));
}
