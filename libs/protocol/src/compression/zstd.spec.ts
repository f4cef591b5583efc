import { compress as zstdWasmCompress, init as zstdWasmInit } from '@bokuweb/zstd-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { decompress } from './codecs.js';
import { zstdDecompress } from './zstd.js';

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

/** The 108 bytes the `zstd` CLI vectors below compress. */
const SAMPLE = 'lakestream telemetry lap 42 sector 3 speed 301.5 kph; lakestream telemetry lap 43 sector 1 speed 288.0 kph; ';
/** zstd 1.5.4 CLI, `zstd -19 file`: single segment, content size and checksum in the header. */
const CLI_FILE =
  '28b52ffd246c25020032c40d11a0ed086a06afeb2400cc26bbb54cffb706464c9b0338670862c4b4d9001188d7afd2c411aebaf428d6e43ce3fedd7dfdd2e3cab7e4020300200b20ae655b41014bc721aa';
/** zstd 1.5.4 CLI, `cat file | zstd -3`: a window descriptor, no content size. */
const CLI_PIPE =
  '28b52ffd04583d020032840e15b05507e742b039a16624566300025b13f6e19847044649d3649c63ca19254d07a390f3f06bf399112bbcd90056542ed87e5d7dbdf06cdb13550300200b20ae655b41014bc721aa';

/** Data that compresses (repeats) or does not (random bytes). */
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc.tuple(fc.string({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 400 })).map(([s, n]) => text(s.repeat(n))),
);

/** A frame of RLE blocks assembled by hand: no content size, a 128 KiB window, `blocks` × 128 KiB of `byte`. */
function rleFrame(blocks: number, byte: number): Uint8Array {
  const parts = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
  for (let i = 0; i < blocks; i++) {
    const header = ((128 << 10) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0);
    parts.push(header & 0xff, (header >>> 8) & 0xff, (header >>> 16) & 0xff, byte);
  }
  return new Uint8Array(parts);
}

beforeAll(async () => {
  await zstdWasmInit();
});

describe('zstd frames', () => {
  it('decodes what the zstd 1.5.4 CLI writes, alone, concatenated and around a skippable frame', () => {
    expect(new TextDecoder().decode(decompress('zstd', hex(CLI_FILE)))).toBe(SAMPLE);
    expect(new TextDecoder().decode(decompress('zstd', hex(CLI_PIPE)))).toBe(SAMPLE);
    expect(new TextDecoder().decode(decompress('zstd', hex(CLI_FILE + '502a4d1803000000616263' + CLI_PIPE)))).toBe(SAMPLE + SAMPLE);
  });

  it('round-trips everything the reference library (zstd-wasm, levels 1-19) compresses', () => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 1, max: 19 }), (data, level) => {
        expect(same(zstdDecompress(zstdWasmCompress(data, level)), data)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('decodes RLE blocks beyond one window', () => {
    const out = zstdDecompress(rleFrame(5, 0x61));
    expect(out.length).toBe(5 * (128 << 10));
    expect(out.every((b) => b === 0x61)).toBe(true);
  });

  it('every truncation of a valid frame is CORRUPT_BATCH', () => {
    const frame = zstdWasmCompress(text(SAMPLE.repeat(20)), 3);
    for (let n = 0; n < frame.length; n++) expect(errorCode(() => zstdDecompress(frame.subarray(0, n)))).toBe('CORRUPT_BATCH');
  });

  it('rejects malformed input with a ProtocolError, never another exception', () => {
    expect(errorCode(() => zstdDecompress(new Uint8Array()))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => zstdDecompress(text('not zstd at all')))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => zstdDecompress(hex('28b52ffd' + '08')))).toBe('CORRUPT_BATCH'); // reserved header bit
    const valid = zstdWasmCompress(text(SAMPLE.repeat(30)), 3);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((junk) => new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, ...junk])),
          fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }).map((flips) => {
            const bad = valid.slice();
            for (const [at, mask] of flips) bad[at] = (bad[at] ?? 0) ^ mask;
            return bad;
          }),
        ),
        (input) => {
          try {
            zstdDecompress(input, 1 << 20);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
            expect(['CORRUPT_BATCH', 'TOO_LARGE']).toContain((e as ProtocolError).code);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('past maxBytes is TOO_LARGE: an announced content size, a window, or output counted while decoding', () => {
    expect(errorCode(() => decompress('zstd', zstdWasmCompress(new Uint8Array(1 << 20), 3), { maxBytes: 1000 }))).toBe('TOO_LARGE');
    expect(errorCode(() => decompress('zstd', rleFrame(1, 0), { maxBytes: 1000 }))).toBe('TOO_LARGE');
    expect(errorCode(() => decompress('zstd', rleFrame(20, 0), { maxBytes: 1 << 20 }))).toBe('TOO_LARGE');
    expect(decompress('zstd', rleFrame(8, 0), { maxBytes: 1 << 20 })).toHaveLength(1 << 20);
  });
});
