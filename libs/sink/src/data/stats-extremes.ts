// The fast path of computeStats on a column's raw buffers: its validity
// bitmap turned into the list of valid rows, then one pass over those rows'
// typed-array values for the rows holding the least and greatest value.
//
// A scan sees the valid rows as `rows[0..m)`, or as 0..m-1 when `rows` is null
// (every row valid: no index list is built). Ties keep the first row seen, as
// the per-value path does (it only moves min/max on a strict comparison).

export type Extremes = { lo: number; hi: number; nan: boolean };

const NONE: Extremes = { lo: -1, hi: -1, nan: false };

// ---------------------------------------------------------------------------
// Validity bitmaps (LSB first: row r is bit r & 7 of byte r >> 3)
// ---------------------------------------------------------------------------

/**
 * The bits of rows [0, n) of `bitmap`, whose row 0 is at bit `offset`, moved so
 * row 0 is bit 0 of byte 0: a view when `offset` is a multiple of 8, else a
 * shifted copy. Always ⌈n/8⌉ bytes long; bits past n are unspecified.
 */
export function alignBits(bitmap: Uint8Array, offset: number, n: number): Uint8Array {
  const bytes = (n + 7) >> 3;
  const start = offset >> 3;
  const shift = offset & 7;
  if (shift === 0 && bitmap.length >= start + bytes) return bitmap.subarray(start, start + bytes);
  const out = new Uint8Array(bytes);
  for (let b = 0; b < bytes; b++) {
    const low = (bitmap[start + b] ?? 0) >> shift;
    const high = shift === 0 ? 0 : (bitmap[start + b + 1] ?? 0) << (8 - shift);
    out[b] = (low | high) & 0xff;
  }
  return out;
}

/** An aligned bitmap at least ⌈n/8⌉ bytes long: `bits`, or a copy padded with zero (null) bytes. */
export function fitBits(bits: Uint8Array, n: number): Uint8Array {
  const bytes = (n + 7) >> 3;
  if (bits.length >= bytes) return bits;
  const out = new Uint8Array(bytes);
  out.set(bits);
  return out;
}

/** Bitwise AND of two aligned bitmaps into a new one as long as `a` (missing bytes of `b` count as zero). */
export function andBits(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = (a[k] as number) & (b[k] ?? 0);
  return out;
}

/** Byte k of an aligned bitmap of n rows, with the bits past row n cleared. */
function byteAt(bits: Uint8Array, k: number, n: number): number {
  const byte = bits[k] as number;
  const left = n - (k << 3);
  return left >= 8 ? byte : byte & ((1 << left) - 1);
}

/** How many of rows [0, n) an aligned bitmap marks valid. */
export function countBits(bits: Uint8Array, n: number): number {
  let count = 0;
  const bytes = (n + 7) >> 3;
  for (let k = 0; k < bytes; k++) {
    let x = byteAt(bits, k, n);
    x -= (x >> 1) & 0x55;
    x = (x & 0x33) + ((x >> 2) & 0x33);
    count += (x + (x >> 4)) & 0x0f;
  }
  return count;
}

/**
 * Writes the rows in [0, n) that an aligned bitmap marks valid into `rows`
 * (ascending) and returns how many there are. Zero bytes, the bulk of a
 * sparse column's bitmap, cost one load each.
 */
export function validRows(bits: Uint8Array, n: number, rows: Int32Array): number {
  let m = 0;
  const bytes = (n + 7) >> 3;
  for (let k = 0; k < bytes; k++) {
    let byte = byteAt(bits, k, n);
    if (byte === 0) continue;
    const base = k << 3;
    while (byte !== 0) {
      rows[m++] = base + 31 - Math.clz32(byte & -byte); // lowest set bit
      byte &= byte - 1;
    }
  }
  return m;
}

// ---------------------------------------------------------------------------
// Scans
// ---------------------------------------------------------------------------

