import { spawnSync } from 'node:child_process';
import { requireTool } from '@lakestream/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsumerMetrics } from './metrics.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';

const hasPromtool = requireTool('promtool', ['--version']);

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function record(metrics: ConsumerMetrics): void {
  metrics.eventsConsumed('f1', 1000);
  metrics.eventsConsumed('satellite', 40);
  metrics.eventsWritten('f1', 'bronze/telemetry_events', 990);
  metrics.eventsWritten('f1', 'silver/telemetry_enriched', 970);
  metrics.eventsQuarantined('f1', 'BAD_MAGIC', 10);
  metrics.eventsQuarantined('f1', 'DUPLICATE', 20);
  metrics.batchFinished('f1', 'committed', 0.42);
  metrics.batchFinished('f1', 'fenced', 0.1);
  metrics.commitFinished('silver/telemetry_enriched', 12, 0.031);
  metrics.deltaVersion('bronze/telemetry_events', 7);
  metrics.checkpointWritten('silver/telemetry_enriched', 1_000_000);
  metrics.endToEndLatency('f1', 10_000, [9_000, 9_500, 8_000.5]);
  metrics.lag('f1-telemetry', 0, 5000n, 4000n);
  metrics.lag('f1-telemetry', 1, 10n, 11n);
  metrics.fenced('f1-telemetry');
}

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Text format 0.0.4 sample lines (our label values carry no escapes). */
function parseExposition(body: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of body.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

async function scrape(url: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('ConsumerMetrics over /metrics', () => {
  it('serves our metrics and the default Node ones; promtool check metrics finds no problem', async (ctx) => {
    const metrics = new ConsumerMetrics({ now: () => 1_004_500, labels: { app_id: 'test-app' } });
    record(metrics);
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics });
    expect(server.port).toBeGreaterThan(0);
    const { status, type, body } = await scrape(`${server.url}/metrics`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);

    const p = 'lakestream_consumer_';
    const app = { app_id: 'test-app' };
    const expected: [string, Record<string, string>, number][] = [
      [`${p}events_consumed_total`, { source: 'f1' }, 1000],
      [`${p}events_consumed_total`, { source: 'satellite' }, 40],
      [`${p}events_written_total`, { source: 'f1', table: 'bronze/telemetry_events' }, 990],
      [`${p}events_written_total`, { source: 'f1', table: 'silver/telemetry_enriched' }, 970],
      [`${p}events_quarantined_total`, { source: 'f1', reason: 'BAD_MAGIC' }, 10],
      [`${p}events_quarantined_total`, { source: 'f1', reason: 'DUPLICATE' }, 20],
      [`${p}batch_duration_seconds_count`, { source: 'f1' }, 2],
      [`${p}batch_duration_seconds_bucket`, { source: 'f1', le: '0.25' }, 1],
      [`${p}batches_total`, { source: 'f1', outcome: 'committed' }, 1],
      [`${p}batches_total`, { source: 'f1', outcome: 'fenced' }, 1],
      [`${p}commit_duration_seconds_bucket`, { table: 'silver/telemetry_enriched', le: '0.025' }, 0],
      [`${p}commit_duration_seconds_bucket`, { table: 'silver/telemetry_enriched', le: '0.05' }, 1],
      [`${p}end_to_end_latency_seconds_bucket`, { source: 'f1', le: '1' }, 2],
      [`${p}end_to_end_latency_seconds_bucket`, { source: 'f1', le: '2' }, 3],
      [`${p}end_to_end_latency_seconds_sum`, { source: 'f1' }, 3.4995],
      [`${p}lag_records`, { topic: 'f1-telemetry', partition: '0' }, 1000],
      [`${p}lag_records`, { topic: 'f1-telemetry', partition: '1' }, 0],
      [`${p}delta_version`, { table: 'silver/telemetry_enriched' }, 12],
      [`${p}delta_version`, { table: 'bronze/telemetry_events' }, 7],
      [`${p}checkpoint_age_seconds`, { table: 'silver/telemetry_enriched' }, 4.5],
      [`${p}fenced_total`, { topic: 'f1-telemetry' }, 1],
    ];
    const samples = parseExposition(body);
    for (const [name, labels, value] of expected) {
      const found = samples.find((s) => s.name === name && sameLabels(s.labels, { ...labels, ...app }));
      expect(found?.value, `${name}${JSON.stringify(labels)}`).toBeCloseTo(value, 9);
    }
    for (const name of ['events_consumed_total', 'events_written_total', 'events_quarantined_total', 'batch_duration_seconds', 'commit_duration_seconds', 'end_to_end_latency_seconds', 'lag_records', 'delta_version', 'checkpoint_age_seconds', 'batches_total', 'fenced_total']) {
      const type = name.endsWith('_total') ? 'counter' : name.endsWith('_seconds') && !name.startsWith('checkpoint') ? 'histogram' : 'gauge';
      expect(body).toContain(`# TYPE ${p}${name} ${type}`);
      expect(body).toMatch(new RegExp(`^# HELP ${p}${name} \\S`, 'm'));
    }
    expect(body).toMatch(/^process_cpu_user_seconds_total\{app_id="test-app"\} /m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes\{app_id="test-app"\} /m);
    expect(body).toMatch(/^nodejs_active_handles\{type="\w+",app_id="test-app"\} /m);
    expect(body).not.toMatch(/^nodejs_active_\w+_total/m);

    if (!hasPromtool) return ctx.skip('promtool missing (apt-get install prometheus)');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8', timeout: 30_000 });
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('a revoked partition loses its lag series; no negative lag', async () => {
    const metrics = new ConsumerMetrics({ defaultMetrics: false });
    metrics.lag('sat-data', 3, 100n, 40n);
    metrics.lag('sat-data', 4, 100n, 250n);
    let body = await metrics.metrics();
    expect(body).toContain('lakestream_consumer_lag_records{topic="sat-data",partition="3"} 60');
    expect(body).toContain('lakestream_consumer_lag_records{topic="sat-data",partition="4"} 0');
    metrics.partitionRevoked('sat-data', 3);
    body = await metrics.metrics();
    expect(body).not.toContain('partition="3"');
    expect(body).not.toMatch(/^process_/m);
  });

  it('/healthz answers from the health callback; unknown paths 404; close() frees the port', async () => {
    let ok = true;
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics: new ConsumerMetrics({ defaultMetrics: false }), health: () => (ok ? { ok } : { ok, detail: 'broker unreachable' }) });
    expect(await scrape(`${server.url}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    ok = false;
    expect(await scrape(`${server.url}/healthz`)).toMatchObject({ status: 503, body: 'unhealthy: broker unreachable\n' });
    expect((await scrape(`${server.url}/nope`)).status).toBe(404);
    const { port } = server;
    await server.close();
    await server.close(); // idempotent
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    // The port is free again: a new server can take it.
    server = await startMetricsServer({ port, host: '127.0.0.1', metrics: new ConsumerMetrics({ defaultMetrics: false }) });
    expect(server.port).toBe(port);
  });

  it('a port in use is a METRICS_SERVER error', async () => {
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics: new ConsumerMetrics({ defaultMetrics: false }) });
    await expect(startMetricsServer({ port: server.port, host: '127.0.0.1', metrics: new ConsumerMetrics({ defaultMetrics: false }) })).rejects.toMatchObject({
      code: 'METRICS_SERVER',
      exitCode: 1,
      retriable: true,
      message: expect.stringContaining(`127.0.0.1:${server.port}`),
    });
  });
});
