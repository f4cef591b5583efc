import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../errors.js';
import { Reader } from './reader.js';
import { uuidFromBytes, uuidToBytes, ZERO_UUID } from './uuid.js';
import { Writer } from './writer.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const write = (fn: (w: Writer) => void, flexible = false): Uint8Array => {
  const w = new Writer({ flexible, initialCapacity: 16 });
  fn(w);
  return w.finish();
};

function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

describe('fixed-width integers', () => {
  it('are big-endian and signed', () => {
    expect(hex(write((w) => w.int8(-1).int16(-2).int32(-3).int64(-4n).uint32(0xfffffffe).bool(true)))).toBe(
      'ff' + 'fffe' + 'fffffffd' + 'fffffffffffffffc' + 'fffffffe' + '01',
    );
    const r = new Reader(bytes('80' + '8000' + '80000000' + '8000000000000000' + 'ffffffff' + '02'));
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.uint32(), r.bool()]).toEqual([-128, -32768, -2147483648, -(2n ** 63n), 0xffffffff, true]);
    expect(r.remaining).toBe(0);
  });

  it('refuse values outside their wire type instead of wrapping', () => {
    for (const fn of [
      (w: Writer) => w.int8(128),
      (w: Writer) => w.int16(32768),
      (w: Writer) => w.int32(2 ** 31),
      (w: Writer) => w.int32(1.5),
      (w: Writer) => w.uint32(-1),
      (w: Writer) => w.int64(2n ** 63n),
      (w: Writer) => w.uvarint(2 ** 32),
    ]) {
      expect(protocolError(() => write(fn)).code).toBe('INVALID_VALUE');
    }
  });

  it('report TRUNCATED with the byte offset', () => {
    const r = new Reader(bytes('000102'));
    r.int16();
    const e = protocolError(() => r.int32());
    expect(e.code).toBe('TRUNCATED');
    expect(e.context.byteOffset).toBe(2);
    expect(e.retriable).toBe(false);
  });

  it('grows the buffer across many writes', () => {
    const out = write((w) => {
      for (let i = 0; i < 10_000; i++) w.int32(i);
    });
    expect(out.length).toBe(40_000);
    const r = new Reader(out);
    let mismatches = 0;
    for (let i = 0; i < 10_000; i++) if (r.int32() !== i) mismatches++;
    expect(mismatches).toBe(0);
  });
});

describe('varints (zigzag) and unsigned varints', () => {
  const vectors: Array<[number, string]> = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-2, '03'],
    [63, '7e'],
    [-64, '7f'],
    [64, '8001'],
    [300, 'd804'],
    [2147483647, 'feffffff0f'],
    [-2147483648, 'ffffffff0f'],
  ];
  it.each(vectors)('varint %d ↔ %s', (value, encoded) => {
    expect(hex(write((w) => w.varint(value)))).toBe(encoded);
    expect(new Reader(bytes(encoded)).varint()).toBe(value);
  });

  it('varlong covers the int64 extremes', () => {
    expect(hex(write((w) => w.varlong(2n ** 63n - 1n)))).toBe('feffffffffffffffff01');
    expect(hex(write((w) => w.varlong(-(2n ** 63n))))).toBe('ffffffffffffffffff01');
    expect(new Reader(bytes('feffffffffffffffff01')).varlong()).toBe(2n ** 63n - 1n);
    expect(new Reader(bytes('ffffffffffffffffff01')).varlong()).toBe(-(2n ** 63n));
  });

  it('round-trip every int32 (varint) and uint32 (unsigned varint)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), fc.integer({ min: 0, max: 0xffffffff }), (v, u) => {
        const r = new Reader(write((w) => w.varint(v).uvarint(u)));
        expect(r.varint()).toBe(v);
        expect(r.uvarint()).toBe(u);
        expect(r.remaining).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trip every int64 (varlong)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const r = new Reader(write((w) => w.varlong(v)));
        expect(r.varlong()).toBe(v);
        expect(r.remaining).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('reject over-long and truncated varints', () => {
    expect(protocolError(() => new Reader(bytes('ffffffff7f')).uvarint()).code).toBe('MALFORMED');
    expect(protocolError(() => new Reader(bytes('ffffffffff01')).uvarint()).code).toBe('MALFORMED');
    expect(protocolError(() => new Reader(bytes('ffffffffffffffffff7f')).varlong()).code).toBe('MALFORMED');
    expect(protocolError(() => new Reader(bytes('8080')).varint()).code).toBe('TRUNCATED');
    expect(protocolError(() => new Reader(bytes('80808080808080')).varlong()).code).toBe('TRUNCATED');
  });
});

