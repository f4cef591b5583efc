import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeLogPath,
  encodeLogPath,
  escapePartitionValue,
  parsePartitionValue,
  partitionDirectory,
  serializePartitionValue,
  unescapePartitionValue,
} from './partitions.js';

describe('partition value serialization (PROTOCOL.md)', () => {
  it('serializes per type', () => {
    expect(serializePartitionValue('abc', 'string')).toBe('abc');
    expect(serializePartitionValue('', 'string')).toBeNull();
    expect(serializePartitionValue(null, 'long')).toBeNull();
    expect(serializePartitionValue(undefined, 'long')).toBeNull();
    expect(serializePartitionValue(9007199254740993n, 'long')).toBe('9007199254740993');
    expect(serializePartitionValue(-42, 'integer')).toBe('-42');
    expect(serializePartitionValue(1.5, 'double')).toBe('1.5');
    expect(serializePartitionValue(true, 'boolean')).toBe('true');
    expect(serializePartitionValue(false, 'boolean')).toBe('false');
    expect(serializePartitionValue(new Date(Date.UTC(1970, 0, 1)), 'date')).toBe('1970-01-01');
    expect(serializePartitionValue(20518, 'date')).toBe('2026-03-06');
    expect(serializePartitionValue(0n, 'timestamp')).toBe('1970-01-01 00:00:00');
    expect(serializePartitionValue(123456n, 'timestamp')).toBe('1970-01-01 00:00:00.123456');
    expect(serializePartitionValue(-1n, 'timestamp')).toBe('1969-12-31 23:59:59.999999');
    expect(serializePartitionValue(new Date(Date.UTC(1970, 0, 2, 8, 45)), 'timestamp')).toBe('1970-01-02 08:45:00');
    expect(serializePartitionValue(12, 'decimal(38,18)')).toBe('12.000000000000000000');
    expect(() => serializePartitionValue('x', 'long', 'n')).toThrowError(/partition column "n"/);
    expect(() => serializePartitionValue(1.5, 'integer')).toThrowError(/cannot serialize/);
  });

  it('parses per type', () => {
    expect(parsePartitionValue(null, 'string')).toBeNull();
    expect(parsePartitionValue('', 'integer')).toBeNull();
    expect(parsePartitionValue('9007199254740993', 'long')).toBe(9007199254740993n);
    expect(parsePartitionValue('7', 'short')).toBe(7);
    expect(parsePartitionValue('1.0', 'float')).toBe(1);
    expect(parsePartitionValue('NaN', 'double')).toBeNaN();
    expect(parsePartitionValue('TRUE', 'boolean')).toBe(true);
    expect(parsePartitionValue('1970-01-02', 'date')).toBe(1);
    expect(parsePartitionValue('1970-01-02 08:45:00', 'timestamp')).toBe(117_900_000_000n);
    expect(parsePartitionValue('1970-01-01 00:00:00.123456', 'timestamp')).toBe(123_456n);
    expect(parsePartitionValue('1970-01-01T00:00:00.123456Z', 'timestamp')).toBe(123_456n);
    expect(parsePartitionValue('1970-01-01T01:00:00+01:00', 'timestamp')).toBe(0n);
    expect(parsePartitionValue('200.000000000000000000', 'decimal(38,18)')).toBe('200.000000000000000000');
    expect(parsePartitionValue('😈', 'binary')).toEqual(new TextEncoder().encode('😈'));
    expect(() => parsePartitionValue('2021-02-30', 'date', 'd')).toThrowError(/partition column "d"/);
    expect(() => parsePartitionValue('abc', 'long')).toThrowError(/not a valid long/);
  });

  it('round trips timestamps and dates', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -62_135_596_800_000_000n, max: 253_402_300_799_999_999n }), (micros) => {
        const text = serializePartitionValue(micros, 'timestamp');
        expect(parsePartitionValue(text, 'timestamp')).toBe(micros);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        expect(parsePartitionValue(serializePartitionValue(days, 'date'), 'date')).toBe(days);
      }),
    );
  });
});

describe('Hive-style partition directories', () => {
  it('escapes like Spark and uses the default partition for null', () => {
    expect(escapePartitionValue('a/b=c:d%e')).toBe('a%2Fb%3Dc%3Ad%25e');
    expect(escapePartitionValue('x y😈')).toBe('x y😈');
    expect(escapePartitionValue('\n#"\'*?\\{[]^\x7f')).toBe('%0A%23%22%27%2A%3F%5C%7B%5B%5D%5E%7F');
    expect(partitionDirectory([], {})).toBe('');
    expect(partitionDirectory(['session_date', 'event_type'], { session_date: '2026-03-06', event_type: 'tire' })).toBe(
      'session_date=2026-03-06/event_type=tire/',
    );
    expect(partitionDirectory(['a', 'b'], { a: null, b: '' })).toBe('a=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__/');
  });

  it('matches the log paths Spark wrote in the DAT tables', () => {
    const dir = partitionDirectory(['bool', 'time', 'amount'], {
      bool: 'false',
      time: '1970-01-02 08:45:00',
      amount: '12.000000000000000000',
    });
    expect(encodeLogPath(`${dir}part-0.parquet`)).toBe(
      'bool=false/time=1970-01-02%2008%253A45%253A00/amount=12.000000000000000000/part-0.parquet',
    );
    const letter = partitionDirectory(['letter', 'data'], { letter: '/%20%f', data: '😈' });
    expect(encodeLogPath(letter)).toBe('letter=%252F%252520%2525f/data=😈/');
    expect(decodeLogPath('letter=%252F%252520%2525f/data=😈/')).toBe(letter);
    expect(unescapePartitionValue('%2F%2520%25f')).toBe('/%20%f');
    expect(decodeLogPath('a%zz%2')).toBe('a%zz%2');
    expect(decodeLogPath('%F0%9F%98%88')).toBe('😈');
  });

  it('escaping and log-path encoding round trip for arbitrary strings', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('/', '=', '%', ':', ' ', 'a', '2', 'F', '😈', 'é', '\n', '\u0000', '\u2028') }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const escaped = escapePartitionValue(s);
        expect([...escaped].some((c) => '/=:'.includes(c) || c.charCodeAt(0) < 0x20)).toBe(false);
        expect(unescapePartitionValue(escaped)).toBe(s);
        const path = `${partitionDirectory(['c'], { c: s })}f.parquet`;
        const encoded = encodeLogPath(path);
        expect(encoded).not.toMatch(/[ %](?![0-9A-F]{2})/);
        expect(decodeLogPath(encoded)).toBe(path);
      }),
      { numRuns: 500 },
    );
  });
});