/** Rows of the least and greatest of m valid values (-1 when m is 0), or nan when one is NaN. */
export function extremeNumbers(values: ArrayLike<number>, rows: Int32Array | null, m: number): Extremes {
  if (m === 0) return NONE;
  let lo = rows === null ? 0 : (rows[0] as number);
  let hi = lo;
  let min = values[lo] as number;
  let max = min;
  if (min !== min) return { lo, hi, nan: true };
  for (let k = 1; k < m; k++) {
    const i = rows === null ? k : (rows[k] as number);
    const v = values[i] as number;
    // min ≤ max, so a value below min is not above max.
    if (v < min) {
      min = v;
      lo = i;
    } else if (v > max) {
      max = v;
      hi = i;
    } else if (v !== v) {
      return { lo, hi, nan: true };
    }
  }
  return { lo, hi, nan: false };
}

/** extremeNumbers for 64-bit integers seen as (high, low) 32-bit words, little-endian. */
export function extremeWords(words: Uint32Array, signed: boolean, rows: Int32Array | null, m: number): Extremes {
  if (m === 0) return NONE;
  // Flipping the sign bit makes signed order the unsigned order of the words.
  const flip = signed ? 0x80000000 : 0;
  let lo = rows === null ? 0 : (rows[0] as number);
  let hi = lo;
  let minHi = ((words[2 * lo + 1] as number) ^ flip) >>> 0;
  let minLo = words[2 * lo] as number;
  let maxHi = minHi;
  let maxLo = minLo;
  for (let k = 1; k < m; k++) {
    const i = rows === null ? k : (rows[k] as number);
    const h = ((words[2 * i + 1] as number) ^ flip) >>> 0;
    const l = words[2 * i] as number;
    if (h < minHi || (h === minHi && l < minLo)) {
      minHi = h;
      minLo = l;
      lo = i;
    } else if (h > maxHi || (h === maxHi && l > maxLo)) {
      maxHi = h;
      maxLo = l;
      hi = i;
    }
  }
  return { lo, hi, nan: false };
}

/**
 * Byte-wise comparison of two UTF-8 ranges of `view`'s bytes (UTF-8 byte order
 * is code point order), four bytes at a time: a big-endian word compares as
 * its bytes do.
 */
function compareBytes(view: DataView, a: number, aEnd: number, b: number, bEnd: number): number {
  const len = Math.min(aEnd - a, bEnd - b);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const x = view.getUint32(a + k);
    const y = view.getUint32(b + k);
    if (x !== y) return x < y ? -1 : 1;
  }
  for (; k < len; k++) {
    const x = view.getUint8(a + k);
    const y = view.getUint8(b + k);
    if (x !== y) return x - y;
  }
  return aEnd - a - (bEnd - b);
}

/** extremeNumbers for UTF-8 strings (`offsets` as in an Arrow Utf8 column). */
export function extremeStrings(offsets: Int32Array, bytes: Uint8Array, rows: Int32Array | null, m: number): Extremes {
  if (m === 0) return NONE;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let lo = rows === null ? 0 : (rows[0] as number);
  let hi = lo;
  let minStart = offsets[lo] as number;
  let minEnd = offsets[lo + 1] as number;
  let maxStart = minStart;
  let maxEnd = minEnd;
  for (let k = 1; k < m; k++) {
    const i = rows === null ? k : (rows[k] as number);
    const s = offsets[i] as number;
    const e = offsets[i + 1] as number;
    // One comparison for values equal to the min (all rows of a constant column).
    const c = compareBytes(view, s, e, minStart, minEnd);
    if (c < 0) {
      lo = i;
      minStart = s;
      minEnd = e;
    } else if (c > 0 && compareBytes(view, s, e, maxStart, maxEnd) > 0) {
      hi = i;
      maxStart = s;
      maxEnd = e;
    }
  }
  return { lo, hi, nan: false };
}
