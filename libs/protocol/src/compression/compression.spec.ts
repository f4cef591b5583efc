import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { compress, compressionCodecName, decompress } from './codecs.js';
import { snappyCompress, snappyDecompress } from './snappy.js';
import { isXerialFramed, xerialCompress } from './xerial.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

/** Byte equality without vitest's element-wise diff, which is slow on large arrays. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('snappy (raw blocks)', () => {
  it('decodes a hand-assembled block: literal then overlapping copy', () => {
    // preamble 9; literal "abc" (tag (3-1)<<2 = 0x08); copy-1 len 6 offset 3 (tag (6-4)<<2|1 = 0x09, offset 0x03)
    const block = hex('09' + '08616263' + '0903');
    expect(new TextDecoder().decode(snappyDecompress(block))).toBe('abcabcabc');
  });

  it('decodes copy-2 and copy-4 elements and long literals', () => {
    // preamble 86; literal of 70 (tag 60<<2 = 0xf0, then len-1 = 0x45); copy-2 len 8 offset 70
    // (tag (8-1)<<2|2 = 0x1e, offset LE 0x4600); copy-4 len 8 offset 70 (tag 0x1f, offset LE 0x46000000)
    const literal = Buffer.from('x'.repeat(70)).toString('hex');
    const block = hex('56' + 'f045' + literal + '1e4600' + '1f46000000');
    expect(new TextDecoder().decode(snappyDecompress(block))).toBe('x'.repeat(86));
    // The same elements under a preamble announcing more bytes than they produce.
    expect(errorCode(() => snappyDecompress(hex('57' + 'f045' + literal + '1e4600' + '1f46000000')))).toBe('CORRUPT_BATCH');
  });

  it('decodes a block written by another implementation (snappyjs 0.7.0)', () => {
    const text = 'lakestream lakestream lakestream telemetry telemetry telemetry sat-data f1-telemetry '.repeat(3);
    const block = hex('ff01286c616b6573747265616d20560b002074656c656d65747279520a002c7361742d646174612066312d192a006cfe5500fe5500a25500');
    expect(new TextDecoder().decode(snappyDecompress(block))).toBe(text);
  });

  it('round-trips arbitrary and repetitive data', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.string({ maxLength: 3000 }).map((s) => text(s.repeat(3)))), (data) => {
        expect(same(snappyDecompress(snappyCompress(data)), data)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('compresses repetitive data across several 64 KiB blocks', () => {
    const data = text('lap 42 sector 3 speed 301.5 kph; '.repeat(10_000));
    const packed = snappyCompress(data);
    expect(packed.length).toBeLessThan(data.length / 10);
    expect(same(snappyDecompress(packed), data)).toBe(true);
  });

  it('rejects corrupt blocks with CORRUPT_BATCH, never reading out of bounds', () => {
    expect(errorCode(() => snappyDecompress(hex('05' + '0961')))).toBe('CORRUPT_BATCH'); // copy before any output
    expect(errorCode(() => snappyDecompress(hex('05' + '1061')))).toBe('CORRUPT_BATCH'); // literal runs past input
    expect(errorCode(() => snappyDecompress(hex('03' + '0061')))).toBe('CORRUPT_BATCH'); // fewer bytes than announced
    expect(errorCode(() => snappyDecompress(hex('ffffffff0f00')))).toBe('CORRUPT_BATCH'); // absurd expansion
    expect(errorCode(() => snappyDecompress(hex('')))).toBe('CORRUPT_BATCH');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          snappyDecompress(junk);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('honours the size limit', () => {
    expect(errorCode(() => snappyDecompress(snappyCompress(new Uint8Array(1000)), 999))).toBe('TOO_LARGE');
  });
});

describe('snappy (xerial framing)', () => {
  it('round-trips through snappy-java framing and is detected by its magic', () => {
    const data = text('telemetry '.repeat(10_000));
    const framed = xerialCompress(data);
    expect(Buffer.from(framed.subarray(0, 16)).toString('hex')).toBe('82534e41505059000000000100000001');
    expect(isXerialFramed(framed)).toBe(true);
    expect(isXerialFramed(snappyCompress(data))).toBe(false);
    expect(same(decompress('snappy', framed), data)).toBe(true);
    expect(same(decompress('snappy', compress('snappy', data, { xerial: true })), data)).toBe(true);
  });

  it('rejects a truncated frame', () => {
    const framed = xerialCompress(text('abc'.repeat(100)));
    expect(errorCode(() => decompress('snappy', framed.subarray(0, framed.length - 3)))).toBe('CORRUPT_BATCH');
  });
});

describe('codec dispatch', () => {
  it('maps attribute ids to names', () => {
    expect([0, 1, 2, 3, 4].map(compressionCodecName)).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(errorCode(() => compressionCodecName(5))).toBe('UNSUPPORTED_COMPRESSION');
  });

  it('gzip round-trips and reads what other gzip writers produce', () => {
    const data = text('sat-data '.repeat(500));
    expect(decompress('gzip', compress('gzip', data))).toEqual(data);
    expect(decompress('gzip', gzipSync(data, { level: 9 }))).toEqual(data);
  });

  it('gzip: corrupt data is CORRUPT_BATCH, a bomb over the limit TOO_LARGE', () => {
    expect(errorCode(() => decompress('gzip', text('not gzip')))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => decompress('gzip', gzipSync(new Uint8Array(1 << 20)), { maxBytes: 1000 }))).toBe('TOO_LARGE');
  });

  it('lz4 and zstd decode (lz4.spec.ts, zstd.spec.ts) but compressing with them is UNSUPPORTED_COMPRESSION', () => {
    expect(errorCode(() => decompress('lz4', text('x')))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => decompress('zstd', text('x')))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => compress('lz4', text('x')))).toBe('UNSUPPORTED_COMPRESSION');
    expect(errorCode(() => compress('zstd', text('x')))).toBe('UNSUPPORTED_COMPRESSION');
  });
});
