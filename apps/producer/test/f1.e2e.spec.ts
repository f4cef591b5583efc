import type { F1Event } from '@lakestream/schema';
import { F1Simulator } from '@lakestream/sim';
import { kcatConsume, requireTool, startMockCluster, type MockCluster } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecords, eventsByKey, runProducer, spawnProducer, summaryValue } from './helpers.js';

const hasKcat = requireTool('kcat', ['-V']);

/** A fixed session start (--start-time) makes a run replay the simulator exactly. */
const START = '2026-03-08T15:00:00.000Z';
const START_NS = BigInt(Date.parse(START)) * 1_000_000n;

/** The simulator's first n events for a seed and start, grouped by car number. */
function expectedByCar(n: number, cars: number, seed: number): Map<string, F1Event[]> {
  const byCar = new Map<string, F1Event[]>();
  let i = 0;
  for (const event of new F1Simulator({ cars, seed, startTimeNs: START_NS }).events()) {
    if (i++ >= n) break;
    const key = String(event.car_number);
    byCar.set(key, [...(byCar.get(key) ?? []), event]);
  }
  return byCar;
}

describe.skipIf(!hasKcat)('producer --source f1 against the kcat mock cluster', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster();
  });
  afterAll(() => cluster?.stop());

  it.each([
    ['off', 'gzip', 1],
    ['on', 'snappy', 17],
  ])('framing %s (%s): the first N simulator events arrive keyed by car, one partition per car, in order', async (framing, compression, perMessage) => {
    const topic = `f1-${framing}`;
    const n = 1_500;
    const run = await runProducer(['--source', 'f1', '--brokers', cluster.bootstrap, '--topic', topic, '--max-events', String(n), '--no-sleep', '--cars', '6', '--seed', '7', '--start-time', START, '--framing', framing, '--frame-size', '17', '--compression', compression]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(summaryValue(run.stdout, 'events')).toBe(n);
    const messages = summaryValue(run.stdout, 'messages');
    expect(messages).toBeGreaterThanOrEqual(Math.ceil(n / perMessage));
    if (framing === 'on') expect(messages).toBeLessThan(n / 5);

    const decoded = decodeRecords(await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: messages }));
    expect(decoded).toHaveLength(messages);
    for (const d of decoded) {
      expect(d.message.source).toBe('f1');
      expect(d.message.shape).toBe(framing === 'on' ? 'frame' : 'single');
    }
    const byCar = eventsByKey<F1Event>(decoded, (e) => String(e.car_number));
    expect([...byCar.keys()].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(byCar).toEqual(expectedByCar(n, 6, 7));
  });

  it('SIGTERM mid-run flushes what was read, prints the summary and exits 0', async () => {
    const topic = 'f1-sigterm';
    const producer = spawnProducer(['--source', 'f1', '--brokers', cluster.bootstrap, '--topic', topic, '--cars', '4', '--seed', '3', '--start-time', START, '--linger-ms', '200']);
    await producer.waitForStderr('publishing');
    await new Promise((r) => setTimeout(r, 1_200));
    producer.child.kill('SIGTERM');
    const run = await producer.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('SIGTERM: stopping');
    expect(run.stdout).toMatch(/summary: f1 -> f1-sigterm \(stopped by SIGTERM\)/);
    const events = summaryValue(run.stdout, 'events');
    expect(events).toBeGreaterThan(100);
    expect(summaryValue(run.stdout, 'errors')).toBe(0);
    expect(run.stdout).toMatch(/rate\s+\d+ events\/s/);
    // Every event counted was delivered (the linger of 200 ms means the last batches were still open).
    const decoded = decodeRecords(await kcatConsume({ bootstrap: cluster.directBootstrap, topic, untilEof: true }));
    expect(decoded).toHaveLength(events);
    expect(eventsByKey<F1Event>(decoded, (e) => String(e.car_number))).toEqual(expectedByCar(events, 4, 3));
  });
});
