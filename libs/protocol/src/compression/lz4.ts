/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops: every index is checked against the block or output bounds before use. */
import { ProtocolError } from '../errors.js';
import { corruptFrame, readU32LE, walkFrames } from './frames.js';
import { xxh32 } from './xxh32.js';

/**
 * LZ4 frames (lz4_Frame_format.md), which Kafka's lz4 batches hold since
 * message format v1 (KIP-57: librdkafka and the Java client write standard
 * frames with a correct header checksum). A frame is: magic 0x184D2204, a
 * descriptor (FLG, BD, optional content size, header checksum), data blocks
 * each prefixed with a 32-bit size (high bit: stored uncompressed) and
 * optionally followed by an XXH32, an end mark 0, an optional content XXH32.
 * Skippable frames are skipped; several frames concatenate.
 *
 * Decoding only (the broker never compresses; our producers use gzip or
 * snappy). Every length, offset and checksum is checked: malformed input is
 * `CORRUPT_BATCH`, output past `maxBytes` is `TOO_LARGE`, never an
 * out-of-bounds read or a silently wrong byte. The only pure-JS LZ4 frame
 * package on npm (lz4js) decodes without bounds checks, which is why this
 * decoder is our own; the tests check it against lz4js and librdkafka.
 */

const FRAME_MAGIC = 0x184d2204;
const BLOCK_MAX_SIZES: Readonly<Record<number, number>> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };
const UNCOMPRESSED_BIT = 0x80000000;
const MIN_MATCH = 4;
/** A linked block may refer this far back into the previous blocks' output. */
const WINDOW = 64 << 10;

export function lz4FrameDecompress(input: Uint8Array, maxBytes = Number.MAX_SAFE_INTEGER): Uint8Array {
  const out = new Output(maxBytes, input.length);
  walkFrames('lz4', input, FRAME_MAGIC, (start) => decodeFrame(input, start, out));
  return out.finish();
}

function decodeFrame(input: Uint8Array, start: number, out: Output): number {
  let ip = start;
  if (ip + 3 > input.length) throw corrupt('frame descriptor runs past the end', ip);
  const flg = input[ip]!;
  const bd = input[ip + 1]!;
  if (flg >>> 6 !== 1) throw corrupt(`frame version ${flg >>> 6}`, ip);
  if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw corrupt('reserved descriptor bits set', ip);
  if ((flg & 0x01) !== 0) throw corrupt('frames with a dictionary id are not used by Kafka', ip);
  const independent = (flg & 0x20) !== 0;
  const blockChecksum = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const blockMax = BLOCK_MAX_SIZES[(bd >>> 4) & 7];
  if (blockMax === undefined) throw corrupt(`block maximum size id ${(bd >>> 4) & 7}`, ip + 1);
  const descriptorEnd = ip + 2 + (hasContentSize ? 8 : 0);
  if (descriptorEnd + 1 > input.length) throw corrupt('frame descriptor runs past the end', ip);
  let contentSize: number | undefined;
  if (hasContentSize) {
    contentSize = read32(input, ip + 2, 'content size') + read32(input, ip + 6, 'content size') * 2 ** 32;
    out.expect(contentSize, ip + 2);
  }
  if (input[descriptorEnd] !== ((xxh32(input, ip, descriptorEnd) >>> 8) & 0xff)) throw corrupt('frame header checksum mismatch', descriptorEnd);
  ip = descriptorEnd + 1;
  const frameStart = out.length;
  for (;;) {
    const word = read32(input, ip, 'block size');
    ip += 4;
    if (word === 0) break;
    const size = (word & ~UNCOMPRESSED_BIT) >>> 0;
    if (size > blockMax) throw corrupt(`block of ${size} bytes over the frame's maximum ${blockMax}`, ip - 4);
    if (ip + size + (blockChecksum ? 4 : 0) > input.length) throw corrupt(`block of ${size} bytes runs past the end`, ip - 4);
    if (blockChecksum && read32(input, ip + size, 'block checksum') !== xxh32(input, ip, ip + size)) throw corrupt('block checksum mismatch', ip + size);
    const blockStart = out.length;
    if ((word & UNCOMPRESSED_BIT) !== 0) out.append(input, ip, ip + size);
    else decodeBlock(input, ip, ip + size, out, independent ? blockStart : Math.max(frameStart, blockStart - WINDOW));
    if (out.length - blockStart > blockMax) throw corrupt(`block decodes to ${out.length - blockStart} bytes, over the frame's maximum ${blockMax}`, ip);
    ip += size + (blockChecksum ? 4 : 0);
  }
  if (contentSize !== undefined && out.length - frameStart !== contentSize) {
    throw corrupt(`frame decodes to ${out.length - frameStart} bytes, its header says ${contentSize}`, ip);
  }
  if (contentChecksum) {
    if (read32(input, ip, 'content checksum') !== out.checksum(frameStart)) throw corrupt('content checksum mismatch', ip);
    ip += 4;
  }
  return ip;
}

