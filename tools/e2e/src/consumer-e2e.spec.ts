/**
 * The consumer end to end, as separate processes on real sockets: the
 * producer app fills the topics (with injected faults, framed and one event
 * per message), the consumer app runs `--once`, and independent readers check
 * the result — DuckDB over the Delta tables (active files from the log), the
 * tables' txn actions, kcat over the dead-letter topic — against the
 * producer's `--summary-json` expectations. Also: a second `--once` adds
 * nothing, `/metrics` of a running consumer passes `promtool check metrics`,
 * `--help` exits 0 and a bad flag 2.
 *
 * Any Kafka: KAFKA_BROKERS=host:port runs this file against that cluster (see tools/e2e/README.md).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '@lakestream/testing';
import {
  readEnriched, silverF1Keys,
  addCounts, consumerArgs, lastOffsets, readDeadLetters, readProducerSummary, readSourceTables, tablePaths, topicOf, total, txnMismatches,
  uniqueTopics, type ConsumerSource, type ConsumerTopics, type ProducerSummary, satelliteSamples } from './support/consumer-fixtures.js';
import { CONSUMER_MAIN, runConsumerOnce, runProducer, spawnConsumer, startKafka, tempDir, uniqueName, type KafkaUnderTest } from './support/processes.js';

const hasKcat = requireTool('kcat', ['-V']);
const hasPromtool = requireTool('promtool', ['--version']);

const nonZero = (m: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(m).filter(([, v]) => v > 0));

describe.skipIf(!hasKcat)('consumer end to end (--once, DuckDB over the Delta tables)', () => {
  let kafka: KafkaUnderTest;
  let work: { dir: string; cleanup: () => Promise<void> };
  /** The topics of the first scenario, reused by the metrics test. */
  let first: ConsumerTopics | undefined;

  beforeAll(async () => {
    kafka = await startKafka({ args: ['--partitions', '3'] });
    work = await tempDir('consumer-e2e');
  });
  afterAll(async () => {
    await kafka?.stop();
    await work?.cleanup();
  });

  /** Produces both sources into fresh topics; resolves with their summaries. */
  async function produce(topics: ConsumerTopics, framed: ConsumerSource, events: number): Promise<Record<ConsumerSource, ProducerSummary>> {
    const f1Json = join(work.dir, `${topics.f1}.json`);
    const satJson = join(work.dir, `${topics.sat}.json`);
    const framing = (s: ConsumerSource) => (s === framed ? ['--framing', 'on', '--frame-size', '20'] : ['--framing', 'off']);
    await Promise.all([
      // 5 cars as fast as possible: ~550 events per simulated second, so event times stay within the 60 s freshness lead.
      runProducer(kafka.bootstrap, ['--source', 'f1', '--cars', '5', '--max-events', String(events), '--no-sleep', '--inject-faults', '0.05', '--seed', '7',
        '--topic', topics.f1, '--sessions-topic', topics.sessions, '--summary-json', f1Json, ...framing('f1')]),
      runProducer(kafka.bootstrap, ['--source', 'satellite', '--samples-dir', await satelliteSamples(), '--max-events', String(events), '--no-sleep', '--inject-faults', '0.05', '--seed', '7',
        '--topic', topics.sat, '--summary-json', satJson, ...framing('sat')]),
    ]);
    return { f1: await readProducerSummary(f1Json), sat: await readProducerSummary(satJson) };
  }

  async function scenario(framed: ConsumerSource, events: number): Promise<ConsumerTopics> {
    const topics = uniqueTopics(`e2e-${framed}-framed`);
    const group = uniqueName('e2e');
    const tables = join(work.dir, group);
    const expected = await produce(topics, framed, events);
    for (const s of ['f1', 'sat'] as const) {
      expect(expected[s].failedMessages).toBe(0);
      expect(total(expected[s].expected.quarantineByReason)).toBeGreaterThan(0); // faults were injected
    }

    const run = await runConsumerOnce(kafka.bootstrap, consumerArgs({ group, tables, topics }));
    expect(run.stdout()).toMatch(/--once: caught up/);
    expect(run.stdout()).not.toMatch(/OFF BY/);

    const deadLetters = await readDeadLetters(kafka.bootstrap, topics.dlq);
    const quarantined: string[] = [];
    for (const source of ['f1', 'sat'] as const) {
      const want = expected[source].expected;
      const got = await readSourceTables(tables, source);
      const context = `${source} (${framed} framed)\n${run.describe()}`;
      expect(got.silver, context).toBe(want.silver);
      expect(got.silverDuplicateKeys, context).toBe(0);
      expect(got.bronze, context).toBe(want.bronze);
      expect(got.quarantine, context).toBe(want.quarantine);
      expect(nonZero(got.quarantineByReason), context).toEqual(nonZero(want.quarantineByReason));
      expect(got.validationRows, context).toBeGreaterThan(0);
      quarantined.push(...got.quarantineCoordinates);

      // Every table holds, per partition, the txn of the last offset it covered: the topic's last offset.
      const topic = topicOf(topics, source);
      const last = await lastOffsets(kafka.bootstrap, topic);
      expect(last.size).toBeGreaterThan(0);
      const p = tablePaths(tables, source);
      expect(await txnMismatches([p.bronze, p.silver, p.quarantine, p.validation], group, topic, last), context).toEqual([]);
    }
    // One DLQ message per quarantine row, with its coordinates and reason in the headers.
    expect(deadLetters.map((d) => d.coordinate).sort()).toEqual(quarantined.sort());
    expect(deadLetters.every((d) => d.reason !== undefined && d.reason.length > 0 && d.timestamp !== undefined)).toBe(true);
    expect(addCounts(...deadLetters.map((d) => ({ [String(d.reasonCode)]: 1 })))).toEqual(
      addCounts(nonZero(expected.f1.expected.quarantineByReason), nonZero(expected.sat.expected.quarantineByReason)),
    );

    // The re-stream: every silver F1 event exactly once (one undisturbed run), in the input's shape, keyed by its (first) event.
    const enriched = await readEnriched(kafka.bootstrap, topics.enriched);
    expect(enriched.problems).toEqual([]);
    expect(enriched.eventKeys).toEqual(await silverF1Keys(tables));
    if (framed === 'f1') expect(enriched.multiEvent).toBeGreaterThan(0);
    else expect(enriched.multiEvent).toBe(0);

    // A second --once finds nothing to do: no rows, no new Delta versions.
    const before = await Promise.all((['f1', 'sat'] as const).map((s) => readSourceTables(tables, s)));
    const again = await runConsumerOnce(kafka.bootstrap, consumerArgs({ group, tables, topics }));
    expect(again.stdout()).toMatch(/summary: .* 0 batches/);
    expect(again.stdoutLines.filter((l) => /^batch \d+:/.test(l))).toEqual([]);
    const after = await Promise.all((['f1', 'sat'] as const).map((s) => readSourceTables(tables, s)));
    expect(after).toEqual(before);
    return topics;
  }

  it('satellite framed, F1 one event per message, 5% faults: silver, bronze, quarantine, DLQ and txns exact; a second --once adds nothing', async () => {
    first = await scenario('sat', 2000);
  });

  it('F1 framed, satellite one event per message, 5% faults: the same', async () => {
    await scenario('f1', 2000);
  });

  it('serves /metrics while running; promtool check metrics accepts it; SIGTERM exits 0 with a summary', async () => {
    const topics = first ?? uniqueTopics('e2e-metrics');
    if (first === undefined) await produce(topics, 'sat', 500);
    const group = uniqueName('e2e-metrics');
    const consumer = spawnConsumer(kafka.bootstrap, consumerArgs({ group, tables: join(work.dir, group), topics, trigger: '1s', maxOffsetsPerTrigger: 300 }));
    try {
      const [, url] = await consumer.waitForLine(/^metrics: (http:\/\/\S+)$/, 30_000, 'stdout');
      await consumer.waitForLine(/^batch \d+: /, 60_000, 'stdout');
      const res = await fetch(`${String(url)}/metrics`);
      expect(res.status).toBe(200);
      const body = await res.text();
      for (const name of ['lakestream_consumer_events_consumed_total', 'lakestream_consumer_events_written_total', 'lakestream_consumer_batch_duration_seconds_bucket',
        'lakestream_consumer_commit_duration_seconds_bucket', 'lakestream_consumer_lag_records', 'lakestream_consumer_delta_version', 'process_resident_memory_bytes']) {
        expect(body, name).toContain(name);
      }
      expect(body).toMatch(/lakestream_consumer_events_quarantined_total\{[^}]*reason="[A-Z_]+"/);
      if (hasPromtool) {
        const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
        expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
      } else {
        console.warn('[skip] promtool is not installed (Debian prometheus): the /metrics body was not linted');
      }
      expect((await fetch(`${String(url)}/healthz`)).status).toBe(200);
    } finally {
      const exit = await consumer.stop('SIGTERM', 30_000);
      expect(exit.code, consumer.describe()).toBe(0);
    }
    expect(consumer.stdout()).toMatch(/^summary: /m);
  });

  it('--help exits 0; an unknown flag or a bad value exits 2 naming it', () => {
    // No broker needed: the CLI edge answers before connecting.
    const help = spawnSync(process.execPath, [CONSUMER_MAIN, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--max-offsets-per-trigger/);
    const unknown = spawnSync(process.execPath, [CONSUMER_MAIN, '--no-such-flag'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-flag/);
    const bad = spawnSync(process.execPath, [CONSUMER_MAIN, '--trigger', 'soon'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--trigger/);
  });

  it('no broker: exit 1 with KAFKA_UNAVAILABLE naming the brokers and the socket error, in one line', async () => {
    const work = await tempDir('consumer-no-broker');
    try {
      // Port 1 on loopback: nothing listens there; kafkajs gives up after its retries (~35 s).
      const r = spawnSync(process.execPath, [CONSUMER_MAIN, '--brokers', '127.0.0.1:1', '--tables', join(work.dir, 'tables'), '--metrics-port', '0', '--once'], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^error: cannot start consuming from 127\.0\.0\.1:1: .*ECONNREFUSED.* \(KAFKA_UNAVAILABLE\)$/m);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await work.cleanup();
    }
  }, 150_000);
});
