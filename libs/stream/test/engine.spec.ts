/**
 * The engine on the embedded broker over real sockets, writing real Delta
 * tables: once mode reads everything available exactly once; a crash between
 * two tables' commits is replayed without duplicates; a zombie is fenced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamEngine, txnAppId, type BatchReport, type ResumePoint } from '../src/index.js';
import { copyProcessor, expectedKeys, keysOf, openTable, produce, startEnv, target, type Env } from './support.js';

let env: Env;
beforeEach(async () => {
  env = await startEnv();
});
afterEach(async () => {
  await env.cleanup();
});

const FAST = { triggerMs: 200, consumer: { sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } } as const;

describe('StreamEngine', () => {
  it('once mode commits every available record exactly once, with txns at each partition’s last offset', async () => {
    await produce(env.kafka, 'events', 3, 400);
    const a = await openTable(env.dir, 'a');
    const b = await openTable(env.dir, 'b');
    const reports: BatchReport[] = [];
    const resumed: ResumePoint[] = [];
    const engine = await StreamEngine.start({
      kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', a), target('b', b)],
      processor: copyProcessor(['a', 'b']), once: true, maxOffsetsPerTrigger: 250, ...FAST,
      hooks: { onBatch: (r) => reports.push(r), onResume: (p) => resumed.push(...p) },
    });
    const summary = await engine.done;
    expect(summary.reason).toBe('caught-up');
    expect(summary.records).toBe(1200);
    expect(reports.every((r) => r.records <= 250)).toBe(true);
    expect(resumed.map((p) => p.offset)).toEqual([0, 0, 0]);
    expect(await keysOf(a)).toEqual(expectedKeys(3, 400));
    expect(await keysOf(b)).toEqual(expectedKeys(3, 400));
    for (let p = 0; p < 3; p++) expect(a.txnVersion(txnAppId('app', 'events', p))).toBe(399);

    // A second run resumes at the end and writes nothing.
    const again = await StreamEngine.start({ kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', a), target('b', b)], processor: copyProcessor(['a', 'b']), once: true, ...FAST });
    expect((await again.done).records).toBe(0);
    expect(await keysOf(a)).toHaveLength(1200);
  }, 60_000);

  it('heartbeats while a partition is prepared: a state rebuild longer than the session timeout keeps the member in the group', async () => {
    await produce(env.kafka, 'events', 2, 300);
    const a = await openTable(env.dir, 'a');
    let assigned = 0;
    let revoked = 0;
    const base = copyProcessor(['a']);
    // Count the group joins of the engine's consumer: an evicted member joins again.
    let joins = 0;
    const kafka = new Proxy(env.kafka, {
      get(target: typeof env.kafka, key: string | symbol): unknown {
        if (key === 'consumer') {
          return (config: Parameters<typeof env.kafka.consumer>[0]) => {
            const consumer = target.consumer(config);
            consumer.on(consumer.events.GROUP_JOIN, () => joins++);
            return consumer;
          };
        }
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const engine = await StreamEngine.start({
      kafka, appId: 'slow-rebuild', topics: ['events'], tables: [target('a', a)], once: true, ...FAST,
      processor: {
        ...base,
        // Longer than the 6 s session timeout: without heartbeats the coordinator evicts the member and it joins again.
        onAssigned: async () => {
          assigned++;
          await new Promise((r) => setTimeout(r, 9_000));
        },
        onRevoked: () => {
          revoked++;
        },
      },
    });
    const summary = await engine.done;
    expect(summary.reason).toBe('caught-up');
    expect(summary.records).toBe(600);
    expect(await keysOf(a)).toEqual(expectedKeys(2, 300));
    expect({ joins, assigned, revoked }).toEqual({ joins: 1, assigned: 1, revoked: 0 });
  }, 60_000);

  it('a crash between two tables’ commits is replayed with other batch boundaries and adds nothing twice', async () => {
    await produce(env.kafka, 'events', 2, 300);
    const a = await openTable(env.dir, 'a');
    const b = await openTable(env.dir, 'b');
    // Table b's commit fails at once on the third batch while a's commit of that batch is slow: a holds that batch,
    // b does not; the engine stops only after a's commit has settled (none is left running behind its back).
    let commits = 0;
    const failing = Object.create(b) as typeof b;
    failing.append = async (...args: Parameters<typeof b.append>) => {
      if (++commits === 3) throw new Error('disk full (injected)');
      return b.append(...args);
    };
    let aCommits = 0;
    const slow = Object.create(a) as typeof a;
    slow.append = async (...args: Parameters<typeof a.append>) => {
      if (++aCommits === 3) await new Promise((r) => setTimeout(r, 1_500));
      return a.append(...args);
    };
    const first = await StreamEngine.start({ kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', slow), target('b', failing)], processor: copyProcessor(['a', 'b']), once: true, maxOffsetsPerTrigger: 100, ...FAST });
    const failed = await first.done;
    expect(failed.reason).toBe('failed');
    expect(aCommits).toBe(3);
    const [inA, inB] = [(await keysOf(a)).length, (await keysOf(b)).length];
    expect(inA).toBeGreaterThan(inB);

    // Restart with other boundaries: each table takes only what it lacks.
    const needed: Record<string, number> = { a: 0, b: 0 };
    const second = await StreamEngine.start({
      kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', a), target('b', b)], once: true, maxOffsetsPerTrigger: 77, ...FAST,
      processor: copyProcessor(['a', 'b'], { onBatch: (input) => { for (const n of ['a', 'b']) needed[n] = (needed[n] ?? 0) + input.records.filter((r) => input.needs(n, r)).length; } }),
    });
    expect((await second.done).reason).toBe('caught-up');
    expect(await keysOf(a)).toEqual(expectedKeys(2, 300));
    expect(await keysOf(b)).toEqual(expectedKeys(2, 300));
    expect(needed.a).toBeLessThan(needed.b ?? 0);
  }, 60_000);

  it('fences a zombie: another writer moved the txn, the batch is refused and re-read, nothing is duplicated', async () => {
    await produce(env.kafka, 'events', 1, 200);
    const a = await openTable(env.dir, 'a');
    // Before the engine's first commit, another writer (the new owner after a rebalance) commits offsets 0..49.
    let interfered = false;
    const fences: string[] = [];
    const engine = await StreamEngine.start({
      kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', a)], once: true, maxOffsetsPerTrigger: 100, ...FAST,
      hooks: { onFenced: (f) => fences.push(f.table) },
      processor: {
        async process(input) {
          if (!interfered) {
            interfered = true;
            const other = await openTable(env.dir, 'a');
            const { rowsFor } = await import('./support.js');
            const firstFifty = { ...input, records: input.records.filter((r) => r.offset < 50n), needs: () => true };
            await other.append(rowsFor(firstFifty, 'a'), { txn: [{ appId: txnAppId('app', 'events', 0), version: 49 }] });
          }
          return copyProcessor(['a']).process(input);
        },
      },
    });
    const summary = await engine.done;
    expect(summary.fences).toBe(1);
    expect(fences).toEqual(['a']);
    expect(await keysOf(a)).toEqual(expectedKeys(1, 200));
  }, 60_000);

  // A zombie whose table handle moved on (an unrelated commit of its own refreshed it) but whose offsets did not:
  // the other writer's rows 0..49 of partition 1 are already in the table when the zombie commits its stale 0..99.
  const zombieRun = async (fencing: boolean): Promise<{ keys: string[]; fences: number }> => {
    const topic = `zombie-${fencing}`;
    await produce(env.kafka, topic, 2, 100);
    const a = await openTable(env.dir, `z-${fencing}`);
    let interfered = false;
    const engine = await StreamEngine.start({
      kafka: env.kafka, appId: 'app', topics: [topic], tables: [target('a', a)], once: true, maxOffsetsPerTrigger: 1000, fencing, ...FAST,
      processor: {
        async process(input) {
          if (!interfered && input.records.some((r) => r.partition === 1)) {
            interfered = true;
            const other = await openTable(env.dir, `z-${fencing}`);
            const { rowsFor } = await import('./support.js');
            const owned = { ...input, records: input.records.filter((r) => r.partition === 1 && r.offset < 50n), needs: () => true };
            await other.append(rowsFor(owned, 'a'), { txn: [{ appId: txnAppId('app', topic, 1), version: 49 }] });
            await a.refresh();
          }
          return copyProcessor(['a']).process(input);
        },
      },
    });
    const summary = await engine.done;
    return { keys: await keysOf(a), fences: summary.fences };
  };

  it('without fencing that zombie duplicates rows; with fencing it is refused and nothing lands twice', async () => {
    const fenced = await zombieRun(true);
    expect(fenced.fences).toBe(1);
    expect(fenced.keys).toEqual(expectedKeys(2, 100));
    const unfenced = await zombieRun(false);
    expect(unfenced.fences).toBe(0);
    expect(unfenced.keys.length).toBe(250); // partition 1's offsets 0..49 twice: what fencing prevents
    expect(new Set(unfenced.keys).size).toBe(200);
  }, 60_000);
});
