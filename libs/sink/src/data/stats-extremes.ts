// Single-pass search for the rows holding a column's least and greatest values,
// on the raw typed arrays (the fast path of computeStats).

export type Extremes = { lo: number; hi: number; nan: boolean };

/** Rows of the least and greatest valid values (-1 when none), and whether a NaN was seen. */
export function extremeNumbers(values: ArrayLike<number>, n: number, mask: Uint8Array | null): Extremes {
  let lo = -1;
  let hi = -1;
  let min = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (mask && mask[i] === 0) continue;
    const v = values[i] as number;
    if (v !== v) return { lo, hi, nan: true };
    if (lo < 0) {
      lo = hi = i;
      min = max = v;
      continue;
    }
    if (v < min) {
      min = v;
      lo = i;
    }
    if (v > max) {
      max = v;
      hi = i;
    }
  }
  return { lo, hi, nan: false };
}

/** extremeNumbers for 64-bit integers seen as (high, low) 32-bit words, little-endian. */
export function extremeWords(words: Uint32Array, signed: boolean, n: number, mask: Uint8Array | null): Extremes {
  let lo = -1;
  let hi = -1;
  let minHi = 0;
  let minLo = 0;
  let maxHi = 0;
  let maxLo = 0;
  const flip = signed ? 0x80000000 : 0;
  for (let i = 0; i < n; i++) {
    if (mask && mask[i] === 0) continue;
    const h = ((words[2 * i + 1] as number) ^ flip) >>> 0;
    const l = words[2 * i] as number;
    if (lo < 0) {
      lo = hi = i;
      minHi = maxHi = h;
      minLo = maxLo = l;
      continue;
    }
    if (h < minHi || (h === minHi && l < minLo)) {
      minHi = h;
      minLo = l;
      lo = i;
    }
    if (h > maxHi || (h === maxHi && l > maxLo)) {
      maxHi = h;
      maxLo = l;
      hi = i;
    }
  }
  return { lo, hi, nan: false };
}

/** Byte-wise comparison of two UTF-8 ranges: UTF-8 byte order is code point order. */
function compareBytes(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const len = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < len; k++) {
    const x = bytes[a + k] as number;
    const y = bytes[b + k] as number;
    if (x !== y) return x - y;
  }
  return aEnd - a - (bEnd - b);
}

export function extremeStrings(offsets: Int32Array, bytes: Uint8Array, n: number, mask: Uint8Array | null): Extremes {
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    if (mask && mask[i] === 0) continue;
    if (lo < 0) {
      lo = hi = i;
      continue;
    }
    const s = offsets[i] as number;
    const e = offsets[i + 1] as number;
    if (compareBytes(bytes, s, e, offsets[lo] as number, offsets[lo + 1] as number) < 0) lo = i;
    if (compareBytes(bytes, s, e, offsets[hi] as number, offsets[hi + 1] as number) > 0) hi = i;
  }
  return { lo, hi, nan: false };
}