describe('strings and bytes', () => {
  it('classic strings carry an int16 length, -1 for null', () => {
    expect(hex(write((w) => w.classicString('sat').classicNullableString(null)))).toBe('0003736174ffff');
    const r = new Reader(bytes('0003736174ffff'));
    expect(r.classicString()).toBe('sat');
    expect(r.classicNullableString()).toBeNull();
  });

  it('compact strings carry length + 1 as an unsigned varint, 0 for null', () => {
    expect(hex(write((w) => w.compactString('sat').compactNullableString(null).compactString('')))).toBe('04736174' + '00' + '01');
    const r = new Reader(bytes('047361740001'));
    expect([r.compactString(), r.compactNullableString(), r.compactString()]).toEqual(['sat', null, '']);
  });

  it('mode-dependent string() follows the flexible flag', () => {
    expect(hex(write((w) => w.string('a'), false))).toBe('000161');
    expect(hex(write((w) => w.string('a'), true))).toBe('0261');
  });

  it('encode UTF-8 and count bytes, not UTF-16 units', () => {
    const s = 'Räikkönen 🏎️ 汽车';
    const r = new Reader(write((w) => w.classicString(s).compactString(s).classicString('x'.repeat(200))));
    expect(r.classicString()).toBe(s);
    expect(r.compactString()).toBe(s);
    expect(r.classicString()).toBe('x'.repeat(200));
  });

  it('round-trip arbitrary strings in both encodings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.option(fc.string({ maxLength: 80 })), (s, n) => {
        const r = new Reader(write((w) => w.classicString(s).compactNullableString(n).classicNullableString(n)));
        expect([r.classicString(), r.compactNullableString(), r.classicNullableString()]).toEqual([s, n, n]);
      }),
      { numRuns: 300 },
    );
  });

  it('decode invalid UTF-8 with replacement characters, as Kafka does', () => {
    expect(new Reader(bytes('0002c328')).classicString()).toBe('\ufffd(');
  });

  it('refuse strings over the int16 limit', () => {
    expect(protocolError(() => write((w) => w.classicString('x'.repeat(32768)))).code).toBe('INVALID_VALUE');
  });

  it('bytes are zero-copy views; null is -1 (classic) or 0 (compact)', () => {
    const input = bytes('00000002abcd' + 'ffffffff' + '03abcd' + '00');
    const r = new Reader(input);
    const b = r.classicBytes();
    expect(hex(b)).toBe('abcd');
    expect(b.buffer).toBe(input.buffer);
    expect(r.classicNullableBytes()).toBeNull();
    expect(hex(r.compactBytes())).toBe('abcd');
    expect(r.compactNullableBytes()).toBeNull();
  });

  it('negative lengths other than -1 are MALFORMED, long ones TRUNCATED', () => {
    expect(protocolError(() => new Reader(bytes('fffe')).classicNullableString()).code).toBe('MALFORMED');
    expect(protocolError(() => new Reader(bytes('fffffffe')).classicNullableBytes()).code).toBe('MALFORMED');
    const e = protocolError(() => new Reader(bytes('0005616263')).classicString());
    expect(e.code).toBe('TRUNCATED');
    expect(e.context.byteOffset).toBe(2);
    expect(protocolError(() => new Reader(bytes('ffff')).classicString()).code).toBe('MALFORMED');
  });
});

