/**
 * Two engines in one group share the partitions and write the same tables
 * concurrently (optimistic concurrency); one leaves with a batch in flight
 * and the other takes over: every record lands exactly once.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StreamEngine } from '../src/index.js';
import { copyProcessor, expectedKeys, keysOf, openTable, produce, startEnv, target, type Env } from './support.js';

let env: Env;
beforeEach(async () => {
  env = await startEnv();
});
afterEach(async () => {
  await env.cleanup();
});

const waitFor = async (check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

it('two engines split the partitions, one stops mid-stream, the other finishes: exactly once', async () => {
  await produce(env.kafka, 'events', 4, 200);
  const options = async (name: string, assigned: number[][]) => ({
    kafka: env.kafka, appId: 'app', topics: ['events'], triggerMs: 150, maxOffsetsPerTrigger: 60,
    tables: [target('a', await openTable(env.dir, 'a'))],
    consumer: { sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 },
    processor: {
      ...copyProcessor(['a']),
      async onAssigned(points: readonly { partition: number }[]) {
        assigned.push(points.map((p) => p.partition));
      },
      // Slow batches so a stop lands while one is in flight.
      async process(input: Parameters<ReturnType<typeof copyProcessor>['process']>[0]) {
        await new Promise((r) => setTimeout(r, 50));
        return copyProcessor(['a']).process(input);
      },
    },
    hooks: { onLog: (m: string) => logs.push(`${name}: ${m}`) },
  });
  const logs: string[] = [];
  const assigned1: number[][] = [];
  const assigned2: number[][] = [];
  const one = await StreamEngine.start(await options('one', assigned1));
  await waitFor(() => assigned1.length > 0, 20_000, 'engine one to be assigned');
  const two = await StreamEngine.start(await options('two', assigned2));
  await waitFor(() => assigned2.length > 0, 20_000, 'engine two to join');
  expect(assigned2[0]).toHaveLength(2); // the partitions are split 2 + 2
  await produce(env.kafka, 'events', 4, 200, 200);
  const stopped = await one.stop();
  expect(stopped.reason).toBe('stopped');
  const table = await openTable(env.dir, 'a');
  await waitFor(async () => (await keysOf(table)).length >= 1600, 40_000, 'all 1600 records in the table');
  await two.stop();
  expect(await keysOf(table)).toEqual(expectedKeys(4, 400));
}, 90_000);
