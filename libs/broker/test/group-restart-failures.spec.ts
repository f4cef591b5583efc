/**
 * Consumer groups across broker failures (issue 8 item 16): a restart while
 * members of two groups die, groups that emptied not coming back after a
 * restart, and kill -9 of the broker (a child process) while groups rebalance
 * and commit. Members that must die without leaving run in child processes
 * (fixtures/group-member.ts), as does a broker to be killed (fixtures/review-broker.ts).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { API_KEYS } from '@lakestream/protocol';
import { Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, tempDir, waitFor, type TestBroker } from './support/broker.js';
import { RawClient } from './support/raw-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type MemberReport = { type: 'assigned'; partitions: number[] } | { type: 'processed' | 'committed'; partition: number; offset: number };

/** A kafkajs group member in a child process (fixtures/group-member.ts), killed with SIGKILL: it never leaves. */
function forkMember(bootstrap: string, groupId: string, topic: string, sessionTimeoutMs: number): { child: ChildProcess; reports: MemberReport[] } {
  const child = fork(fileURLToPath(new URL('./fixtures/group-member.ts', import.meta.url)), [bootstrap, groupId, topic, '0', String(sessionTimeoutMs)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reports: MemberReport[] = [];
  child.on('message', (m) => reports.push(m as MemberReport));
  return { child, reports };
}

interface BrokerChild {
  readonly child: ChildProcess;
  readonly port: number;
  stderr(): string;
}

/** The broker from source in its own process (fixtures/review-broker.ts), so that it can be killed with SIGKILL. */
function startBrokerChild(dir: string, port = 0): Promise<BrokerChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/review-broker.ts', import.meta.url)), dir, String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker child did not start: ${err}`));
    }, 20_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^PORT (\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stderr: () => err });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`broker child exited (${code ?? signal}) before listening: ${err}`));
    });
  });
}

const enc = (s: string) => new TextEncoder().encode(s);

/** ConsumerProtocol subscription v0 (version, topics, user data), which kafkajs's assigner decodes for every member. */
function subscription(topic: string, userData: string): Uint8Array {
  const t = Buffer.from(topic);
  const u = Buffer.from(userData);
  const b = Buffer.alloc(2 + 4 + 2 + t.length + 4 + u.length);
  let at = b.writeInt16BE(0, 0);
  at = b.writeInt32BE(1, at);
  at = b.writeInt16BE(t.length, at);
  at += t.copy(b, at);
  at = b.writeInt32BE(u.length, at);
  u.copy(b, at);
  return b;
}

