/**
 * What the LZ4 and Zstandard frame formats share: little-endian 32-bit
 * fields, skippable frames (magic 0x184D2A50–5F, then a 32-bit size) that
 * a reader steps over, and a typed CORRUPT_BATCH error naming the codec and
 * the byte where the input went wrong.
 */
import { ProtocolError } from '../errors.js';

const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

export type FrameCodec = 'lz4' | 'zstd';

export function corruptFrame(codec: FrameCodec, detail: string, at: number): ProtocolError {
  return new ProtocolError('CORRUPT_BATCH', `${codec}: ${detail}`, { byteOffset: at });
}

export function readU32LE(codec: FrameCodec, b: Uint8Array, i: number, what: string): number {
  if (i + 4 > b.length) throw corruptFrame(codec, `${what} runs past the end`, i);
  return ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;
}

/**
 * Every frame of `input` in order: skippable frames are stepped over, a
 * frame with `frameMagic` is handed to `onFrame` (at the byte after its
 * magic number), which returns where the frame ends; anything else is corrupt.
 */
export function walkFrames(codec: FrameCodec, input: Uint8Array, frameMagic: number, onFrame: (start: number) => number): void {
  if (input.length === 0) throw corruptFrame(codec, 'no frame', 0);
  let ip = 0;
  while (ip < input.length) {
    const magic = readU32LE(codec, input, ip, 'magic number');
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      const size = readU32LE(codec, input, ip + 4, 'skippable frame size');
      ip += 8 + size;
      if (ip > input.length) throw corruptFrame(codec, `skippable frame of ${size} bytes runs past the end`, ip - size);
      continue;
    }
    if (magic !== frameMagic) throw corruptFrame(codec, `magic number 0x${magic.toString(16)}`, ip);
    ip = onFrame(ip + 4);
  }
}
