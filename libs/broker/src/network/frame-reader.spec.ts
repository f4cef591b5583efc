import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader } from './frame-reader.js';

function framed(...bodies: Buffer[]): Buffer {
  return Buffer.concat(bodies.flatMap((b) => [Buffer.from([0, 0, 0, 0].map((_, i) => (b.length >>> (24 - 8 * i)) & 0xff)), b]));
}

describe('FrameReader', () => {
  it('cuts frames however the stream is split', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (bodies, cuts) => {
        const stream = framed(...bodies.map((b) => Buffer.from(b)));
        const reader = new FrameReader(1024);
        const frames: Buffer[] = [];
        for (let at = 0, i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length] as number;
          reader.push(stream.subarray(at, at + n));
          for (let f = reader.next(); f !== undefined; f = reader.next()) {
            if (!Buffer.isBuffer(f)) throw new Error('unexpected violation');
            frames.push(f);
          }
          at += n;
        }
        expect(frames.map((f) => [...f])).toEqual(bodies.map((b) => [...b]));
        expect(reader.midFrame).toBe(false);
      }),
    );
  });

  it('refuses a size over the limit before any body byte arrives, and a negative size', () => {
    const reader = new FrameReader(100);
    reader.push(Buffer.from([0, 0, 0, 101]));
    expect(reader.next()).toEqual({ kind: 'oversized', size: 101, limit: 100 });
    const negative = new FrameReader(100);
    negative.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    expect(negative.next()).toEqual({ kind: 'negative-size', size: -2 });
  });

  it('holds only the bytes received for a frame that announces more', () => {
    const reader = new FrameReader(100 * 1024 * 1024);
    reader.push(Buffer.from([0x05, 0, 0, 0, 1, 2, 3]));
    expect(reader.next()).toBeUndefined();
    expect(reader.midFrame).toBe(true);
    expect(reader.announcedSize).toBe(0x05000000);
    expect(reader.bufferedBytes).toBe(3);
  });
});
