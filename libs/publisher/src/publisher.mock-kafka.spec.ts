import kafkajs from 'kafkajs';
import { kcatConsume, kcatProduce, requireTool, startMockCluster, type KcatRecord, type MockCluster } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchingPublisher, type BatchInfo } from './batching-publisher.js';
import { BrokerUnreachableError, IdempotenceUnavailableError } from './errors.js';
import type { CompressionName } from './options.js';
import { registerSnappyCodec } from './snappy.js';

const hasKcat = requireTool('kcat', ['-V']);

/** value = key + sequence number within the key + bytes that break any text framing. */
function payload(key: string, seq: number): Buffer {
  return Buffer.concat([Buffer.from(`${key}#${seq}#`), Buffer.from([0, 10, 13, 255, seq & 0xff])]);
}

function checkReadBack(records: readonly KcatRecord[], keys: number, perKey: number): void {
  expect(records).toHaveLength(keys * perKey);
  const partitionOfKey = new Map<string, number>();
  const seqOfKey = new Map<string, number[]>();
  for (const r of records) {
    const key = r.key?.toString() ?? '';
    expect(partitionOfKey.get(key) ?? r.partition).toBe(r.partition);
    partitionOfKey.set(key, r.partition);
    const seq = Number(r.value?.toString('latin1').split('#')[1]);
    expect(r.value).toEqual(payload(key, seq));
    seqOfKey.set(key, [...(seqOfKey.get(key) ?? []), seq]);
  }
  expect(partitionOfKey.size).toBe(keys);
  // kcat prints each partition in offset order, so per key this is the broker's order.
  for (const seqs of seqOfKey.values()) expect(seqs).toEqual(Array.from({ length: perKey }, (_, i) => i));
  expect(new Set(partitionOfKey.values()).size).toBeGreaterThan(1);
}

describe.skipIf(!hasKcat)('BatchingPublisher against the kcat mock cluster', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster();
  });
  afterAll(() => cluster?.stop());

  it.each(['none', 'gzip', 'snappy'] as CompressionName[])('publishes keyed messages with %s: counts, keys, bytes, partition per key, order per key', async (compression) => {
    const topic = `pub-${compression}`;
    const batches: BatchInfo[] = [];
    let maxInFlight = 0;
    const publisher = await BatchingPublisher.connect(
      { brokers: cluster.bootstrap.split(','), clientId: 'spec', topic, compression, maxBatchMessages: 50, lingerMs: 2, maxInFlight: 4 },
      { onBatch: (b) => batches.push(b) },
    );
    const keys = 24;
    const perKey = 150;
    for (let seq = 0; seq < perKey; seq++) {
      for (let k = 0; k < keys; k++) await publisher.send(`sat${k}`, payload(`sat${k}`, seq));
      maxInFlight = Math.max(maxInFlight, publisher.stats().inFlight);
    }
    await publisher.close();
    expect(publisher.stats()).toMatchObject({ messages: keys * perKey, errors: 0, failedMessages: 0, buffered: 0 });
    expect(batches.length).toBeGreaterThanOrEqual((keys * perKey) / 50);
    expect(new Set(batches.map((b) => b.lane)).size).toBe(4);
    expect(maxInFlight).toBeGreaterThan(1);
    checkReadBack(await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: keys * perKey, timeoutMs: 20_000 }), keys, perKey);
  });

  it('reads snappy batches compressed by librdkafka (kcat -z snappy) through the registered codec', async () => {
    const topic = 'snappy-from-librdkafka';
    const values = Array.from({ length: 20 }, (_, i) => Buffer.from(`${'telemetry '.repeat(40)}${i}\n\x00`, 'latin1'));
    await kcatProduce({ bootstrap: cluster.directBootstrap, topic, messages: values.map((value) => ({ key: 'car44', value, partition: 0 })), compression: 'snappy' });
    registerSnappyCodec();
    const kafka = new kafkajs.Kafka({ brokers: cluster.bootstrap.split(','), clientId: 'spec', logLevel: kafkajs.logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'spec-snappy' });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(message.value as Buffer);
            if (seen.length === values.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(seen).toEqual(values);
  });

  it('spreads over a 3-broker cluster with idempotence', async () => {
    const three = await startMockCluster({ brokers: 3 });
    try {
      const publisher = await BatchingPublisher.connect({ brokers: three.bootstrap.split(','), clientId: 'spec', topic: 'three', compression: 'gzip', maxInFlight: 3 });
      for (let seq = 0; seq < 40; seq++) for (let k = 0; k < 12; k++) await publisher.send(`car${k}`, payload(`car${k}`, seq));
      await publisher.close();
      checkReadBack(await kcatConsume({ bootstrap: three.directBootstrap, topic: 'three', count: 480 }), 12, 40);
    } finally {
      await three.stop();
    }
  });

  it('names the controller problem when the mock is used without the proxy, and works without idempotence', async () => {
    const raw = await startMockCluster({ fixController: false });
    try {
      const error = await BatchingPublisher.connect({ brokers: [raw.bootstrap], clientId: 'spec', topic: 'raw' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotenceUnavailableError);
      expect((error as Error).message).toMatch(/controller/);
      const publisher = await BatchingPublisher.connect({ brokers: [raw.bootstrap], clientId: 'spec', topic: 'raw', idempotent: false });
      await publisher.send('k', payload('k', 0));
      await publisher.close();
      expect(publisher.stats().messages).toBe(1);
    } finally {
      await raw.stop();
    }
  });
});

describe.skipIf(!hasKcat)('BatchingPublisher when the broker goes away', () => {
  it('fails the batch, then fails for good when no new producer session can be opened', async () => {
    const cluster = await startMockCluster();
    const errors: string[] = [];
    const publisher = await BatchingPublisher.connect(
      { brokers: cluster.bootstrap.split(','), clientId: 'spec', topic: 'gone', maxInFlight: 1, retries: 1, connectTimeoutMs: 2_000, requestTimeoutMs: 2_000 },
      { onError: (e) => errors.push(e.code) },
    );
    await publisher.send('k', payload('k', 0));
    await publisher.flush();
    await cluster.stop();
    await publisher.send('k', payload('k', 1));
    await publisher.flush();
    expect(errors).toEqual(['PUBLISH_FAILED']);
    await publisher.send('k', payload('k', 2));
    await expect(publisher.flush()).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(errors).toEqual(['PUBLISH_FAILED', 'BROKER_UNREACHABLE']);
    expect(publisher.stats()).toMatchObject({ messages: 1, errors: 1, failedMessages: 2, buffered: 0 });
    await publisher.close();
  });
});

describe('BatchingPublisher with no broker', () => {
  it('rejects with BrokerUnreachableError naming the address within 15 s', async () => {
    const started = Date.now();
    const error = await BatchingPublisher.connect({ brokers: ['127.0.0.1:1'], clientId: 'spec', topic: 't' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error).toBeInstanceOf(BrokerUnreachableError);
    expect((error as BrokerUnreachableError).code).toBe('BROKER_UNREACHABLE');
    expect((error as BrokerUnreachableError).message).toContain('127.0.0.1:1');
    expect((error as BrokerUnreachableError).brokers).toEqual(['127.0.0.1:1']);
  });

  it('gives up at the connect deadline even when connection attempts hang', async () => {
    const net = await import('node:net');
    // A server that accepts and never answers: kafkajs waits for its ApiVersions reply.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await BatchingPublisher.connect({ brokers: [`127.0.0.1:${port}`], clientId: 'spec', topic: 't', connectTimeoutMs: 2_000, requestTimeoutMs: 60_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerUnreachableError);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      silent.close();
    }
  });
});
