/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot loops: every index is checked against the block or output bounds before use. */
import { ProtocolError } from '../errors.js';

/**
 * Raw Snappy (the block format of google/snappy's format_description.txt):
 * a varint uncompressed length, then literals and back-references. This is
 * what librdkafka writes into a snappy record batch. The compressor is the
 * classic greedy hash-table matcher over 64 KiB blocks (so copy offsets
 * always fit two bytes); the decompressor checks every length and offset.
 */

const BLOCK = 1 << 16;
const HASH_BITS = 14;
/** Literal-only tail kept at the end of each block so 4-byte loads stay in bounds. */
const INPUT_MARGIN = 15;
/** A copy op covers at most 64 bytes and costs at least 2, so no valid stream expands beyond ~32x. */
const MAX_EXPANSION = 64;

export function snappyMaxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(snappyMaxCompressedLength(input.length));
  let op = writeUvarint(out, 0, input.length);
  const table = new Uint16Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += BLOCK) {
    const end = Math.min(start + BLOCK, input.length);
    op = compressBlock(input, start, end, out, op, table);
  }
  return out.subarray(0, op);
}

/** The uncompressed length a raw snappy stream announces (its varint preamble). */
export function snappyUncompressedLength(input: Uint8Array): number {
  return readPreamble(input).length;
}

export function snappyDecompress(input: Uint8Array, maxBytes = Number.MAX_SAFE_INTEGER): Uint8Array {
  const { length, pos: start } = readPreamble(input);
  if (length > maxBytes) {
    throw new ProtocolError('TOO_LARGE', `snappy block announces ${length} bytes, limit ${maxBytes}`, { byteOffset: 0 });
  }
  if (length > input.length * MAX_EXPANSION + MAX_EXPANSION) {
    throw new ProtocolError('CORRUPT_BATCH', `snappy block announces ${length} bytes from ${input.length} compressed`, { byteOffset: 0 });
  }
  const out = new Uint8Array(length);
  let ip = start;
  let op = 0;
  const end = input.length;
  while (ip < end) {
    const tag = input[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (ip + extra > end) throw corrupt('literal length runs past the end', ip);
        len = 0;
        for (let i = 0; i < extra; i++) len += input[ip + i]! * 2 ** (8 * i);
        ip += extra;
      }
      len += 1;
      if (ip + len > end || op + len > length) throw corrupt(`literal of ${len} bytes overruns input or output`, ip);
      out.set(input.subarray(ip, ip + len), op);
      ip += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (ip + 1 > end) throw corrupt('copy-1 runs past the end', ip);
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | input[ip]!;
      ip += 1;
    } else if (kind === 2) {
      if (ip + 2 > end) throw corrupt('copy-2 runs past the end', ip);
      len = (tag >>> 2) + 1;
      offset = input[ip]! | (input[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > end) throw corrupt('copy-4 runs past the end', ip);
      len = (tag >>> 2) + 1;
      offset = (input[ip]! | (input[ip + 1]! << 8) | (input[ip + 2]! << 16) | (input[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op) throw corrupt(`copy offset ${offset} at output ${op}`, ip);
    if (op + len > length) throw corrupt(`copy of ${len} bytes overruns the announced ${length}`, ip);
    let from = op - offset;
    if (offset < 8) {
      // Short-period overlap (runs): byte by byte beats many tiny copies.
      for (let i = 0; i < len; i++) out[op++] = out[from++]!;
    } else {
      // Copies of at most `offset` bytes never overlap their source.
      while (len > 0) {
        const n = Math.min(offset, len);
        out.copyWithin(op, from, from + n);
        op += n;
        from += n;
        len -= n;
      }
    }
  }
  if (op !== length) throw corrupt(`decompressed ${op} bytes, announced ${length}`, ip);
  return out;
}

function corrupt(detail: string, at: number): ProtocolError {
  return new ProtocolError('CORRUPT_BATCH', `snappy: ${detail}`, { byteOffset: at });
}

function readPreamble(input: Uint8Array): { length: number; pos: number } {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= input.length) throw corrupt('preamble runs past the end', i);
    const b = input[i]!;
    length += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (length > 0xffffffff) break;
      return { length, pos: i + 1 };
    }
  }
  throw corrupt('preamble longer than 32 bits', 0);
}

function writeUvarint(out: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    out[pos++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}

function load32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function hash(v: number): number {
  return Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

function emitLiteral(input: Uint8Array, from: number, to: number, out: Uint8Array, op: number): number {
  const n = to - from - 1;
  if (n < 60) {
    out[op++] = n << 2;
  } else if (n < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = n;
  } else if (n < 0x10000) {
    out[op++] = 61 << 2;
    out[op++] = n & 0xff;
    out[op++] = n >>> 8;
  } else if (n < 0x1000000) {
    out[op++] = 62 << 2;
    out[op++] = n & 0xff;
    out[op++] = (n >>> 8) & 0xff;
    out[op++] = n >>> 16;
  } else {
    out[op++] = 63 << 2;
    out[op++] = n & 0xff;
    out[op++] = (n >>> 8) & 0xff;
    out[op++] = (n >>> 16) & 0xff;
    out[op++] = n >>> 24;
  }
  out.set(input.subarray(from, to), op);
  return op + (to - from);
}

function emitCopy(offset: number, len: number, out: Uint8Array, op: number): number {
  while (len >= 68) {
    op = emitCopy2(offset, 64, out, op);
    len -= 64;
  }
  if (len > 64) {
    op = emitCopy2(offset, 60, out, op);
    len -= 60;
  }
  if (len < 12 && offset < 2048) {
    out[op++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
    return op;
  }
  return emitCopy2(offset, len, out, op);
}

function emitCopy2(offset: number, len: number, out: Uint8Array, op: number): number {
  out[op++] = 2 | ((len - 1) << 2);
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  return op;
}

function compressBlock(input: Uint8Array, start: number, end: number, out: Uint8Array, op: number, table: Uint16Array): number {
  if (end - start < INPUT_MARGIN) return end > start ? emitLiteral(input, start, end, out, op) : op;
  table.fill(0);
  const ipLimit = end - INPUT_MARGIN;
  let nextEmit = start;
  let ip = start + 1;
  for (;;) {
    // Look for a 4-byte match, skipping faster through incompressible data.
    let skip = 32;
    let candidate: number;
    for (;;) {
      const h = hash(load32(input, ip));
      candidate = start + table[h]!;
      table[h] = ip - start;
      if (load32(input, ip) === load32(input, candidate) && candidate < ip) break;
      ip += skip++ >>> 5;
      if (ip > ipLimit) return emitLiteral(input, nextEmit, end, out, op);
    }
    op = emitLiteral(input, nextEmit, ip, out, op);
    // Emit copies for as long as the next position matches too.
    for (;;) {
      let matched = 4;
      while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
      op = emitCopy(ip - candidate, matched, out, op);
      ip += matched;
      nextEmit = ip;
      if (ip >= ipLimit) return nextEmit < end ? emitLiteral(input, nextEmit, end, out, op) : op;
      table[hash(load32(input, ip - 1))] = ip - 1 - start;
      const h = hash(load32(input, ip));
      candidate = start + table[h]!;
      table[h] = ip - start;
      if (load32(input, ip) !== load32(input, candidate) || candidate >= ip) break;
    }
    ip++;
  }
}
