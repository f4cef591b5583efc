import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SatelliteSample } from '@lakestream/schema';
import { parseSatelliteCsv, writeSatelliteSamples } from '@lakestream/sim';
import { kcatConsume, requireTool, startMockCluster, type MockCluster } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecords, eventsByKey, runProducer, summaryValue } from './helpers.js';

const hasKcat = requireTool('kcat', ['-V']);

const SATELLITES = 12;
const SAMPLES = 40;

/** The six CSV values of each satellite's rows, in file order. */
async function csvRows(dir: string, satellites: readonly string[]): Promise<Map<string, number[][]>> {
  const rows = new Map<string, number[][]>();
  for (const satellite of satellites) {
    const file = join(dir, `${satellite}.csv`);
    const parsed = parseSatelliteCsv(await readFile(file, 'utf8'), file, satellite);
    rows.set(
      satellite,
      parsed.samples.map((r) => [r.temp_c, r.battery_charge_pct, r.altitude, r.sensor1, r.sensor2, r.sensor3]),
    );
  }
  return rows;
}

function values(samples: readonly SatelliteSample[]): number[][] {
  return samples.map((s) => [s.temp_c, s.battery_charge_pct, s.altitude, s.sensor1, s.sensor2, s.sensor3]);
}

describe.skipIf(!hasKcat)('producer --source satellite against the kcat mock cluster', () => {
  let cluster: MockCluster;
  let dir: string;
  let names: string[];
  beforeAll(async () => {
    cluster = await startMockCluster();
    dir = await mkdtemp(join(tmpdir(), 'producer-sat-'));
    await writeSatelliteSamples({ dir: join(dir, 'ok'), satellites: SATELLITES, samples: SAMPLES, seed: 5 });
    names = Array.from({ length: SATELLITES }, (_, i) => `sat${i}`);
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(['off', 'on'])('framing %s: every CSV row arrives once, keyed by its satellite, in file order, stamped when sent', async (framing) => {
    const topic = `sat-${framing}`;
    const before = BigInt(Date.now()) * 1_000_000n;
    const run = await runProducer(['--brokers', cluster.bootstrap, '--topic', topic, '--samples-dir', join(dir, 'ok'), '--no-sleep', '--framing', framing, '--frame-size', '16', '--compression', 'gzip']);
    const after = BigInt(Date.now()) * 1_000_000n;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(input exhausted)');
    expect(summaryValue(run.stdout, 'events')).toBe(SATELLITES * SAMPLES);
    expect(summaryValue(run.stdout, 'bad rows')).toBe(0);
    const messages = summaryValue(run.stdout, 'messages');
    if (framing === 'on') expect(messages).toBeLessThanOrEqual(SATELLITES * Math.ceil(SAMPLES / 16) * 2);
    else expect(messages).toBe(SATELLITES * SAMPLES);

    const decoded = decodeRecords(await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: messages }));
    expect(decoded.every((d) => d.message.source === 'satellite' && d.message.shape === (framing === 'on' ? 'frame' : 'single'))).toBe(true);
    const bySatellite = eventsByKey<SatelliteSample>(decoded, (s) => s.satellite);
    expect([...bySatellite.keys()].sort()).toEqual([...names].sort());
    const expected = await csvRows(join(dir, 'ok'), names);
    for (const name of names) {
      const samples = bySatellite.get(name) ?? [];
      expect(values(samples)).toEqual(expected.get(name));
      for (let i = 0; i < samples.length; i++) {
        const t = (samples[i] as SatelliteSample).timestamp_ns;
        expect(t >= before && t <= after).toBe(true);
        if (i > 0) expect(t > (samples[i - 1] as SatelliteSample).timestamp_ns).toBe(true);
      }
    }
  });

  it('sleeps 100-200 ms between the events of each satellite, satellites running side by side', async () => {
    const topic = 'sat-sleep';
    const sleepy = join(dir, 'sleepy');
    await writeSatelliteSamples({ dir: sleepy, satellites: 4, samples: 5, seed: 9 });
    const run = await runProducer(['--brokers', cluster.bootstrap, '--topic', topic, '--samples-dir', sleepy]);
    expect(run.code).toBe(0);
    expect(summaryValue(run.stdout, 'events')).toBe(20);
    const bySatellite = eventsByKey<SatelliteSample>(decodeRecords(await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: 20 })), (s) => s.satellite);
    const firsts: bigint[] = [];
    const lasts: bigint[] = [];
    for (const samples of bySatellite.values()) {
      expect(samples).toHaveLength(5);
      const first = (samples[0] as SatelliteSample).timestamp_ns;
      const last = (samples[4] as SatelliteSample).timestamp_ns;
      firsts.push(first);
      lasts.push(last);
      // Stamps are taken when the main thread publishes, so single gaps jitter; four sleeps of
      // 100-200 ms each still put the last event at least ~400 ms after the first.
      const spanMs = Number(last - first) / 1e6;
      expect(spanMs).toBeGreaterThanOrEqual(350);
      expect(spanMs).toBeLessThan(4 * 200 + 500);
    }
    // Concurrent, as the seed's threads: run one after another, the satellites would take the
    // sum of their spans; side by side the whole run takes about one span (plus start-up skew,
    // which a loaded CI machine stretches, hence the generous bound).
    const spans = firsts.map((first, i) => Number((lasts[i] as bigint) - first) / 1e6);
    const sumOfSpans = spans.reduce((a, b) => a + b, 0);
    const earliestFirst = firsts.reduce((a, b) => (a < b ? a : b));
    const latestLast = lasts.reduce((a, b) => (a > b ? a : b));
    const overallMs = Number(latestLast - earliestFirst) / 1e6;
    expect(overallMs, `overall ${overallMs} ms vs spans ${spans.join(', ')}`).toBeLessThan(sumOfSpans * 0.8);
  });

  describe('bad rows', () => {
    let bad: string;
    beforeAll(async () => {
      bad = join(dir, 'bad');
      await writeSatelliteSamples({ dir: bad, satellites: 3, samples: 6, seed: 1 });
      const file = join(bad, 'sat1.csv');
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines[3] = '12.5,40,not-a-number,0.1,0.2,0.3';
      await writeFile(file, lines.join('\n'));
    });

    it('reports a bad row as file:line, skips it and sends the rest', async () => {
      const topic = 'sat-bad';
      const run = await runProducer(['--brokers', cluster.bootstrap, '--topic', topic, '--samples-dir', bad, '--no-sleep']);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/warning: skipped bad row .*sat1\.csv:4: altitude/);
      expect(summaryValue(run.stdout, 'bad rows')).toBe(1);
      expect(summaryValue(run.stdout, 'events')).toBe(17);
      const bySatellite = eventsByKey<SatelliteSample>(decodeRecords(await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: 17 })), (s) => s.satellite);
      expect(bySatellite.get('sat1')).toHaveLength(5);
    });

    it('--strict makes the first bad row fatal: exit 1 naming file:line', async () => {
      const run = await runProducer(['--brokers', cluster.bootstrap, '--topic', 'sat-strict', '--samples-dir', bad, '--no-sleep', '--strict']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error: bad row .*sat1\.csv:4: altitude.*\(--strict\)/);
    });
  });

  it('a missing samples directory is exit 1 with a hint, before any broker is needed', async () => {
    const run = await runProducer(['--brokers', '127.0.0.1:1', '--samples-dir', join(dir, 'nope')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no samples directory .*nope.*sim:generate/);
  });
});
