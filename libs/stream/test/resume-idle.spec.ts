/**
 * Going idle (`idleTimeoutMs`) on a restart: the engine goes idle only once
 * every record produced so far is committed — records produced after it
 * started, and a backlog waiting while a slow state rebuild (onAssigned) ran
 * longer than the idle timeout (the main job's second run on larger tables
 * used to exit at once, having consumed nothing).
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

it('resumes at the end of what it holds and takes what is produced after it started, before going idle', async () => {
  await produce(env.kafka, 'events', 3, 200);
  const a = await openTable(env.dir, 'a');
  const options = { kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', a)], processor: copyProcessor(['a']), triggerMs: 200, consumer: { sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } };
  const first = await StreamEngine.start({ ...options, once: true });
  expect((await first.done).records).toBe(600);

  // A generous idle timeout: the records below are produced 1.5 s after the start, even on a loaded machine.
  const second = await StreamEngine.start({ ...options, idleTimeoutMs: 8_000 });
  await new Promise((r) => setTimeout(r, 1_500));
  await produce(env.kafka, 'events', 3, 100, 200);
  const summary = await second.done;
  expect(summary.reason).toBe('idle');
  expect(summary.records).toBe(300);
  expect(await keysOf(a)).toEqual(expectedKeys(3, 300));
}, 60_000);

it('a state rebuild longer than the idle timeout, with a backlog waiting: the backlog is consumed before going idle', async () => {
  await produce(env.kafka, 'events', 2, 100);
  const a = await openTable(env.dir, 'a');
  const options = { kafka: env.kafka, appId: 'app', topics: ['events'], tables: [target('a', a)], processor: copyProcessor(['a']), triggerMs: 200, consumer: { sessionTimeout: 6000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } };
  expect((await (await StreamEngine.start({ ...options, once: true })).done).records).toBe(200);
  await produce(env.kafka, 'events', 2, 150, 100);

  const slow = { ...options.processor, onAssigned: async () => new Promise<void>((r) => setTimeout(r, 3_000)) };
  const engine = await StreamEngine.start({ ...options, processor: slow, idleTimeoutMs: 2_000 });
  const summary = await engine.done;
  expect(summary.reason).toBe('idle');
  expect(summary.records).toBe(300);
  expect(await keysOf(a)).toEqual(expectedKeys(2, 250));
}, 60_000);
