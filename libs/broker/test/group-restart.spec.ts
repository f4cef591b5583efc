/**
 * Group membership survives a broker restart (issue 8, item 16): a live
 * kafkajs group member keeps committing with its member id and generation
 * across a close-and-start of the broker on the same data directory and
 * port. Before, membership lived in memory only: the first commit after the
 * restart got UNKNOWN_MEMBER_ID, the member rejoined under a new id, and the
 * message it was processing was delivered again.
 */
import { rm } from 'node:fs/promises';
import { API_KEYS } from '@lakestream/protocol';
import { Partitioners } from 'kafkajs';
import { afterAll, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, tempDir, waitFor, type TestBroker } from './support/broker.js';
import { RawClient } from './support/raw-client.js';

const TOPIC = 'restart-members';
const PER_PARTITION = 10;
let dir: string;
let t: TestBroker | undefined;
afterAll(async () => {
  await t?.broker.close();
  await rm(dir, { recursive: true, force: true });
});

it('a live member’s commits after a restart succeed with its member id and generation; nothing is redelivered', async () => {
  dir = await tempDir();
  t = await startTestBroker({ dir });
  const port = t.broker.address.port;
  const kafka = kafkaFor(t.broker.bootstrap, { retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 500 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: TOPIC,
    messages: Array.from({ length: 2 * PER_PARTITION }, (_, i) => ({ partition: i % 2, value: `m${i}` })),
  });
  await producer.disconnect();

  const joins: string[] = [];
  const processed: string[] = [];
  const commitFailures: string[] = [];
  let restarted = false;
  const consumer = kafka.consumer({ groupId: 'restart-group', sessionTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
  consumer.on(consumer.events.GROUP_JOIN, (e) => joins.push(e.payload.memberId));
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      processed.push(`${partition}:${message.offset}`);
      if (processed.length === 5 && !restarted) {
        // Restart while this message is being processed: its commit goes to the new broker.
        restarted = true;
        await t?.broker.close();
        t = await startTestBroker({ dir, port });
      }
      try {
        await consumer.commitOffsets([{ topic: TOPIC, partition, offset: String(Number(message.offset) + 1) }]);
      } catch (e) {
        commitFailures.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        throw e;
      }
    },
  });
  try {
    await waitFor(() => new Set(processed).size === 2 * PER_PARTITION || commitFailures.length > 0, 20_000, 'every message processed');
    expect(restarted).toBe(true);
    expect(commitFailures).toEqual([]);
    expect(joins).toHaveLength(1);
    expect(processed).toHaveLength(2 * PER_PARTITION);

    const check = kafkaFor(t.broker.bootstrap).admin();
    await check.connect();
    const [offsets] = await check.fetchOffsets({ groupId: 'restart-group', topics: [TOPIC] });
    expect(offsets?.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
      [0, String(PER_PARTITION)],
      [1, String(PER_PARTITION)],
    ]);
    const described = (await check.describeGroups(['restart-group'])).groups[0];
    expect(described?.state).toBe('Stable');
    expect(described?.members.map((m) => m.memberId)).toEqual(joins);
    await check.disconnect();
    // The one join made generation 1 of a new group; the restarted broker still knows the member in it.
    const raw = await RawClient.connect(port);
    const beat = await raw.request(API_KEYS.Heartbeat, 3, { groupId: 'restart-group', generationId: 1, memberId: joins[0] ?? '', groupInstanceId: null });
    raw.close();
    expect(beat.body.errorCode).toBe(0);
  } finally {
    await consumer.disconnect();
  }
  // The member left cleanly: the stored group is Empty after another restart, not the member brought back.
  await t.broker.close();
  t = await startTestBroker({ dir, port });
  const after = kafkaFor(t.broker.bootstrap).admin();
  await after.connect();
  expect((await after.describeGroups(['restart-group'])).groups[0]).toMatchObject({ state: 'Empty', members: [] });
  await after.disconnect();
}, 40_000);
