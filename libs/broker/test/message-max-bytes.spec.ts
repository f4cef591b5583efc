/**
 * Issue 8 item 17: Kafka's message.max.bytes. A record batch larger than
 * the limit (default 1048588 bytes, measured after compression) is refused
 * per partition with MESSAGE_TOO_LARGE (10), as Apache Kafka does, so a
 * producer that works here does not break on Kafka. Also: a batch of exactly
 * the default limit is stored and read by a consumer with small fetch limits,
 * and kcat's zstd/lz4 batches count after compression.
 */
import { requireTool } from '@lakestream/testing';
import { API_KEYS, ERROR_CODES, encodeRecordBatch, scanBatches } from '@lakestream/protocol';
import { CompressionTypes, KafkaJSProtocolError, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_MAX_BYTES } from '../src/index.js';
import { kafkaFor, startTestBroker, waitFor, type TestBroker } from './support/broker.js';
import { kcat } from './support/kcat.js';
import { RawClient } from './support/raw-client.js';

const hasKcat = requireTool('kcat', ['-V']);
const FIVE_MIB = 5 * 1024 * 1024;

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(() => t.cleanup());

/** Random bytes do not compress, so the batch is as large as the value. */
function incompressible(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) b.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, Math.min(i, n - 4));
  return b;
}

