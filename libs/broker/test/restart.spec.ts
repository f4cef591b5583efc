/**
 * A clean restart (close, then start on the same data directory):
 * acknowledged messages, committed offsets, topics and producer-id
 * uniqueness survive; each partition reads to its end. (kill -9 of a broker
 * process mid-produce is in apps/broker's crash test.)
 */
import { rm } from 'node:fs/promises';
import { API_KEYS } from '@lakestream/protocol';
import { afterAll, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { kafkaFor, startTestBroker, tempDir } from './support/broker.js';
import { consumeWorkload, expectedSequences, produceWorkload, type Workload } from '@lakestream/testing';

let dir: string;
afterAll(() => rm(dir, { recursive: true, force: true }));

async function newProducerId(port: number): Promise<bigint> {
  const c = await RawClient.connect(port);
  const r = await c.request(API_KEYS.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 1000, producerId: -1n, producerEpoch: -1 });
  c.close();
  return r.body.producerId;
}

it('keeps messages, committed offsets, topics and producer ids across a restart', async () => {
  dir = await tempDir();
  const w: Workload = { topic: 'durable', messages: 3000, keys: 31, valueBytes: 60 };

  const first = await startTestBroker({ dir, log: { segmentBytes: 64 * 1024 } });
  let kafka = kafkaFor(first.broker.bootstrap);
  await produceWorkload(kafka, w, 250);
  await consumeWorkload(kafka, w, 'durable-readers', 30_000);
  let admin = kafka.admin();
  await admin.connect();
  const before = await admin.fetchTopicOffsets(w.topic);
  const committedBefore = await admin.fetchOffsets({ groupId: 'durable-readers', topics: [w.topic] });
  await admin.disconnect();
  const idBefore = await newProducerId(first.broker.address.port);
  await first.broker.close();

  const second = await startTestBroker({ dir });
  try {
    expect(second.broker.clusterId).toBe(first.broker.clusterId);
    expect(second.logs.lines.filter((l) => l.level !== 'info')).toEqual([]);
    kafka = kafkaFor(second.broker.bootstrap);
    admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([w.topic]);
    expect(await admin.fetchTopicOffsets(w.topic)).toEqual(before);
    expect(await admin.fetchOffsets({ groupId: 'durable-readers', topics: [w.topic] })).toEqual(committedBefore);
    expect((await admin.describeGroups(['durable-readers'])).groups[0]?.state).toBe('Empty');
    await admin.disconnect();
    expect(await consumeWorkload(kafka, w, 'after-restart', 30_000)).toEqual(expectedSequences(w));
    expect(await newProducerId(second.broker.address.port)).toBeGreaterThan(idBefore);
  } finally {
    await second.broker.close();
  }
});
