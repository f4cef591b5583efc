import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, decode, encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample, type DecodeResult } from '../index.js';
import { f1Event, f1Frame, satelliteFrame, satelliteSample } from '../../test/arbitraries.js';
import { structuralProblems } from '../../test/structure.js';

/**
 * Hostile input: decode must return a CodecError or structurally valid
 * events, and never throw. An error with a `cause` means an unexpected
 * exception was caught inside decode: a decoder bug, so it fails here too.
 */
function assertSafe(bytes: Uint8Array, validate = false): DecodeResult {
  let result: DecodeResult;
  try {
    result = decode(bytes, { validate });
  } catch (err) {
    throw new Error(`decode threw: ${String(err)}`);
  }
  if (result.ok) {
    expect(structuralProblems(result.value)).toStrictEqual([]);
  } else {
    expect(result.error).toBeInstanceOf(CodecError);
    expect(result.error.cause).toBeUndefined();
    expect(result.error.retriable).toBe(false);
  }
  return result;
}

const header = (id: number) => Uint8Array.of(0, 0, 0, 0, id);
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Any valid message of any schema. */
const message: fc.Arbitrary<Uint8Array> = fc.oneof(
  f1Event.map(encodeF1Event),
  f1Frame.map(encodeF1Frame),
  satelliteSample.map(encodeSatelliteSample),
  satelliteFrame.map(encodeSatelliteFrame),
);

describe('decode on hostile bytes never throws', () => {
  it('arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void assertSafe(bytes)), { numRuns: 3000 });
  });

  it('arbitrary payloads behind a valid header of every schema id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.uint8Array({ minLength: 8, maxLength: 400 }), (id, payload) => {
        assertSafe(concat(header(id), payload), true);
      }),
      { numRuns: 4000 },
    );
  });

  it('truncations of valid messages', () => {
    fc.assert(
      fc.property(message, fc.double({ min: 0, max: 1, noNaN: true }), (m, at) => {
        const cut = Math.min(m.length - 1, Math.floor(at * m.length));
        assertSafe(m.subarray(0, cut));
      }),
      { numRuns: 2000 },
    );
  });

  it('bit flips in valid messages', () => {
    fc.assert(
      fc.property(message, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (m, flips) => {
        const bytes = Uint8Array.from(m);
        for (const f of flips) {
          const at = (f >>> 3) % bytes.length;
          bytes[at] = (bytes[at] ?? 0) ^ (1 << (f & 7));
        }
        assertSafe(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('random 32-bit words written over offsets and lengths of valid messages', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000, 4, 8, 0xfffffffc), (m, at, word) => {
        const bytes = Uint8Array.from(m);
        const pos = 5 + (at % Math.max(1, (bytes.length - 9) >>> 2)) * 4;
        new DataView(bytes.buffer).setUint32(pos, word, true);
        assertSafe(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('a huge vector length is rejected at once, without looping', () => {
    const m = Uint8Array.from(encodeF1Frame([]));
    const view = new DataView(m.buffer, 5);
    const root = view.getUint32(0, true);
    const vtable = root - view.getInt32(root, true);
    const vector = root + view.getUint16(vtable + 4, true);
    const target = vector + view.getUint32(vector, true);
    view.setUint32(target, 0x7fffffff, true);
    const started = performance.now();
    const result = assertSafe(m);
    expect(performance.now() - started).toBeLessThan(50);
    expect(result.ok ? 'ok' : result.error.code).toBe('INVALID_BUFFER');
    expect(result.ok ? '' : result.error.message).toMatch(/vector events: 2147483647 elements do not fit/);
  });
});
