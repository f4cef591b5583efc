/**
 * The round trip at size: 100k keyed messages through 6 partitions
 * of the broker app (its own process), produced idempotently with acks=all
 * and gzip by kafkajs, consumed by one group; contents and per-key order
 * identical. Not a benchmark (that is `nx run broker:bench`): it only checks
 * correctness at volume within a generous time limit.
 */
import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { kafkaFor, startBrokerProcess, tempDir, type BrokerProcess } from './support/process.js';
import { consumeWorkload, expectedSequences, produceWorkload, type Workload } from '@lakestream/testing';

let broker: BrokerProcess | undefined;
let dir: string | undefined;
afterAll(async () => {
  broker?.child.kill('SIGTERM');
  await broker?.exited;
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('round-trips 100k keyed messages with contents and per-key order identical', { timeout: 90_000 }, async () => {
  dir = await tempDir();
  broker = await startBrokerProcess(['--port', '0', '--dir', dir]);
  const kafka = kafkaFor(broker.bootstrap);
  const w: Workload = { topic: 'hundred-k', messages: 100_000, keys: 500, valueBytes: 100 };
  await produceWorkload(kafka, w, 5000);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(w.topic);
  await admin.disconnect();
  expect(offsets).toHaveLength(6);
  expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(w.messages);
  const consumed = await consumeWorkload(kafka, w, 'hundred-k-readers', 60_000);
  expect(consumed).toEqual(expectedSequences(w));
});
