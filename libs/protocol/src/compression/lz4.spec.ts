import fc from 'fast-check';
import lz4js from 'lz4js';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decompress } from './codecs.js';
import { lz4FrameDecompress } from './lz4.js';
import { xxh32 } from './xxh32.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return 'no error';
}

/** The 108 bytes the `lz4` CLI vectors below compress. */
const SAMPLE = 'lakestream telemetry lap 42 sector 3 speed 301.5 kph; lakestream telemetry lap 43 sector 1 speed 288.0 kph; ';
const SAMPLE_MATCHES =
  'ff276c616b6573747265616d2074656c656d65747279206c617020343220736563746f722033207370656564203330312e35206b70683b203600071433360013313600b03238382e30206b70683b20';

/** Data that compresses (repeats) or does not (random bytes). */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc.tuple(fc.string({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 400 })).map(([s, n]) => text(s.repeat(n))),
);

/**
 * A frame assembled field by field (lz4_Frame_format.md) around data split
 * into stored blocks, with the optional fields chosen by the caller.
 */
function storedFrame(data: Uint8Array, opts: { blockChecksum: boolean; contentChecksum: boolean; contentSize: boolean; blockSize: number }): Uint8Array {
  const parts: number[] = [0x04, 0x22, 0x4d, 0x18];
  const flg = 0x40 | 0x20 | (opts.blockChecksum ? 0x10 : 0) | (opts.contentSize ? 0x08 : 0) | (opts.contentChecksum ? 0x04 : 0);
  const descriptor = [flg, 4 << 4];
  if (opts.contentSize) descriptor.push(...le32(data.length), 0, 0, 0, 0);
  parts.push(...descriptor, (xxh32(new Uint8Array(descriptor)) >>> 8) & 0xff);
  for (let at = 0; at < data.length; at += opts.blockSize) {
    const block = data.subarray(at, Math.min(at + opts.blockSize, data.length));
    parts.push(...le32((0x80000000 | block.length) >>> 0), ...block);
    if (opts.blockChecksum) parts.push(...le32(xxh32(block)));
  }
  parts.push(0, 0, 0, 0);
  if (opts.contentChecksum) parts.push(...le32(xxh32(data)));
  return new Uint8Array(parts);
}

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

describe('lz4 frames', () => {
  it('decodes what the lz4 1.9.4 CLI writes: independent blocks, linked blocks with block checksums and content size', () => {
    const plain = hex(`04224d186440a74f000000${SAMPLE_MATCHES}000000007b0e7149`);
    const linked = hex(`04224d187c406c000000000000004a4f000000${SAMPLE_MATCHES}063a2af5000000007b0e7149`);
    expect(new TextDecoder().decode(decompress('lz4', plain))).toBe(SAMPLE);
    expect(new TextDecoder().decode(decompress('lz4', linked))).toBe(SAMPLE);
    // Two frames back to back (as `cat a.lz4 b.lz4`) and a skippable frame decode as their concatenation.
    const skippable = hex('5a2a4d1803000000616263');
    expect(new TextDecoder().decode(decompress('lz4', new Uint8Array([...plain, ...skippable, ...linked])))).toBe(SAMPLE + SAMPLE);
  });

  it('round-trips everything lz4js (an independent encoder; linked 4 MiB blocks) compresses', () => {
    fc.assert(
      fc.property(payload, (data) => {
        expect(same(lz4FrameDecompress(lz4js.compress(data)), data)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('round-trips frames with any combination of stored blocks, block and content checksums and content size', () => {
    fc.assert(
      fc.property(payload, fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 1 << 16 }), (data, blockChecksum, contentChecksum, contentSize, blockSize) => {
        expect(same(lz4FrameDecompress(storedFrame(data, { blockChecksum, contentChecksum, contentSize, blockSize })), data)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('every truncation of a valid frame is CORRUPT_BATCH', () => {
    const frame = lz4js.compress(text(SAMPLE.repeat(20)));
    for (let n = 0; n < frame.length; n++) expect(errorCode(() => lz4FrameDecompress(frame.subarray(0, n)))).toBe('CORRUPT_BATCH');
  });

  it('checks the header, block and content checksums', () => {
    const frame = storedFrame(text(SAMPLE), { blockChecksum: true, contentChecksum: true, contentSize: false, blockSize: 50 });
    for (const at of [6, 7 + 4 + 50, frame.length - 1]) {
      const bad = frame.slice();
      bad[at] = (bad[at] ?? 0) ^ 1;
      expect(errorCode(() => lz4FrameDecompress(bad))).toBe('CORRUPT_BATCH');
    }
  });

  it('rejects malformed input with a ProtocolError, never another exception or an out-of-bounds read', () => {
    expect(errorCode(() => lz4FrameDecompress(new Uint8Array()))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => lz4FrameDecompress(text('not lz4 at all')))).toBe('CORRUPT_BATCH');
    const valid = lz4js.compress(text(SAMPLE.repeat(30)));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((junk) => new Uint8Array([0x04, 0x22, 0x4d, 0x18, ...junk])),
          fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
            const bad = valid.slice();
            for (const [at, mask] of flips) bad[at] = (bad[at] ?? 0) ^ mask;
            return bad;
          }),
        ),
        (input) => {
          try {
            lz4FrameDecompress(input, 1 << 20);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
            expect(['CORRUPT_BATCH', 'TOO_LARGE']).toContain((e as ProtocolError).code);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a frame decoding past maxBytes is TOO_LARGE, with or without a content size', () => {
    const zeros = new Uint8Array(1 << 20);
    expect(errorCode(() => decompress('lz4', lz4js.compress(zeros), { maxBytes: 1000 }))).toBe('TOO_LARGE');
    expect(errorCode(() => decompress('lz4', storedFrame(zeros, { blockChecksum: false, contentChecksum: false, contentSize: true, blockSize: 1 << 16 }), { maxBytes: 1000 }))).toBe(
      'TOO_LARGE',
    );
    expect(decompress('lz4', lz4js.compress(zeros), { maxBytes: 1 << 20 })).toHaveLength(1 << 20);
  });
});
