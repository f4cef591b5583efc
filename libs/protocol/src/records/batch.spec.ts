import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { produceGoldens } from '../../test/fixtures/produce.js';
import { fromHex } from '../../test/harness.js';
import { decodeRequestOrThrow } from '../protocol/requests.js';
import { ProtocolError } from '../errors.js';
import {
  BATCH_HEADER_SIZE,
  lastOffsetOf,
  readBatchHeader,
  scanBatches,
  setBatchBaseOffset,
  setBatchLogAppendTime,
  setBatchPartitionLeaderEpoch,
  verifyBatchCrc,
} from './batch-header.js';
import { decodeRecordBatch, decodeRecordBatches, encodeRecordBatch, type RecordBatchInput } from './batch.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

function flip(bytes: Uint8Array, index: number, mask: number): void {
  bytes[index] = (bytes[index] ?? 0) ^ mask;
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

/** The record batch kafkajs 2.2.4 put in its Produce v3 request (test/fixtures/produce.ts), annotated field by field. */
const KAFKAJS_BATCH = [
  '0000000000000000', // baseOffset 0
  '00000056', // batchLength 86 (bytes after this field)
  '00000000', // partitionLeaderEpoch 0
  '02', // magic 2
  'aa2bf22e', // CRC-32C of attributes..end
  '0000', // attributes: no compression, CreateTime, not transactional, not control
  '00000001', // lastOffsetDelta 1
  '0000018bcfe56800', // baseTimestamp 1700000000000
  '0000018bcfe56805', // maxTimestamp 1700000000005
  '000000000000002a', // producerId 42
  '0001', // producerEpoch 1
  '00000000', // baseSequence 0
  '00000002', // 2 records
  // record 0: length 28, attributes 0, timestampDelta 0, offsetDelta 0, key "iss", value '{"alt":408}', 1 header src=sim
  '38' + '00' + '00' + '00' + '06' + '697373' + '16' + '7b22616c74223a3430387d' + '02' + '06' + '737263' + '06' + '73696d',
  // record 1: length 7, attributes 0, timestampDelta 5, offsetDelta 1, key null (-1), value "x", no headers
  '0e' + '00' + '0a' + '02' + '01' + '02' + '78' + '00',
].join('');

function producedRecords(source: string): Uint8Array {
  const golden = produceGoldens.find((g) => g.kind === 'request' && g.source.includes(source));
  if (!golden) throw new Error(`no produce golden "${source}"`);
  const request = decodeRequestOrThrow(fromHex(golden.hex));
  if (request.apiKey !== 0) throw new Error('not a produce request');
  const records = request.body.topicData[0]?.partitionData[0]?.records;
  if (!records) throw new Error('no records');
  return records;
}

describe('record batch v2: hand-checked kafkajs batch', () => {
  it('is exactly what kafkajs sent in Produce v3', () => {
    expect(Buffer.from(producedRecords('kafkajs 2.2.4 request encoder (protocol/requests/produce/v3)')).toString('hex')).toBe(KAFKAJS_BATCH);
  });

  it('decodes header, attributes and records', () => {
    const batch = decodeRecordBatch(fromHex(KAFKAJS_BATCH));
    expect(batch).toMatchObject({
      baseOffset: 0n,
      batchLength: 86,
      magic: 2,
      crc: 0xaa2bf22e,
      compression: 'none',
      timestampType: 'CreateTime',
      isTransactional: false,
      isControl: false,
      lastOffsetDelta: 1,
      baseTimestamp: 1700000000000n,
      maxTimestamp: 1700000000005n,
      producerId: 42n,
      producerEpoch: 1,
      baseSequence: 0,
      recordCount: 2,
    });
    const [first, second] = batch.records;
    expect([str(first?.key ?? null), str(first?.value ?? null), first?.offset, first?.timestamp]).toEqual(['iss', '{"alt":408}', 0n, 1700000000000n]);
    expect(first?.headers.map((h) => [h.key, str(h.value)])).toEqual([['src', 'sim']]);
    expect([second?.key, str(second?.value ?? null), second?.offset, second?.timestamp, second?.headers]).toEqual([null, 'x', 1n, 1700000000005n, []]);
  });

  it('re-encodes to the same bytes from the same inputs', () => {
    const again = encodeRecordBatch({
      partitionLeaderEpoch: 0,
      producerId: 42n,
      producerEpoch: 1,
      baseSequence: 0,
      records: [
        { key: text('iss'), value: text('{"alt":408}'), headers: [{ key: 'src', value: text('sim') }], timestamp: 1700000000000n },
        { key: null, value: text('x'), timestamp: 1700000000005n },
      ],
    });
    expect(Buffer.from(again).toString('hex')).toBe(KAFKAJS_BATCH);
  });
});

describe('record batch v2: librdkafka batches captured from kcat -P', () => {
  it.each([
    ['uncompressed', 'none', ['hello', 'world']],
    ['gzip', 'gzip', ['compressed-gzip-' + 'a'.repeat(74), 'again-gzip-' + 'a'.repeat(52)]],
    ['snappy', 'snappy', ['compressed-snappy-' + 'a'.repeat(74), 'again-snappy-' + 'a'.repeat(52)]],
  ])('%s', (source, compression, values) => {
    const records = producedRecords(`librdkafka 2.0.2 (kcat) on the wire, ${source}`);
    expect(verifyBatchCrc(records)).toBe(true);
    const batch = decodeRecordBatch(records);
    expect(batch.compression).toBe(compression);
    expect(batch.records.map((r) => str(r.value))).toEqual(values);
  });

  it.each(['lz4', 'zstd'])('%s: records decode, with their exact timestamps', (codec) => {
    const records = producedRecords(`librdkafka 2.0.2 (kcat) on the wire, ${codec}`);
    expect(verifyBatchCrc(records)).toBe(true);
    const batch = decodeRecordBatch(records);
    expect(batch.compression).toBe(codec);
    expect(batch.records.map((r) => str(r.value))).toEqual([`compressed-${codec}-` + 'a'.repeat(74), `again-${codec}-` + 'a'.repeat(52)]);
    expect(batch.records.map((r) => r.offset)).toEqual([0n, 1n]);
    expect(batch.records.every((r) => r.timestamp === batch.baseTimestamp)).toBe(true);
  });

  it.each(['lz4', 'zstd'])('%s: a damaged payload is CORRUPT_BATCH (CRC unchecked)', (codec) => {
    const records = producedRecords(`librdkafka 2.0.2 (kcat) on the wire, ${codec}`).slice();
    flip(records, BATCH_HEADER_SIZE + 4, 0xff); // inside the frame header
    expect(errorCode(() => decodeRecordBatch(records, 0, { verifyCrc: false }))).toBe('CORRUPT_BATCH');
  });

  it('idempotent producer fields', () => {
    const header = readBatchHeader(producedRecords('librdkafka 2.0.2 (kcat) on the wire, idempotent'));
    expect([header.producerId, header.producerEpoch, header.baseSequence]).toEqual([1000n, 0, 0]);
  });
});

describe('record batch v2: round trips', () => {
  const record = fc.record({
    key: fc.option(fc.uint8Array({ maxLength: 20 })),
    value: fc.option(fc.uint8Array({ maxLength: 200 })),
    headers: fc.array(fc.record({ key: fc.string({ maxLength: 10 }), value: fc.option(fc.uint8Array({ maxLength: 10 })) }), { maxLength: 3 }),
    timestamp: fc.bigInt({ min: 0n, max: 2n ** 50n }),
  });

  it('any records, codec and producer fields survive encode → decode', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('none', 'gzip', 'snappy' as const),
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 2n ** 62n }),
        (records, compression, xerial, baseOffset) => {
          const input: RecordBatchInput = { records, compression, xerial, baseOffset, producerId: 7n, producerEpoch: 3, baseSequence: 99, isTransactional: xerial };
          const batch = decodeRecordBatch(encodeRecordBatch(input));
          expect(batch.compression).toBe(compression);
          expect(batch.isTransactional).toBe(xerial);
          expect([batch.producerId, batch.producerEpoch, batch.baseSequence, batch.recordCount]).toEqual([7n, 3, 99, records.length]);
          expect(batch.lastOffsetDelta).toBe(records.length - 1);
          expect(batch.baseTimestamp).toBe(records[0]?.timestamp);
          expect(batch.maxTimestamp).toBe(records.reduce((m, r) => (r.timestamp > m ? r.timestamp : m), records[0]?.timestamp ?? 0n));
          batch.records.forEach((r, i) => {
            const want = records[i];
            expect(r.offset).toBe(baseOffset + BigInt(i));
            expect(r.timestamp).toBe(want?.timestamp);
            expect(r.key).toEqual(want?.key);
            expect(r.value).toEqual(want?.value);
            expect(r.headers).toEqual(want?.headers);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('control and LogAppendTime bits are kept', () => {
    const batch = decodeRecordBatch(encodeRecordBatch({ records: [{ value: null }], isControl: true, timestampType: 'LogAppendTime', baseTimestamp: 5n }));
    expect([batch.isControl, batch.timestampType, batch.attributes]).toEqual([true, 'LogAppendTime', 0x28]);
  });
});

describe('batch header helpers (broker fast path)', () => {
  const one = encodeRecordBatch({ records: [{ value: text('a') }, { value: text('b') }], baseTimestamp: 10n });
  const two = encodeRecordBatch({ records: [{ value: text('c') }], baseTimestamp: 20n, compression: 'gzip' });
  const concatenated = new Uint8Array([...one, ...two]);

  it('rewrites baseOffset in place without touching the CRC', () => {
    const copy = concatenated.slice();
    setBatchBaseOffset(copy, 0, 100n);
    setBatchBaseOffset(copy, one.length, 102n);
    setBatchPartitionLeaderEpoch(copy, 0, 7);
    expect(verifyBatchCrc(copy, 0)).toBe(true);
    expect(verifyBatchCrc(copy, one.length)).toBe(true);
    const { batches } = decodeRecordBatches(copy);
    expect(batches.flatMap((b) => b.records.map((r) => [r.offset, str(r.value)]))).toEqual([
      [100n, 'a'],
      [101n, 'b'],
      [102n, 'c'],
    ]);
    expect(lastOffsetOf(readBatchHeader(copy, 0))).toBe(101n);
    expect(readBatchHeader(copy, 0).partitionLeaderEpoch).toBe(7);
  });

  it('detects any single flipped bit in the CRC-covered bytes', () => {
    for (let bit = (21 * 8); bit < one.length * 8; bit += 7) {
      const copy = one.slice();
      flip(copy, bit >> 3, 1 << (bit & 7));
      expect(verifyBatchCrc(copy)).toBe(false);
      expect(errorCode(() => decodeRecordBatch(copy))).toBe('CORRUPT_BATCH');
    }
  });

  it('stamps LogAppendTime and re-checksums', () => {
    const copy = one.slice();
    setBatchLogAppendTime(copy, 0, 99n);
    expect(verifyBatchCrc(copy)).toBe(true);
    expect(decodeRecordBatch(copy)).toMatchObject({ timestampType: 'LogAppendTime', maxTimestamp: 99n });
  });

  it('scans concatenated batches and reports a partial trailing batch', () => {
    const cut = concatenated.subarray(0, concatenated.length - 5);
    const scan = scanBatches(cut, { verifyCrc: true });
    expect(scan.batches.map((b) => [b.offset, b.size, b.header.recordCount])).toEqual([[0, one.length, 2]]);
    expect(scan.partialBytes).toBe(two.length - 5);
    expect(decodeRecordBatches(cut).batches).toHaveLength(1);
    expect(scanBatches(concatenated.subarray(0, 30)).partialBytes).toBe(30);
    expect(scanBatches(new Uint8Array(0))).toEqual({ batches: [], partialBytes: 0 });
  });

  it('scan with verifyCrc throws CORRUPT_BATCH on a bad batch', () => {
    const copy = concatenated.slice();
    flip(copy, one.length + BATCH_HEADER_SIZE, 0xff);
    expect(errorCode(() => scanBatches(copy, { verifyCrc: true }))).toBe('CORRUPT_BATCH');
    expect(scanBatches(copy).batches).toHaveLength(2);
  });

  it('refuses message format v0/v1 and impossible lengths', () => {
    const v1 = one.slice();
    v1[16] = 1;
    expect(errorCode(() => readBatchHeader(v1))).toBe('UNSUPPORTED_MAGIC');
    const short = one.slice();
    new DataView(short.buffer).setInt32(8, 10);
    expect(errorCode(() => readBatchHeader(short))).toBe('CORRUPT_BATCH');
    expect(errorCode(() => readBatchHeader(one.subarray(0, 60)))).toBe('TRUNCATED');
    expect(errorCode(() => decodeRecordBatch(one.subarray(0, one.length - 1)))).toBe('TRUNCATED');
  });

  it('a record count that lies is CORRUPT_BATCH', () => {
    const lying = encodeRecordBatch({ records: [{ value: text('a') }], baseTimestamp: 1n });
    new DataView(lying.buffer).setInt32(57, 3);
    expect(errorCode(() => decodeRecordBatch(lying, 0, { verifyCrc: false }))).toBe('CORRUPT_BATCH');
  });
});
