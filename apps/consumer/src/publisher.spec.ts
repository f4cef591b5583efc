import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEND_CHUNK, SEND_CHUNK_BYTES, sendChunks, type OutMessage } from './publisher.js';

const message = (keyBytes: number, valueBytes: number): OutMessage => ({ key: keyBytes < 0 ? null : new Uint8Array(keyBytes), value: new Uint8Array(valueBytes) });
const size = (m: OutMessage): number => m.value.byteLength + (m.key?.byteLength ?? 0);

describe('sendChunks', () => {
  it('keeps every message once, in order, each request within the count and byte limits (a larger message alone)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -1, max: 64 }), fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 100_000, max: 1_200_000 }))), { maxLength: 4_500 }), (shapes) => {
        const messages = shapes.map(([k, v]) => message(k, v));
        const chunks = sendChunks(messages);
        expect(chunks.flat()).toEqual(messages);
        for (const chunk of chunks) {
          expect(chunk.length).toBeGreaterThan(0);
          expect(chunk.length).toBeLessThanOrEqual(SEND_CHUNK);
          if (chunk.length > 1) expect(chunk.reduce((n, m) => n + size(m), 0)).toBeLessThanOrEqual(SEND_CHUNK_BYTES);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('splits 5,000 small messages by count and 300 frames of 10 KB by bytes', () => {
    expect(sendChunks(Array.from({ length: 5_000 }, () => message(20, 180))).map((c) => c.length)).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
    const frames = sendChunks(Array.from({ length: 300 }, () => message(30, 10_210)));
    expect(frames.length).toBe(4);
    expect(frames.every((c) => c.length <= 90)).toBe(true);
  });
});
