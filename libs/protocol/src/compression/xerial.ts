import { ProtocolError } from '../errors.js';
import { snappyCompress, snappyDecompress, snappyUncompressedLength } from './snappy.js';

/**
 * Xerial snappy-java framing, which the Java producer writes into snappy
 * batches: a 16-byte header (magic `\x82SNAPPY\0`, int32 version, int32
 * minimum compatible version), then blocks of [int32 length][raw snappy].
 */
const MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00] as const;
const HEADER_LENGTH = 16;
/** snappy-java's default block size. */
const XERIAL_BLOCK = 32 * 1024;

export function isXerialFramed(data: Uint8Array): boolean {
  if (data.length < HEADER_LENGTH) return false;
  for (let i = 0; i < MAGIC.length; i++) if (data[i] !== MAGIC[i]) return false;
  return true;
}

export function xerialCompress(data: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let start = 0; start < data.length; start += XERIAL_BLOCK) {
    blocks.push(snappyCompress(data.subarray(start, Math.min(start + XERIAL_BLOCK, data.length))));
  }
  const out = new Uint8Array(HEADER_LENGTH + blocks.reduce((n, b) => n + 4 + b.length, 0));
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setInt32(8, 1);
  view.setInt32(12, 1);
  let pos = HEADER_LENGTH;
  for (const block of blocks) {
    view.setInt32(pos, block.length);
    out.set(block, pos + 4);
    pos += 4 + block.length;
  }
  return out;
}

export function xerialDecompress(data: Uint8Array, maxBytes: number): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks: Uint8Array[] = [];
  let total = 0;
  let pos = HEADER_LENGTH;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new ProtocolError('CORRUPT_BATCH', 'xerial snappy: truncated block length', { byteOffset: pos });
    const size = view.getInt32(pos);
    if (size < 0 || pos + 4 + size > data.length) {
      throw new ProtocolError('CORRUPT_BATCH', `xerial snappy: block of ${size} bytes overruns the data`, { byteOffset: pos });
    }
    const block = data.subarray(pos + 4, pos + 4 + size);
    const announced = snappyUncompressedLength(block);
    if (total + announced > maxBytes) {
      throw new ProtocolError('TOO_LARGE', `xerial snappy: more than ${maxBytes} bytes decompressed`, { byteOffset: pos });
    }
    const plain = snappyDecompress(block, maxBytes - total);
    blocks.push(plain);
    total += plain.length;
    pos += 4 + size;
  }
  if (blocks.length === 1) return blocks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}
