/**
 * kill -9 of the broker process in the middle of produce: after a restart on
 * the same directory every acknowledged message is there exactly once (in
 * send order within its partition), committed offsets are as they were, and
 * every partition is readable to its end.
 */
import { rm } from 'node:fs/promises';
import { Partitioners, type Kafka } from 'kafkajs';
import { afterAll, expect, it } from 'vitest';
import { kafkaFor, startBrokerProcess, tempDir, type BrokerProcess } from './support/process.js';

const TOPIC = 'crashy';
const brokers: BrokerProcess[] = [];
let dir: string | undefined;
afterAll(async () => {
  for (const b of brokers) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Sends numbered messages (value = "n") in batches until stopped; returns the numbers acknowledged, per partition in send order. */
function produceUntilStopped(kafka: Kafka): { stop: () => Promise<Map<number, number[]>>; acked: () => number } {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 2, initialRetryTime: 100 } });
  const acked = new Map<number, number[]>();
  let count = 0;
  let running = true;
  const loop = (async () => {
    await producer.connect();
    for (let n = 0; running; n += 60) {
      const messages = Array.from({ length: 60 }, (_, i) => ({ partition: i % 6, value: String(n + i) }));
      try {
        await producer.send({ topic: TOPIC, acks: -1, messages });
      } catch {
        break; // the broker is gone
      }
      for (const m of messages) acked.set(m.partition, [...(acked.get(m.partition) ?? []), Number(m.value)]);
      count += messages.length;
    }
    await producer.disconnect().catch(() => undefined);
  })();
  return {
    acked: () => count,
    stop: async () => {
      running = false;
      await loop;
      return acked;
    },
  };
}

it('keeps acknowledged messages and committed offsets through kill -9 mid-produce', { timeout: 90_000 }, async () => {
  dir = await tempDir();
  const first = await startBrokerProcess(['--port', '0', '--dir', dir, '--partitions', '6', '--segment-bytes', '65536']);
  brokers.push(first);
  let kafka = kafkaFor(first.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });
  const producing = produceUntilStopped(kafka);

  // A group commits what it read while produce goes on.
  const consumer = kafka.consumer({ groupId: 'crash-readers', maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let read = 0;
  await consumer.run({ eachBatch: async ({ batch }) => void (read += batch.messages.length) });
  while (read < 1000 || producing.acked() < 3000) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect(); // commits
  const committed = await admin.fetchOffsets({ groupId: 'crash-readers', topics: [TOPIC] });
  await admin.disconnect();

  const ackedBeforeKill = producing.acked();
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  const acked = await producing.stop();
  expect(ackedBeforeKill).toBeGreaterThan(0);

  const second = await startBrokerProcess(['--port', '0', '--dir', dir]);
  brokers.push(second);
  kafka = kafkaFor(second.bootstrap);
  const admin2 = kafka.admin();
  await admin2.connect();
  expect(await admin2.fetchOffsets({ groupId: 'crash-readers', topics: [TOPIC] })).toEqual(committed);
  const ends = await admin2.fetchTopicOffsets(TOPIC);
  await admin2.disconnect();
  const total = ends.reduce((n, p) => n + Number(p.high), 0);

  // Read every partition to its end.
  const stored = new Map<number, number[]>();
  const reader = kafka.consumer({ groupId: 'after-crash', maxWaitTimeInMs: 200 });
  await reader.connect();
  await reader.subscribe({ topic: TOPIC, fromBeginning: true });
  let got = 0;
  await new Promise<void>((resolve) => {
    void reader.run({
      eachBatch: async ({ batch }) => {
        const list = stored.get(batch.partition) ?? [];
        for (const m of batch.messages) list.push(Number(m.value?.toString()));
        stored.set(batch.partition, list);
        got += batch.messages.length;
        if (got >= total) resolve();
      },
    });
  });
  await reader.disconnect();
  expect(got).toBe(total);

  for (let p = 0; p < 6; p++) {
    const inLog = stored.get(p) ?? [];
    const mustHave = acked.get(p) ?? [];
    expect(new Set(inLog).size).toBe(inLog.length); // no duplicates
    expect(inLog.slice(0, mustHave.length)).toEqual(mustHave); // every acknowledged message, in order
    expect(inLog.length - mustHave.length).toBeLessThanOrEqual(10); // at most the one unacknowledged batch
  }
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
});
