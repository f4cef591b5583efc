/**
 * Chaos: while both producers run in real time with injected faults, the
 * consumer is kill -9'd at random moments (at least 10 times) and restarted,
 * and the embedded broker is kill -9'd once and restarted; a final `--once`
 * drains. DuckDB over the Delta tables must then hold every good event in
 * silver exactly once and every bad one in quarantine, as the producers'
 * `--summary-json` expects (a crash between two tables' commits, e.g. bronze
 * committed and silver not, is among the random kill moments).
 *
 * KAFKA_BROKERS: runs the consumer kills against that cluster; the broker
 * restart is skipped with a printed reason (the harness cannot restart it).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool, type AppProcess } from '@lakestream/testing';
import { consumerArgs, readProducerSummary, readRowIdentities, readSourceTables, satelliteSamples, sleep, uniqueTopics, type ProducerSummary } from './support/consumer-fixtures.js';
import { restartable, runConsumerOnce, spawnConsumer, spawnProducer, startKafka, tempDir, uniqueName, type KafkaUnderTest } from './support/processes.js';

const hasKcat = requireTool('kcat', ['-V']);

/** Seeded so a failing run can be replayed (LAKESTREAM_CHAOS_SEED); mulberry32. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nonZero = (m: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(m).filter(([, v]) => v > 0));

describe.skipIf(!hasKcat)('consumer chaos: kill -9 the consumer ≥ 10 times and the broker once while producing', () => {
  let kafka: KafkaUnderTest;
  let work: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    kafka = await startKafka({ args: ['--partitions', '3'] });
    work = await tempDir('consumer-chaos');
  });
  afterAll(async () => {
    await kafka?.stop();
    await work?.cleanup();
  });

  it('silver holds every good event exactly once, quarantine every bad one', async () => {
    const seed = Number(process.env['LAKESTREAM_CHAOS_SEED'] ?? Date.now() % 1_000_000);
    const random = prng(seed);
    const log = (m: string): void => console.warn(`[chaos seed ${seed}] ${m}`);
    const topics = uniqueTopics('chaos');
    const group = uniqueName('chaos');
    const tables = join(work.dir, 'tables');
    const f1Json = join(work.dir, 'f1.json');
    const satJson = join(work.dir, 'sat.json');
    const producerSeconds = 30;
    const samples = await satelliteSamples();

    // Real time: F1 paces itself (2 cars ≈ 220 events/s), satellites capped by --rate.
    const producers: AppProcess[] = [
      spawnProducer(kafka.bootstrap, ['--source', 'f1', '--cars', '2', '--duration', String(producerSeconds), '--inject-faults', '0.05',
        '--topic', topics.f1, '--sessions-topic', topics.sessions, '--summary-json', f1Json]),
      spawnProducer(kafka.bootstrap, ['--source', 'satellite', '--samples-dir', samples, '--rate', '150', '--duration', String(producerSeconds), '--inject-faults', '0.05',
        '--topic', topics.sat, '--summary-json', satJson]),
    ];
    const producersDone = Promise.all(producers.map((p) => p.exited));
    let producing = true;
    void producersDone.then(() => {
      producing = false;
    });

    const args = consumerArgs({ group, tables, topics, trigger: '500ms', maxOffsetsPerTrigger: 2000 });
    const consumer = restartable(() => spawnConsumer(kafka.bootstrap, args));
    let kills = 0;
    let brokerRestarted = false;
    let selfExits = 0;
    const started = Date.now();
    try {
      while (kills < 10 || producing) {
        // Random moments: sometimes before the consumer has joined, mostly with batches in flight.
        await sleep(300 + Math.floor(random() * 3200));
        const exitedByItself = await Promise.race([consumer.current().exited.then((e) => e), sleep(0).then(() => undefined)]);
        if (exitedByItself !== undefined) {
          selfExits++;
          log(`consumer exited by itself (${JSON.stringify(exitedByItself)}); restarting\n${consumer.current().describe()}`);
        }
        await consumer.kill9AndRestart(Math.floor(random() * 500));
        kills++;
        if (kills === 5) {
          if (kafka.restartable) {
            log('kill -9 the broker and restart it');
            await kafka.restart();
            brokerRestarted = true;
          } else {
            log('[skip] KAFKA_BROKERS set: the broker restart needs the embedded broker');
          }
        }
        if (Date.now() - started > 150_000) throw new Error(`chaos loop over time (producers still running: ${producing})`);
      }
      log(`${kills} consumer kills, broker restarted: ${brokerRestarted}, consumer exits by itself: ${selfExits}`);
    } finally {
      await consumer.current().kill9();
    }

    // The producers retry, but a message whose retries all fell inside the broker's downtime is lost
    // (the producer then exits 1 and counts it in failedMessages): their expectations are exact only
    // for what was acknowledged; each lost message (one event: these producers do not frame) moves
    // each expected count by at most one.
    const summaries: ProducerSummary[] = [];
    for (const [i, p] of producers.entries()) {
      const exit = await p.exited;
      const s = await readProducerSummary(i === 0 ? f1Json : satJson);
      expect(exit.code === 0 || (s.failedMessages > 0 && brokerRestarted), p.describe()).toBe(true);
      expect(s.acknowledgedMessages + s.failedMessages).toBe(s.messages);
      if (s.failedMessages > 0) log(`${s.source}: ${s.failedMessages} message(s) not acknowledged during the broker restart`);
      summaries.push(s);
    }
    const [f1, sat] = summaries as [ProducerSummary, ProducerSummary];

    const drain = await runConsumerOnce(kafka.bootstrap, args);
    // The undisturbed reference: a fresh group and Delta root, one --once over the same topics.
    const referenceTables = join(work.dir, 'reference');
    const reference = await runConsumerOnce(kafka.bootstrap, consumerArgs({ group: uniqueName('chaos-reference'), tables: referenceTables, topics }));
    const context = `seed ${seed}\n${drain.describe()}\n\nreference: ${reference.describe()}\n\nearlier consumers:\n${consumer.describe()}`;
    for (const [source, summary] of [['f1', f1], ['sat', sat]] as const) {
      const got = await readSourceTables(tables, source);
      const ref = await readSourceTables(referenceTables, source);
      expect(got.silverDuplicateKeys, `${source}: duplicate event keys in silver\n${context}`).toBe(0);
      expect(got.silverDuplicateRecords, `${source}: a Kafka record twice in silver\n${context}`).toBe(0);
      // Exactly what one undisturbed run writes: the same counts, reasons and rows.
      expect({ source, silver: got.silver, bronze: got.bronze, quarantine: nonZero(got.quarantineByReason) }, context).toEqual({
        source, silver: ref.silver, bronze: ref.bronze, quarantine: nonZero(ref.quarantineByReason),
      });
      expect(got.quarantineCoordinates, `${source}: quarantine rows differ from the reference run`).toEqual(ref.quarantineCoordinates);
      const [rows, refRows] = await Promise.all([readRowIdentities(tables, source), readRowIdentities(referenceTables, source)]);
      expect(rows.silver.length).toBe(refRows.silver.length);
      expect(rows.silver.filter((id, i) => id !== refRows.silver[i]).slice(0, 5), `${source}: silver rows differ`).toEqual([]);
      expect(rows.bronze.filter((id, i) => id !== refRows.bronze[i]).slice(0, 5), `${source}: bronze rows differ`).toEqual([]);
      // And what the producer expected: exact when every message was acknowledged.
      const want = summary.expected;
      const slack = summary.failedMessages;
      expect(Math.abs(got.silver - want.silver), `${source} silver ${got.silver} vs expected ${want.silver}\n${context}`).toBeLessThanOrEqual(slack);
      expect(Math.abs(got.bronze - want.bronze), `${source} bronze ${got.bronze} vs expected ${want.bronze}`).toBeLessThanOrEqual(slack);
      expect(Math.abs(got.quarantine - want.quarantine), `${source} quarantine ${got.quarantine} vs expected ${want.quarantine}`).toBeLessThanOrEqual(slack);
      if (slack === 0) expect(nonZero(got.quarantineByReason), context).toEqual(nonZero(want.quarantineByReason));
    }
    expect(kills).toBeGreaterThanOrEqual(10);
    if (kafka.restartable) expect(brokerRestarted).toBe(true);
  });
});
