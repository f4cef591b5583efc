/* eslint-disable @typescript-eslint/no-non-null-assertion -- every index is below `end`, which is checked against the input length. */
/**
 * xxHash32 (Yann Collet's XXH32), which the LZ4 frame format uses for its
 * header, block and content checksums.
 */
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
const read32 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, P2)) | 0, 13), P1);

/** XXH32 of `data[start, end)` with `seed`, as an unsigned 32-bit number. */
export function xxh32(data: Uint8Array, start = 0, end = data.length, seed = 0): number {
  if (start < 0 || end > data.length || start > end) throw new RangeError(`xxh32 range [${start}, ${end}) outside ${data.length} bytes`);
  let i = start;
  let h: number;
  if (end - start >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    for (const limit = end - 16; i <= limit; i += 16) {
      v1 = round(v1, read32(data, i));
      v2 = round(v2, read32(data, i + 4));
      v3 = round(v3, read32(data, i + 8));
      v4 = round(v4, read32(data, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + (end - start)) | 0;
  for (; i + 4 <= end; i += 4) h = Math.imul(rotl((h + Math.imul(read32(data, i), P3)) | 0, 17), P4);
  for (; i < end; i++) h = Math.imul(rotl((h + Math.imul(data[i]!, P5)) | 0, 11), P1);
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}
