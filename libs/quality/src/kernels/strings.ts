/**
 * String expectations over (Large)Utf8 chunks (dictionary columns run on
 * their dictionary once, rows then map codes — see `runValueKernel`):
 * `expect_column_values_to_match_regex` (unanchored, as GE's `re.search`)
 * and `expect_column_value_lengths_to_be_between` (code points, inclusive).
 * An all-ASCII chunk is decoded once and sliced per row; lengths never decode
 * (code points are the UTF-8 bytes that are not continuation bytes).
 */
import * as arrow from 'apache-arrow';
import type { LengthsBetween, MatchRegex } from '../expectation.js';
import { offsetsOf } from './keys.js';
import type { Prepared } from './outcome.js';

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
      const n = data.length;
      const first = offsets[0] as number;
      const last = offsets[n * stride] as number;
      const ascii = isAscii(values, first, last);
      const text = ascii ? decoder.decode(values.subarray(first, last)) : '';
      let fails = 0;
      for (let i = 0; i < n; i++) {
        const a = offsets[i * stride] as number;
        const b = offsets[(i + 1) * stride] as number;
        const s = ascii ? text.slice(a - first, b - first) : decoder.decode(values.subarray(a, b));
        const f = re.test(s) ? 0 : 1;
        out[base + i] = f;
        fails += f;
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
      const { offsets, stride } = offsetsOf(data);
      const values = data.values as Uint8Array;
      const n = data.length;
      const ascii = isAscii(values, offsets[0] as number, offsets[n * stride] as number);
      let fails = 0;
      for (let i = 0; i < n; i++) {
        const a = offsets[i * stride] as number;
        const b = offsets[(i + 1) * stride] as number;
        const len = ascii ? b - a : codePoints(values, a, b);
        const f = len >= lo && len <= hi ? 0 : 1;
        out[base + i] = f;
        fails += f;
      }
      return fails;
    },
  };
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let or = 0;
  for (let k = start; k < end; k++) or |= bytes[k] as number;
  return or < 0x80;
}

function codePoints(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let k = start; k < end; k++) if (((bytes[k] as number) & 0xc0) !== 0x80) count++;
  return count;
}