describe('message.max.bytes (default 1048588)', () => {
  it('is Kafka default', () => {
    expect(DEFAULT_MESSAGE_MAX_BYTES).toBe(1048588);
  });

  it('kafkajs: a 5 MiB message fails at once with MESSAGE_TOO_LARGE, not retried; nothing is stored', async () => {
    const kafka = kafkaFor(t.broker.bootstrap, { retry: { retries: 5, initialRetryTime: 300 } });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const started = Date.now();
      const error = await producer.send({ topic: 'big', messages: [{ partition: 0, value: incompressible(FIVE_MIB) }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KafkaJSProtocolError);
      expect((error as KafkaJSProtocolError).type).toBe('MESSAGE_TOO_LARGE');
      expect((error as KafkaJSProtocolError).retriable).toBe(false);
      expect(Date.now() - started).toBeLessThan(2_000); // 5 retries would take over 9 s
      // Under the limit after compression: 5 MiB of one repeated byte gzips to a few KiB and is accepted, as on Kafka.
      await producer.send({ topic: 'big', compression: CompressionTypes.GZIP, messages: [{ partition: 0, value: Buffer.alloc(FIVE_MIB, 0x61) }] });
    } finally {
      await producer.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('big');
    await admin.disconnect();
    expect(offsets.find((p) => p.partition === 0)?.high).toBe('1');
  });

  it.skipIf(!hasKcat)('kcat (librdkafka): reports the broker error for a 5 MiB message', async () => {
    const value = 'x'.repeat(FIVE_MIB);
    // librdkafka checks its own message.max.bytes first; raise it so the broker is the one that refuses.
    const r = await kcat(['-b', t.broker.bootstrap, '-P', '-t', 'big-kcat', '-p', '0', '-X', 'message.max.bytes=10000000'], { input: `${value}\n` });
    expect(r.stderr).toMatch(/Message size too large|MSG_SIZE_TOO_LARGE/i);
    expect(r.code).not.toBe(0);
  });
});

describe('messageMaxBytes option', () => {
  it('the exact limit is accepted, one byte more refused per partition; other partitions are unaffected', async () => {
    const small = await startTestBroker({ messageMaxBytes: 2000 });
    const client = await RawClient.connect(small.broker.address.port);
    try {
      /** A one-record batch of exactly `total` bytes (the value's size, found by search: lengths are varints). */
      const batchOfSize = (total: number): Uint8Array => {
        for (let v = total - 200; v < total; v++) {
          const batch = encodeRecordBatch({ records: [{ value: new Uint8Array(v) }] });
          if (batch.length === total) return batch;
        }
        throw new Error(`no one-record batch of ${total} bytes`);
      };
      const fits = batchOfSize(2000);
      const tooBig = batchOfSize(2001);
      const { body } = await client.request(API_KEYS.Produce, 7, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topicData: [
          {
            name: 'limited',
            partitionData: [
              { index: 0, records: fits },
              { index: 1, records: tooBig },
            ],
          },
        ],
      });
      const partitions = body.responses[0]?.partitionResponses ?? [];
      expect(partitions.map((p) => [p.index, p.errorCode])).toEqual([
        [0, ERROR_CODES.NONE],
        [1, ERROR_CODES.MESSAGE_TOO_LARGE],
      ]);
      expect(ERROR_CODES.MESSAGE_TOO_LARGE).toBe(10);
    } finally {
      client.close();
      await small.cleanup();
    }
  });
});

describe('#17 message.max.bytes at the default limit', () => {
  it('kafkajs: a batch of exactly 1048588 bytes is stored and a consumer with small maxBytes still reads it; one byte more is refused', async () => {
    const topic = 'at-limit';
    const kafka = kafkaFor(t.broker.bootstrap);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    // One record, no key, no headers: 61 bytes of batch header + 3 (length varint) + 8 + value.
    const value = Buffer.alloc(1048588 - 72, 0x5a);
    await producer.send({ topic, messages: [{ partition: 0, value }] });
    const over = await producer.send({ topic, messages: [{ partition: 0, value: Buffer.alloc(value.length + 1, 0x5a) }] }).then(
      () => 'stored',
      (e: { type?: string }) => e.type,
    );
    expect(over).toBe('MESSAGE_TOO_LARGE');
    await producer.send({ topic, messages: [{ partition: 0, value: 'after' }] });
    await producer.disconnect();

    const client = await RawClient.connect(t.broker.address.port);
    try {
      const { body } = await client.request(API_KEYS.Fetch, 4, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 4 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 4 << 20 }] }],
        forgottenTopicsData: [],
        rackId: '',
      });
      const raw = body.responses[0]?.partitions[0]?.records;
      const bytes = raw instanceof Uint8Array ? raw : Buffer.concat((raw ?? []) as Uint8Array[]);
      expect(scanBatches(bytes).batches.map((b) => b.size)).toEqual([1048588, expect.any(Number)]);
    } finally {
      client.close();
    }

    // Kafka returns a first batch larger than the fetch limits, so a consumer with small ones makes progress.
    const consumer = kafka.consumer({ groupId: 'at-limit', maxBytes: 64 << 10, maxBytesPerPartition: 16 << 10, maxWaitTimeInMs: 100 });
    const got: number[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value?.length ?? -1) });
    try {
      await waitFor(() => got.length >= 2, 10_000, 'both messages');
      expect(got).toEqual([value.length, 5]);
    } finally {
      await consumer.disconnect();
    }
  });

  it.skipIf(!hasKcat)('kcat: zstd and lz4 count after compression (2 MiB of one byte is stored; 2 MiB of random base-36 text is refused)', async () => {
    const topic = 'at-limit-kcat';
    const compressible = 'a'.repeat(2 * 1024 * 1024);
    let random = '';
    while (random.length < 2 * 1024 * 1024) random += Math.random().toString(36).slice(2);
    for (const codec of ['zstd', 'lz4'] as const) {
      const ok = await kcat(['-b', t.broker.bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'message.max.bytes=10000000'], { input: `${compressible}\n` });
      expect(ok.code, `${codec}: ${ok.stderr}`).toBe(0);
      const refused = await kcat(['-b', t.broker.bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'message.max.bytes=10000000'], { input: `${random}\n` });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Message size too large|MSG_SIZE_TOO_LARGE/i);
    }
    const c = await kcat(['-b', t.broker.bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%S\\n']);
    expect(c.stdout.trim().split('\n')).toEqual([String(compressible.length), String(compressible.length)]);
  });
});
