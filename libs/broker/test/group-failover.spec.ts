/**
 * Two kafkajs consumers in one group split 6 partitions; one (a child
 * process) is killed with SIGKILL — no LeaveGroup — and the other takes over
 * its partitions once the coordinator's session timeout (6 s) evicts it,
 * resuming exactly at the dead member's committed offsets: nothing lost,
 * nothing committed read again.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, waitFor, type TestBroker } from './support/broker.js';

type Report = { type: 'assigned'; partitions: number[] } | { type: 'processed'; partition: number; offset: number } | { type: 'committed'; partition: number; offset: number };

const TOPIC = 'failover';
const PER_PARTITION = 150;
let t: TestBroker;
let child: ChildProcess | undefined;
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await t.cleanup();
});

it('hands a killed member’s partitions to the survivor after the session timeout, from its committed offsets', async () => {
  const kafka = kafkaFor(t.broker.bootstrap);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6 }] });
  await admin.disconnect();

  // Survivor, in this process.
  const received = new Map<number, number[]>();
  let survivorPartitions: number[] = [];
  const survivor = kafka.consumer({ groupId: 'failover-group', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 500 });
  survivor.on(survivor.events.GROUP_JOIN, (e) => {
    survivorPartitions = e.payload.memberAssignment[TOPIC] ?? [];
  });
  await survivor.connect();
  await survivor.subscribe({ topic: TOPIC, fromBeginning: true });
  await survivor.run({
    eachMessage: async ({ partition, message }) => {
      received.set(partition, [...(received.get(partition) ?? []), Number(message.offset)]);
    },
  });
  await waitFor(() => survivorPartitions.length === 6, 20_000, 'the survivor to own all partitions alone');

  // The doomed member, in a child process: slow, committing each message.
  const reports: Report[] = [];
  child = fork(fileURLToPath(new URL('./fixtures/group-member.ts', import.meta.url)), [t.broker.bootstrap, 'failover-group', TOPIC, '15'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m) => reports.push(m as Report));
  const childPartitions = (): number[] => [...reports].reverse().find((r): r is Extract<Report, { type: 'assigned' }> => r.type === 'assigned')?.partitions ?? [];
  await waitFor(() => childPartitions().length === 3 && survivorPartitions.length === 3, 30_000, 'a 3 + 3 split');
  const doomed = childPartitions();

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let p = 0; p < 6; p++) {
    await producer.send({ topic: TOPIC, messages: Array.from({ length: PER_PARTITION }, (_, i) => ({ partition: p, value: `p${p}-${i}` })) });
  }
  await producer.disconnect();

  await waitFor(() => reports.filter((r) => r.type === 'committed').length >= 30, 30_000, 'the child to commit some work');
  child.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((r) => child?.once('exit', r));
  expect(reports.filter((r) => r.type === 'committed').length).toBeLessThan(3 * PER_PARTITION); // killed mid-way

  await waitFor(() => survivorPartitions.length === 6, 30_000, 'the survivor to take over');
  const takeoverMs = Date.now() - killedAt;
  await waitFor(() => [...received.values()].reduce((n, l) => n + l.length, 0) >= 6 * PER_PARTITION - reports.filter((r) => r.type === 'processed').length, 30_000, 'the rest to be consumed');
  await survivor.disconnect();

  // Evicted by the session timeout (6 s), not by a LeaveGroup: the takeover cannot come much sooner.
  expect(takeoverMs).toBeGreaterThan(4000);
  for (let p = 0; p < 6; p++) {
    const byChild = reports.filter((r): r is Extract<Report, { type: 'processed' }> => r.type === 'processed' && r.partition === p).map((r) => r.offset);
    const committed = Math.max(0, ...reports.filter((r): r is Extract<Report, { type: 'committed' }> => r.type === 'committed' && r.partition === p).map((r) => r.offset));
    const bySurvivor = received.get(p) ?? [];
    if (doomed.includes(p)) {
      // Nothing lost, and the survivor started at (or, if the last commit's report was lost with the process, just after) the child's committed offset.
      expect(new Set([...byChild, ...bySurvivor])).toEqual(new Set(Array.from({ length: PER_PARTITION }, (_, i) => i)));
      expect(Math.min(...bySurvivor)).toBeGreaterThanOrEqual(committed);
      expect(Math.min(...bySurvivor)).toBeLessThanOrEqual(Math.max(-1, ...byChild) + 1);
    } else {
      expect(byChild).toEqual([]);
      expect(bySurvivor).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => i));
    }
  }
});