describe('arrays', () => {
  it('classic arrays: int32 count, -1 for null', () => {
    expect(hex(write((w) => w.int32Array([1, 2]).nullableArray(null, (x, v: number) => x.int32(v))))).toBe('00000002' + '00000001' + '00000002' + 'ffffffff');
    const r = new Reader(bytes('00000002' + '00000001' + '00000002' + 'ffffffff'));
    expect(r.int32Array()).toEqual([1, 2]);
    expect(r.nullableArray((x) => x.int32())).toBeNull();
  });

  it('compact arrays: count + 1 as an unsigned varint, 0 for null', () => {
    const flex = write((w) => w.stringArray(['a', 'b']).nullableArray(null, (x, v: string) => x.string(v)), true);
    expect(hex(flex)).toBe('03' + '0261' + '0262' + '00');
    const r = new Reader(flex, { flexible: true });
    expect(r.stringArray()).toEqual(['a', 'b']);
    expect(r.nullableArray((x) => x.string())).toBeNull();
  });

  it('a count larger than the bytes left fails before allocating', () => {
    const e = protocolError(() => new Reader(bytes('7fffffff00')).int32Array());
    expect(e.code).toBe('TRUNCATED');
    expect(e.context.byteOffset).toBe(0);
    expect(protocolError(() => new Reader(bytes('fffffffe')).int32Array()).code).toBe('MALFORMED');
    expect(protocolError(() => new Reader(bytes('ffffffff')).int32Array()).code).toBe('MALFORMED');
  });
});

describe('tagged fields', () => {
  it('skip unknown tags and hand known ones to the caller', () => {
    // 2 fields: tag 0 (2 bytes: 0x0102), tag 5 (1 byte: 0x07)
    const r = new Reader(bytes('02' + '00' + '02' + '0102' + '05' + '01' + '07' + 'aa'), { flexible: true });
    const seen: Array<[number, string]> = [];
    r.taggedFields((tag, field) => seen.push([tag, hex(field.raw(field.remaining))]));
    expect(seen).toEqual([
      [0, '0102'],
      [5, '07'],
    ]);
    expect(r.uint8()).toBe(0xaa);
  });

  it('are absent in non-flexible mode and empty when written', () => {
    expect(hex(write((w) => w.taggedFields(), false))).toBe('');
    expect(hex(write((w) => w.taggedFields(), true))).toBe('00');
    expect(hex(write((w) => w.alwaysTaggedFields([[3, bytes('01')]]), false))).toBe('01030101');
  });

  it('reject descending tags and fields running past the end', () => {
    expect(protocolError(() => new Reader(bytes('02' + '0500' + '0100'), { flexible: true }).taggedFields()).code).toBe('MALFORMED');
    expect(protocolError(() => new Reader(bytes('01' + '00' + '05' + '01'), { flexible: true }).taggedFields()).code).toBe('TRUNCATED');
  });
});

describe('UUIDs', () => {
  it('are 16 raw bytes shown as base64url, as Kafka prints them', () => {
    const raw = bytes('000102030405060708090a0b0c0d0e0f');
    const id = uuidFromBytes(raw);
    expect(id).toBe('AAECAwQFBgcICQoLDA0ODw');
    expect(hex(uuidToBytes(id))).toBe(hex(raw));
    expect(new Reader(write((w) => w.uuid(id))).uuid()).toBe(id);
    expect(new Reader(new Uint8Array(16)).uuid()).toBe(ZERO_UUID);
    expect(protocolError(() => uuidToBytes('not-a-uuid')).code).toBe('INVALID_VALUE');
  });
});

describe('Reader bounds', () => {
  it('honours an end before the buffer end', () => {
    const r = new Reader(bytes('0001020304'), { offset: 1, end: 3 });
    expect(r.int16()).toBe(0x0102);
    expect(protocolError(() => r.int8()).code).toBe('TRUNCATED');
  });

  it('refuses a range outside the buffer', () => {
    expect(protocolError(() => new Reader(bytes('00'), { end: 2 })).code).toBe('TRUNCATED');
  });
});
