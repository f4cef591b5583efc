import { describe, expect, it } from 'vitest';
import { KcatError } from './errors.js';
import { parseKcatRecords } from './kcat-records.js';

/** What kcat prints for one record with KCAT_RECORD_FORMAT. */
function record(key: Buffer | null, value: Buffer | null, partition = 0, offset = 0, timestamp = 1000, topic = 't'): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(value === null ? -1 : value.length, 0);
  return Buffer.concat([
    Buffer.from(`@${key === null ? -1 : key.length} ${partition} ${offset} ${timestamp} ${topic}\n`, 'latin1'),
    key ?? Buffer.alloc(0),
    len,
    value ?? Buffer.alloc(0),
  ]);
}

describe('parseKcatRecords', () => {
  it('reads keys and values byte-exact, whatever bytes they hold', () => {
    const nasty = Buffer.from([0x40, 0x0a, 0x00, 0xff, 0x0d, 0x25, 0x52, 0x0a]);
    const out = Buffer.concat([record(Buffer.from('sat7'), nasty, 2, 41, 1234, 'sat-data'), record(nasty, Buffer.from('x'), 3, 0)]);
    const { records, consumed } = parseKcatRecords(out);
    expect(consumed).toBe(out.length);
    expect(records).toEqual([
      { topic: 'sat-data', partition: 2, offset: 41, key: Buffer.from('sat7'), value: nasty, timestamp: 1234 },
      { topic: 't', partition: 3, offset: 0, key: nasty, value: Buffer.from('x'), timestamp: 1000 },
    ]);
  });

  it('keeps null keys, null values and empty values apart', () => {
    const { records } = parseKcatRecords(Buffer.concat([record(null, Buffer.alloc(0)), record(Buffer.alloc(0), null)]));
    expect(records.map((r) => [r.key, r.value])).toEqual([
      [null, Buffer.alloc(0)],
      [Buffer.alloc(0), null],
    ]);
  });

  it('leaves an incomplete trailing record unconsumed', () => {
    const whole = record(Buffer.from('k'), Buffer.from('value'));
    const out = Buffer.concat([whole, whole.subarray(0, whole.length - 2)]);
    const { records, consumed } = parseKcatRecords(out);
    expect(records).toHaveLength(1);
    expect(consumed).toBe(whole.length);
  });

  it('rejects output in another format with KCAT_OUTPUT_INVALID', () => {
    expect(() => parseKcatRecords(Buffer.from('hello\n'))).toThrow(KcatError);
    expect(() => parseKcatRecords(Buffer.from('@x y\n'))).toThrow(expect.objectContaining({ code: 'KCAT_OUTPUT_INVALID' }));
  });
});
