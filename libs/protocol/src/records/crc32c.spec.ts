import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  // RFC 3720 (iSCSI) appendix B.4 test vectors.
  it('matches the RFC 3720 vectors', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('is 0 for no bytes', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('checksums a sub-range and continues across pieces', () => {
    const data = ascii('xx123456789yy');
    expect(crc32c(data, 2, 11)).toBe(0xe3069283);
    const partial = crc32c(data, 2, 6);
    expect(crc32c(data, 6, 11, partial)).toBe(0xe3069283);
  });

  it('agrees with a bit-by-bit reference on any input and split', () => {
    const reference = (bytes: Uint8Array): number => {
      let c = 0xffffffff;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (bytes, at) => {
        const split = bytes.length === 0 ? 0 : at % bytes.length;
        expect(crc32c(bytes)).toBe(reference(bytes));
        expect(crc32c(bytes, split, bytes.length, crc32c(bytes, 0, split))).toBe(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