describe('#16 restart with two groups of two members, one member of each dying meanwhile', () => {
  const children: ChildProcess[] = [];
  let dir = '';
  let g: TestBroker | undefined;
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await g?.broker.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'dead members (a follower in g1, the leader in g2) expire after their session timeout, not the rebalance timeout; survivors keep their ids; a member joining during the outage gets its share',
    { timeout: 45_000 },
    async () => {
      const topic = 'restart-groups';
      const session = 3000;
      dir = await tempDir();
      g = await startTestBroker({ dir });
      const port = g.broker.address.port;
      const bootstrap = g.broker.bootstrap;
      const kafka = kafkaFor(bootstrap, { retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });

      /** An in-process kafkajs member; a rebalance timeout far above the session timeout, so waiting out the former would show. */
      const member = (groupId: string) => {
        const state = { joins: [] as string[], partitions: [] as number[], received: [] as string[], crashes: 0 };
        const consumer = kafka.consumer({ groupId, sessionTimeout: session, rebalanceTimeout: 20_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
        consumer.on(consumer.events.GROUP_JOIN, (e) => {
          state.joins.push(e.payload.memberId);
          state.partitions = e.payload.memberAssignment[topic] ?? [];
        });
        // kafkajs may crash on the outage itself (NoBrokerAvailable): it then leaves and rejoins as a new member, by its own choice.
        consumer.on(consumer.events.CRASH, () => void (state.crashes += 1));
        const start = async () => {
          await consumer.connect();
          await consumer.subscribe({ topic, fromBeginning: true });
          await consumer.run({ eachMessage: async ({ message }) => void state.received.push(String(message.value)) });
        };
        return { state, consumer, start };
      };
      const childShare = (reports: MemberReport[]) => [...reports].reverse().find((r) => r.type === 'assigned')?.partitions.length;

      // g1: the in-process member joins first and leads; g2: the child joins first and leads.
      const s1 = member('restart-g1');
      const s2 = member('restart-g2');
      const newcomer = member('restart-g1');
      await s1.start();
      await waitFor(() => s1.state.partitions.length === 4, 10_000, 'g1 leader');
      const d1 = forkMember(bootstrap, 'restart-g1', topic, session);
      const d2 = forkMember(bootstrap, 'restart-g2', topic, session);
      children.push(d1.child, d2.child);
      await waitFor(() => childShare(d2.reports) === 4, 15_000, 'g2 leader');
      await s2.start();
      try {
        await waitFor(
          () => s1.state.partitions.length === 2 && s2.state.partitions.length === 2 && childShare(d1.reports) === 2 && childShare(d2.reports) === 2,
          20_000,
          'a 2 + 2 split in both groups',
        );
        const survivorIds = [s1.state.joins.at(-1), s2.state.joins.at(-1)];

        // The broker goes down; one member of each group dies and a new one starts joining g1; the broker comes back on the same port.
        await g.broker.close();
        for (const d of [d1, d2]) d.child.kill('SIGKILL');
        await Promise.all([d1, d2].map((d) => (d.child.exitCode === null && d.child.signalCode === null ? new Promise((r) => d.child.once('exit', r)) : undefined)));
        const joining = newcomer.start();
        g = await startTestBroker({ dir, port });
        const restartedAt = Date.now();
        await joining;

        await waitFor(
          () => s2.state.partitions.length === 4 && s1.state.partitions.length === 2 && newcomer.state.partitions.length === 2,
          20_000,
          'g2 survivor to own all four partitions, g1 split between survivor and newcomer',
        );
        const takeover = Date.now() - restartedAt;
        expect(takeover).toBeGreaterThanOrEqual(session - 500); // the dead members were kept until then
        expect(takeover).toBeLessThan(session + 8_000);
        // The survivors carried on as the same members (no UNKNOWN_MEMBER_ID after the restart), unless kafkajs itself restarted.
        for (const [i, s] of [s1, s2].entries()) if (s.state.crashes === 0) expect(s.state.joins.at(-1)).toBe(survivorIds[i]);

        const check = kafkaFor(g.broker.bootstrap).admin();
        await check.connect();
        const described = await check.describeGroups(['restart-g1', 'restart-g2']);
        expect(described.groups.map((d) => [d.state, d.members.map((m) => m.memberId).sort()])).toEqual([
          ['Stable', [s1.state.joins.at(-1), newcomer.state.joins.at(-1)].sort()],
          ['Stable', [s2.state.joins.at(-1)]],
        ]);
        await check.disconnect();

        const producer = kafkaFor(g.broker.bootstrap).producer({ createPartitioner: Partitioners.DefaultPartitioner });
        await producer.connect();
        await producer.send({ topic, messages: Array.from({ length: 12 }, (_, i) => ({ partition: i % 4, value: `after-${i}` })) });
        await producer.disconnect();
        const after = (...states: { received: string[] }[]) => new Set(states.flatMap((st) => st.received.filter((v) => v.startsWith('after-')))).size;
        await waitFor(() => after(s1.state, newcomer.state) === 12 && after(s2.state) === 12, 10_000, 'each group to read what came after');
      } finally {
        await admin.disconnect();
        for (const m of [s1, s2, newcomer]) await m.consumer.disconnect();
      }
    },
  );
});

describe('#16 groups that emptied', () => {
  it('a group without committed offsets that emptied is not brought back by a restart (every group id ever used piled up in the offsets file and ListGroups)', async () => {
    const dir = await tempDir();
    let b = await startTestBroker({ dir });
    try {
      const c = await RawClient.connect(b.broker.address.port);
      const cycle = async (groupId: string, commit: boolean) => {
        const protocols = [{ name: 'range', metadata: enc('sub') }];
        const join = await c.request(API_KEYS.JoinGroup, 3, { groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 1000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols });
        const { memberId, generationId } = join.body;
        await c.request(API_KEYS.SyncGroup, 2, { groupId, generationId, memberId, groupInstanceId: null, assignments: [{ memberId, assignment: enc('a') }] });
        if (commit) {
          const r = await c.request(API_KEYS.OffsetCommit, 2, {
            groupId,
            generationId,
            memberId,
            groupInstanceId: null,
            retentionTimeMs: -1n,
            topics: [{ name: 'emptied', partitions: [{ partitionIndex: 0, committedOffset: 0n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] }],
          });
          expect(r.body.topics[0]?.partitions[0]?.errorCode).toBe(0);
        }
        await c.request(API_KEYS.LeaveGroup, 1, { groupId, members: [{ memberId, groupInstanceId: null }] });
      };
      const admin0 = kafkaFor(b.broker.bootstrap).admin();
      await admin0.connect();
      await admin0.createTopics({ topics: [{ topic: 'emptied', numPartitions: 1 }] });
      await admin0.disconnect();
      for (let i = 0; i < 20; i++) await cycle(`ephemeral-${i}`, false);
      await cycle('kept', true);
      c.close();
      await sleep(50); // the empty-group records are written after LeaveGroup answers
      await b.broker.close();
      b = await startTestBroker({ dir, port: 0 });
      const admin = kafkaFor(b.broker.bootstrap).admin();
      await admin.connect();
      const { groups } = await admin.listGroups();
      await admin.disconnect();
      // As Kafka: an empty group with no offsets is Dead and forgotten; one with offsets stays (Empty).
      expect(groups.map((x) => x.groupId)).toEqual(['kept']);
    } finally {
      await b.broker.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('#16 kill -9 of the broker while groups rebalance and commit', () => {
  const brokers: BrokerChild[] = [];
  let dir = '';
  afterAll(async () => {
    for (const b of brokers) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the restarted broker loads the offsets file, keeps every acknowledged commit, and the groups work with kafkajs', { timeout: 45_000 }, async () => {
    const topic = 'killed';
    dir = await tempDir();
    const first = await startBrokerChild(dir);
    brokers.push(first);
    const bootstrap1 = `127.0.0.1:${first.port}`;
    const admin = kafkaFor(bootstrap1).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafkaFor(bootstrap1).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => ({ partition: 0, value: `m${i}` })) });
    await producer.disconnect();

    // Churn as kafkajs members would (its protocol, its subscription format): join, sync (stores the group), commit, sometimes leave (stores it empty), over and over in four groups.
    const groupIds = ['kill-a', 'kill-b', 'kill-c', 'kill-d'];
    const acked = new Map<string, number>();
    let running = true;
    const churn = groupIds.map(async (groupId) => {
      const c = await RawClient.connect(first.port);
      try {
        for (let n = 1; running; n++) {
          const join = await c.request(API_KEYS.JoinGroup, 3, {
            groupId,
            sessionTimeoutMs: 1000,
            rebalanceTimeoutMs: 1000,
            memberId: '',
            groupInstanceId: null,
            protocolType: 'consumer',
            protocols: [{ name: 'RoundRobinAssigner', metadata: subscription(topic, `n=${n}`) }],
          });
          if (join.body.errorCode !== 0) continue;
          const { memberId, generationId } = join.body;
          const sync = await c.request(API_KEYS.SyncGroup, 2, { groupId, generationId, memberId, groupInstanceId: null, assignments: [{ memberId, assignment: enc(`as-${n}`) }] });
          if (sync.body.errorCode !== 0) continue;
          const offset = Math.min(n, 200);
          const commit = await c.request(API_KEYS.OffsetCommit, 2, {
            groupId,
            generationId,
            memberId,
            groupInstanceId: null,
            retentionTimeMs: -1n,
            topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: BigInt(offset), committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: `n=${n}` }] }],
          });
          if (commit.body.topics[0]?.partitions[0]?.errorCode === 0) acked.set(groupId, offset);
          if (n % 2 === 0) await c.request(API_KEYS.LeaveGroup, 1, { groupId, members: [{ memberId, groupInstanceId: null }] });
        }
      } catch {
        // The broker was killed under this client.
      } finally {
        c.close();
      }
    });
    // One group mid-rebalance at the kill: a stable member, and a second one's JoinGroup waiting for it to rejoin.
    const stable = await RawClient.connect(first.port);
    const joining = await RawClient.connect(first.port);
    const protocols = [{ name: 'RoundRobinAssigner', metadata: subscription(topic, '') }];
    const a = await stable.request(API_KEYS.JoinGroup, 3, { groupId: 'kill-rebalancing', sessionTimeoutMs: 1000, rebalanceTimeoutMs: 1000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols });
    const { memberId, generationId } = a.body;
    await stable.request(API_KEYS.SyncGroup, 2, { groupId: 'kill-rebalancing', generationId, memberId, groupInstanceId: null, assignments: [{ memberId, assignment: enc('all') }] });
    joining.send(API_KEYS.JoinGroup, 3, { groupId: 'kill-rebalancing', sessionTimeoutMs: 1000, rebalanceTimeoutMs: 1000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols });

    await waitFor(() => groupIds.every((id) => (acked.get(id) ?? 0) >= 5), 15_000, 'some churn');
    await sleep(Math.random() * 100);
    first.child.kill('SIGKILL');
    running = false;
    await Promise.all(churn);
    stable.close();
    joining.close();
    const killedAcks = new Map(acked);

    const second = await startBrokerChild(dir);
    brokers.push(second);
    const started = second.stderr().split('\n').filter((l) => l.includes('"broker started"'));
    expect(started).toHaveLength(1);
    expect(second.stderr()).not.toMatch(/CORRUPT|"level":"error"/);

    const kafka = kafkaFor(`127.0.0.1:${second.port}`);
    const check = kafka.admin();
    await check.connect();
    for (const groupId of groupIds) {
      const [offsets] = await check.fetchOffsets({ groupId, topics: [topic] });
      expect(Number(offsets?.partitions[0]?.offset), groupId).toBeGreaterThanOrEqual(killedAcks.get(groupId) ?? 0);
    }
    await check.disconnect();

    // Every group, the one that was rebalancing included, takes a kafkajs member and reads on from its committed offset.
    for (const groupId of [...groupIds, 'kill-rebalancing']) {
      const admin2 = kafka.admin();
      await admin2.connect();
      const [committed] = await admin2.fetchOffsets({ groupId, topics: [topic] });
      await admin2.disconnect();
      const from = Math.max(0, Number(committed?.partitions[0]?.offset ?? -1));
      const consumer = kafka.consumer({ groupId, sessionTimeout: 3000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
      const seen: number[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(Number(message.offset)) });
      try {
        await waitFor(() => seen.length >= 200 - from, 15_000, `${groupId} to read from ${from}`);
        expect(seen[0], groupId).toBe(from);
      } finally {
        await consumer.disconnect();
      }
    }
  });
});