/** One LZ4 block (lz4_Block_format.md): sequences of literals then a match; the last sequence has literals only. */
function decodeBlock(input: Uint8Array, start: number, end: number, out: Output, windowStart: number): void {
  let ip = start;
  while (ip < end) {
    const token = input[ip++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (ip >= end) throw corrupt('literal length runs past the block', ip);
        b = input[ip++]!;
        literals += b;
      } while (b === 255);
    }
    if (ip + literals > end) throw corrupt(`${literals} literals run past the block`, ip);
    out.append(input, ip, ip + literals);
    ip += literals;
    if (ip === end) return;
    if (ip + 2 > end) throw corrupt('match offset runs past the block', ip);
    const offset = input[ip]! | (input[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > out.length - windowStart) throw corrupt(`match offset ${offset} at output ${out.length}`, ip - 2);
    let length = token & 15;
    if (length === 15) {
      let b: number;
      do {
        if (ip >= end) throw corrupt('match length runs past the block', ip);
        b = input[ip++]!;
        length += b;
      } while (b === 255);
    }
    out.copyMatch(offset, length + MIN_MATCH);
  }
  throw corrupt('block ends with a match, not literals', end);
}

/** The decompressed bytes so far, grown by doubling up to `maxBytes`. */
class Output {
  private buf: Uint8Array;
  length = 0;

  constructor(
    private readonly maxBytes: number,
    inputLength: number,
  ) {
    this.buf = new Uint8Array(Math.min(maxBytes, Math.max(1024, inputLength * 4)));
  }

  /** A frame announcing its content size: check the limit now and allocate once. */
  expect(size: number, at: number): void {
    this.reserve(size, at);
  }

  append(src: Uint8Array, from: number, to: number): void {
    this.reserve(to - from, from);
    this.buf.set(src.subarray(from, to), this.length);
    this.length += to - from;
  }

  copyMatch(offset: number, length: number): void {
    this.reserve(length, this.length);
    const buf = this.buf;
    let op = this.length;
    let from = op - offset;
    if (offset < length) {
      // Overlapping copy (a run): byte by byte repeats the period.
      for (let i = 0; i < length; i++) buf[op++] = buf[from++]!;
    } else {
      buf.copyWithin(op, from, from + length);
      op += length;
    }
    this.length = op;
  }

  checksum(from: number): number {
    return xxh32(this.buf, from, this.length);
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  private reserve(n: number, at: number): void {
    const need = this.length + n;
    if (need > this.maxBytes) throw new ProtocolError('TOO_LARGE', `lz4 data decompresses to more than ${this.maxBytes} bytes`, { byteOffset: at });
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.min(this.maxBytes, Math.max(need, this.buf.length * 2)));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}

function read32(b: Uint8Array, i: number, what: string): number {
  return readU32LE('lz4', b, i, what);
}

function corrupt(detail: string, at: number): ProtocolError {
  return corruptFrame('lz4', detail, at);
}
