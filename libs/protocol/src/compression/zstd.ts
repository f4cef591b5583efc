/* eslint-disable @typescript-eslint/no-non-null-assertion -- every index is checked against the input length before use. */
import { Decompress } from 'fzstd';
import { asProtocolError, ProtocolError } from '../errors.js';
import { corruptFrame, walkFrames } from './frames.js';

/**
 * Zstandard frames (RFC 8878), which Kafka's zstd batches hold (KIP-110).
 * The entropy decoding is fzstd's (pure JS, no native build, no async
 * init). Before it runs, this walks the frames itself: magic numbers, header
 * reserved bits, window size, block headers and lengths, so that malformed
 * input is `CORRUPT_BATCH` and a frame whose window or announced content
 * exceeds `maxBytes` is `TOO_LARGE` before anything is allocated; while it
 * runs, the output is counted and stops at `maxBytes`. Content checksums
 * (XXH64) are not verified: a batch's CRC-32C already covers its bytes.
 * Decoding only: the broker never compresses.
 */

const FRAME_MAGIC = 0xfd2fb528;
const MAX_BLOCK = 128 << 10;

export function zstdDecompress(input: Uint8Array, maxBytes = Number.MAX_SAFE_INTEGER): Uint8Array {
  checkFrames(input, maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new ProtocolError('TOO_LARGE', `zstd data decompresses to more than ${maxBytes} bytes`, {});
    chunks.push(chunk);
  });
  try {
    stream.push(input, true);
  } catch (cause) {
    throw asProtocolError(cause, 'CORRUPT_BATCH', 'zstd data does not decompress');
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Walks every frame's header and block headers without decoding (RFC 8878 §3.1). */
function checkFrames(input: Uint8Array, maxBytes: number): void {
  walkFrames('zstd', input, FRAME_MAGIC, (start) => checkFrame(input, start, maxBytes));
}

function checkFrame(input: Uint8Array, start: number, maxBytes: number): number {
  let ip = start;
  if (ip >= input.length) throw corrupt('frame header runs past the end', ip);
  const fhd = input[ip++]!;
  if ((fhd & 0x08) !== 0) throw corrupt('reserved frame header bit set', ip - 1);
  const singleSegment = (fhd & 0x20) !== 0;
  const checksum = (fhd & 0x04) !== 0;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const fcsFlag = fhd >>> 6;
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
  const headerEnd = ip + (singleSegment ? 0 : 1) + dictBytes + fcsBytes;
  if (headerEnd > input.length) throw corrupt('frame header runs past the end', ip);
  let window = 0;
  if (!singleSegment) {
    const wd = input[ip++]!;
    const base = 2 ** (10 + (wd >>> 3));
    window = base + (base / 8) * (wd & 7);
  }
  let dictId = 0;
  for (let i = 0; i < dictBytes; i++) dictId += input[ip++]! * 2 ** (8 * i);
  if (dictId !== 0) throw corrupt(`frame needs dictionary ${dictId}`, ip - dictBytes);
  let contentSize: number | undefined;
  if (fcsBytes > 0) {
    contentSize = 0;
    for (let i = 0; i < fcsBytes; i++) contentSize += input[ip++]! * 2 ** (8 * i);
    if (fcsBytes === 2) contentSize += 256;
  }
  if (singleSegment) window = contentSize ?? 0;
  if (contentSize !== undefined && contentSize > maxBytes) throw tooLarge(`frame announces ${contentSize} bytes`, start, maxBytes);
  if (window > maxBytes) throw tooLarge(`frame window of ${window} bytes`, start, maxBytes);
  const blockMax = Math.min(window, MAX_BLOCK);
  for (;;) {
    if (ip + 3 > input.length) throw corrupt('block header runs past the end', ip);
    const header = input[ip]! | (input[ip + 1]! << 8) | (input[ip + 2]! << 16);
    const last = (header & 1) !== 0;
    const type = (header >>> 1) & 3;
    const size = header >>> 3;
    if (type === 3) throw corrupt('reserved block type', ip);
    if (size > blockMax) throw corrupt(`block of ${size} bytes over the frame's maximum ${blockMax}`, ip);
    ip += 3 + (type === 1 ? 1 : size);
    if (ip > input.length) throw corrupt(`block of ${size} bytes runs past the end`, ip);
    if (last) break;
  }
  if (checksum) {
    ip += 4;
    if (ip > input.length) throw corrupt('content checksum runs past the end', ip - 4);
  }
  return ip;
}

function corrupt(detail: string, at: number): ProtocolError {
  return corruptFrame('zstd', detail, at);
}

function tooLarge(detail: string, at: number, maxBytes: number): ProtocolError {
  return new ProtocolError('TOO_LARGE', `zstd: ${detail}, limit ${maxBytes}`, { byteOffset: at });
}
