/**
 * String expectations over (Large)Utf8 chunks (dictionary columns run on
 * their dictionary once, rows then map codes — see `runValueKernel`):
 * `expect_column_values_to_match_regex` (unanchored, as GE's `re.search`)
 * and `expect_column_value_lengths_to_be_between` (code points, inclusive).
 * Regex: a row equal to the previous one reuses its answer; an all-ASCII
 * chunk is decoded once and sliced per row. Lengths never decode: a string
 * of B bytes has between ⌈B/4⌉ and B code points, so most rows are decided
 * by their byte length; the others count the bytes that are not UTF-8
 * continuation bytes.
 */
import * as arrow from 'apache-arrow';
import type { LengthsBetween, MatchRegex } from '../expectation.js';
import { isConstantBytes, offsetsOf } from './keys.js';
import { FAIL, isSparse, isValid, nullsOf, validByte, type Prepared } from './outcome.js';
import { sameBytes, viewOf } from './same-bytes.js';

const decoder = new TextDecoder();

function isString(type: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type);
}

export function prepareRegex(e: MatchRegex, type: arrow.DataType): Prepared {
  if (!isString(type)) return { error: `${e.type} applies to string columns, not ${String(type)}` };
  let re: RegExp;
  try {
    re = new RegExp(e.regex);
  } catch (err) {
    return { error: `regex ${JSON.stringify(e.regex)} is not valid: ${(err as Error).message}` };
  }
  return {
    kernel: (data, out, base) => {
      const { offsets, stride } = offsetsOf(data);
      const values = data.values as Uint8Array;
      const view = viewOf(values);
      const bitmap = nullsOf(data);
      const off = data.offset;
      const n = data.length;
      const first = offsets[0] as number;
      const last = offsets[n * stride] as number;
      const ascii = isAscii(values, first, last);
      const text = ascii ? decoder.decode(values.subarray(first, last)) : '';
      let fails = 0;
      let prevStart = 0;
      let prevEnd = -1;
      let prevFail = false;
      for (let i = 0; i < n; i++) {
        const a = offsets[i * stride] as number;
        const b = offsets[(i + 1) * stride] as number;
        let fail: boolean;
        if (b - a === prevEnd - prevStart && sameBytes(values, view, a, prevStart, b - a)) fail = prevFail;
        else {
          fail = !re.test(ascii ? text.slice(a - first, b - first) : decoder.decode(values.subarray(a, b)));
          prevStart = a;
          prevEnd = b;
          prevFail = fail;
        }
        if (fail && isValid(bitmap, off + i)) {
          out[base + i] = FAIL;
          fails++;
        }
      }
      return fails;
    },
  };
}

export function prepareLengths(e: LengthsBetween, type: arrow.DataType): Prepared {
  if (!isString(type)) return { error: `${e.type} applies to string columns, not ${String(type)}` };
  const lo = e.min_value ?? -Infinity;
  const hi = e.max_value ?? Infinity;
  if (Number.isNaN(lo) || Number.isNaN(hi)) return { error: 'min_value and max_value must be numbers' };
  return {
    kernel: (data, out, base) => {
      const n = data.length;
      if (n === 0 || data.nullCount === n) return 0;
      const { offsets, stride } = offsetsOf(data);
      const values = data.values as Uint8Array;
      if (isConstantBytes(data)) {
        // One value (no nulls): decided once for the chunk.
        const cp = codePoints(values, offsets[0] as number, offsets[stride] as number);
        if (cp >= lo && cp <= hi) return 0;
        out.fill(FAIL, base, base + n);
        return n;
      }
      const bitmap = nullsOf(data);
      const off = data.offset;
      let fails = 0;
      const sparse = bitmap !== null && isSparse(data);
      // Code points lie in [⌈bytes/4⌉, bytes]: 8 rows at a time, only the valid rows that range does not decide are counted.
      for (let i = 0; i < n; i += 8) {
        const end = Math.min(8, n - i);
        let m = 0;
        if (sparse) m = 0xff >> (8 - end); // every row, then the valid ones
        else {
          for (let k = 0; k < end; k++) {
            const bytes = (offsets[(i + k + 1) * stride] as number) - (offsets[(i + k) * stride] as number);
            m |= +!(bytes <= hi && (bytes + 3) >> 2 >= lo) << k;
          }
          if (m === 0) continue;
        }
        if (bitmap !== null) {
          if (end === 8) m &= validByte(bitmap, off + i);
          else for (let k = 0; k < end; k++) if (!isValid(bitmap, off + i + k)) m &= ~(1 << k);
        }
        for (; m !== 0; m &= m - 1) {
          const r = i + (31 - Math.clz32(m & -m));
          const a = offsets[r * stride] as number;
          const b = offsets[(r + 1) * stride] as number;
          if (b - a <= hi && (b - a + 3) >> 2 >= lo) continue;
          const len = codePoints(values, a, b);
          if (!(len >= lo && len <= hi)) {
            out[base + r] = FAIL;
            fails++;
          }
        }
      }
      return fails;
    },
  };
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let k = start;
  let or = 0;
  // Four bytes at a time over the aligned middle.
  while (k < end && (bytes.byteOffset + k) % 4 !== 0) or |= bytes[k++] as number;
  const words = Math.floor((end - k) / 4);
  if (words > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + k, words);
    let acc = 0;
    for (let j = 0; j < words; j++) acc |= w[j] as number;
    if ((acc & 0x80808080) !== 0) return false;
    k += words * 4;
  }
  while (k < end) or |= bytes[k++] as number;
  return or < 0x80;
}

function codePoints(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let k = start; k < end; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) count++;
  return count;
}
