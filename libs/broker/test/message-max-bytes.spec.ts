/**
 * Issue 8 item 17: Kafka's message.max.bytes. A record batch larger than
 * the limit (default 1048588 bytes, measured after compression) is refused
 * per partition with MESSAGE_TOO_LARGE (10), as Apache Kafka does, so a
 * producer that works here does not break on Kafka.
 */
import { requireTool } from '@lakestream/testing';
import { API_KEYS, ERROR_CODES, encodeRecordBatch } from '@lakestream/protocol';
import { CompressionTypes, KafkaJSProtocolError, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_MAX_BYTES } from '../src/index.js';
import { kafkaFor, startTestBroker, type TestBroker } from './support/broker.js';
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
