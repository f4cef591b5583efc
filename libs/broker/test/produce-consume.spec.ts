/**
 * kafkajs round trip: an idempotent, acks=all, gzip producer writes 10k keyed
 * messages to 6 partitions; a consumer group reads them all back with
 * contents and per-key order identical. (The 100k version is in apps/broker.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, type TestBroker } from './support/broker.js';
import { consumeWorkload, expectedSequences, produceWorkload, type Workload } from '@lakestream/testing';

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(() => t.cleanup());

it('round-trips 10k keyed messages through 6 partitions with per-key order intact', async () => {
  const kafka = kafkaFor(t.broker.bootstrap);
  const w: Workload = { topic: 'keyed', messages: 10_000, keys: 97, valueBytes: 100 };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: w.topic, numPartitions: 6 }] });
  await produceWorkload(kafka, w);
  const offsets = await admin.fetchTopicOffsets(w.topic);
  expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(w.messages);
  expect(offsets.every((p) => Number(p.high) > 0)).toBe(true);

  const consumed = await consumeWorkload(kafka, w, 'keyed-readers', 45_000);
  expect(consumed).toEqual(expectedSequences(w));
  const committed = await admin.fetchOffsets({ groupId: 'keyed-readers', topics: [w.topic] });
  expect(committed[0]?.partitions.reduce((n, p) => n + Number(p.offset), 0)).toBe(w.messages);
  await admin.disconnect();
});
