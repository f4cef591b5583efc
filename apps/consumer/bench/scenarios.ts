/**
 * The bench's scenarios, each on the one embedded broker with its own topic,
 * consumer group and Delta root: produce first (timed, informational), then
 * the consumer `--once` timed with peak RSS; and the latency run (producers in
 * real time at a fixed total rate while the consumer runs with `--trigger 1s`,
 * quantiles from its /metrics histogram).
 */
import { join } from 'node:path';
import { withDeltaViews } from '@lakestream/testing';
import { CONSUMER_MAIN, PRODUCER_MAIN, runToEnd, sampleUntilExit, start, sustainedRate, SIM_CLI } from './procs.js';
import { histogramQuantile, parseConsumerSummary, parseHistogram, parseProducerSummary, sumCounter, type ConsumerSummaryFigures } from './parse.js';

export interface ProduceFigures {
  readonly events: number;
  readonly messages: number;
  readonly seconds: number;
}

export interface ConsumeFigures {
  readonly summary: ConsumerSummaryFigures;
  readonly wallSeconds: number;
  readonly sustained: number | undefined;
  readonly peakRssMb: number;
  readonly batchLines: number;
  readonly silverTable: string;
}

/** Seconds of timeout for `events` events at a pessimistic 2,000 events/s, at least two minutes. */
export const timeoutFor = (events: number): number => Math.max(120_000, Math.ceil(events / 2_000) * 1_000);

/** An F1 session start far enough back that a no-sleep run (~5.5k events per simulated second, 50 cars) stays behind the clock. */
export function pastStart(events: number): string {
  return new Date(Date.now() - (events / 5_500) * 1_000 - 60_000).toISOString();
}

export async function produceF1(bootstrap: string, topic: string, events: number, framing: boolean): Promise<ProduceFigures> {
  const args = ['--brokers', bootstrap, '--source', 'f1', '--topic', topic, '--framing', framing ? 'on' : 'off', '--no-sleep', '--max-events', String(events), '--start-time', pastStart(events)];
  const app = await runToEnd(start(PRODUCER_MAIN, args, { name: 'producer' }), timeoutFor(events));
  const s = parseProducerSummary(app.stdout());
  if (!s) throw new Error(`producer summary not found\n${app.describe()}`);
  return s;
}

/** Satellite CSVs from libs/sim (100 satellites × events/100 samples), then the producer over them. */
export async function produceSatellite(bootstrap: string, topic: string, events: number, framing: boolean, dir: string): Promise<ProduceFigures> {
  const satellites = Math.min(100, events);
  const samplesDir = join(dir, 'samples');
  const sim = start(SIM_CLI, ['satellite', '--out', samplesDir, '--satellites', String(satellites), '--samples', String(Math.ceil(events / satellites)), '--force'], { name: 'sim' });
  await runToEnd(sim, timeoutFor(events));
  const args = ['--brokers', bootstrap, '--source', 'satellite', '--samples-dir', samplesDir, '--topic', topic, '--framing', framing ? 'on' : 'off', '--no-sleep', '--max-events', String(events)];
  const app = await runToEnd(start(PRODUCER_MAIN, args, { name: 'producer' }), timeoutFor(events));
  const s = parseProducerSummary(app.stdout());
  if (!s) throw new Error(`producer summary not found\n${app.describe()}`);
  return s;
}

export interface ConsumeOptions {
  readonly bootstrap: string;
  readonly source: 'f1' | 'sat';
  readonly topic: string;
  readonly group: string;
  readonly tables: string;
  readonly events: number;
  readonly extraArgs: readonly string[];
  /** Node flags for the consumer, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
}

export async function consumeOnce(o: ConsumeOptions): Promise<ConsumeFigures> {
  const topicFlag = o.source === 'f1' ? '--f1-topic' : '--sat-topic';
  const args = ['--brokers', o.bootstrap, '--once', '--source', o.source, topicFlag, o.topic, '--group', o.group, '--tables', o.tables, '--metrics-port', '0', ...o.extraArgs];
  const app = start(CONSUMER_MAIN, args, { name: 'consumer', nodeArgs: o.nodeArgs ?? [] });
  const sampled = await sampleUntilExit(app, timeoutFor(o.events));
  const summary = parseConsumerSummary(app.stdout());
  if (!summary) throw new Error(`consumer summary not found\n${app.describe()}`);
  const silverPath = / {4}silver +v\S+ +\d+ rows +(\S+)/.exec(app.stdout())?.[1];
  if (!silverPath) throw new Error(`consumer summary names no silver table\n${app.describe()}`);
  return { summary, wallSeconds: sampled.wallSeconds, sustained: sustainedRate(sampled.batches), peakRssMb: sampled.peakRssMb, batchLines: sampled.batches.length, silverTable: silverPath };
}

/** GET /metrics, retried: a consumer busy in a long synchronous batch step may not answer at once. */
async function scrape(url: string, describe: () => string): Promise<string> {
  let last: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await (await fetch(url, { signal: AbortSignal.timeout(30_000) })).text();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  const cause = last instanceof Error ? `${last.message}${last.cause instanceof Error ? `: ${last.cause.message}` : ''}` : String(last);
  throw new Error(`scraping ${url} failed 10 times (${cause})\n${describe()}`);
}

export interface LatencyFigures {
  readonly produced: number;
  readonly produceSeconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly observed: number;
  readonly peakRssMb: number;
  readonly summary: ConsumerSummaryFigures;
  /** Where the latency goes, from bronze rows read back by DuckDB over the Delta log (ms, p50 and p99). */
  readonly breakdown: LatencyBreakdown;
}

export interface LatencyBreakdown {
  /** Event time → Kafka timestamp: the producer's share (simulator pacing, linger, acks). */
  readonly producerMs: readonly [number, number];
  /** Kafka timestamp → the batch's ingested_at: waiting for the trigger, fetch, decode. */
  readonly pickupMs: readonly [number, number];
}

/** Quantiles of the latency components over every bronze row (the independent reader: DuckDB over the log and Parquet files). */
async function latencyBreakdown(tables: string): Promise<LatencyBreakdown> {
  return withDeltaViews({ bronze: join(tables, 'bronze', 'telemetry_events') }, async (query) => {
    const [row] = await query(`
      select quantile_cont(epoch_ms(kafka_timestamp) - epoch_ms(event_time), [0.5, 0.99]) as producer,
             quantile_cont(epoch_ms(ingested_at) - epoch_ms(kafka_timestamp), [0.5, 0.99]) as pickup
      from bronze`);
    const pair = (v: unknown): [number, number] => {
      const [a, b] = v as [number, number];
      return [Number(a), Number(b)];
    };
    return { producerMs: pair(row?.['producer']), pickupMs: pair(row?.['pickup']) };
  });
}

/**
 * `producers` real-time F1 producers (different seeds, started 1.2 s apart so
 * their session ids differ) at rate/producers each for `seconds`, while the
 * consumer runs with `--trigger 1s`; after the producers end, wait until the
 * consumer has written every produced event to silver (or 60 s), scrape
 * /metrics, stop the consumer with SIGTERM.
 */
export async function latencyRun(o: { bootstrap: string; topic: string; tables: string; rate: number; seconds: number; producers: number; cars: number; framing: boolean; extraArgs: readonly string[] }): Promise<LatencyFigures> {
  const args = ['--brokers', o.bootstrap, '--source', 'f1', '--f1-topic', o.topic, '--group', 'bench-latency', '--tables', o.tables, '--metrics-port', '0', '--trigger', '1s', ...o.extraArgs];
  const consumer = start(CONSUMER_MAIN, args, { name: 'consumer' });
  const url = (await consumer.waitForLine(/^metrics: (http:\/\/\S+)/, 60_000, 'stdout'))[1] as string;
  await consumer.waitForLine(/^resume /, 60_000, 'stdout').catch(() => undefined);
  let scraped = '';
  let produced = 0;
  let produceSeconds = 0;
  const done = (async () => {
    const producers = [];
    for (let i = 0; i < o.producers; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1_200));
      const pArgs = ['--brokers', o.bootstrap, '--source', 'f1', '--topic', o.topic, '--cars', String(o.cars), '--seed', String(88 + i), '--rate', String(Math.round(o.rate / o.producers)), '--duration', String(o.seconds), '--start-time', 'now', '--framing', o.framing ? 'on' : 'off'];
      producers.push(runToEnd(start(PRODUCER_MAIN, pArgs, { name: `producer-${i}` }), o.seconds * 1_000 + 120_000));
    }
    for (const app of await Promise.all(producers)) {
      const s = parseProducerSummary(app.stdout());
      if (!s) throw new Error(`producer summary not found\n${app.describe()}`);
      produced += s.events;
      produceSeconds = Math.max(produceSeconds, s.seconds);
    }
    const deadline = performance.now() + 60_000;
    for (;;) {
      scraped = await scrape(`${url}/metrics`, () => consumer.describe());
      const silver = sumCounter(scraped, 'lakestream_consumer_events_written_total', { table: /silver/ });
      const quarantined = sumCounter(scraped, 'lakestream_consumer_events_quarantined_total');
      if (silver + quarantined >= produced || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  // If a producer fails, stop the consumer too (sampleUntilExit then resolves) and rethrow below.
  const sampled = await sampleUntilExit(consumer, o.seconds * 1_000 + 300_000, { until: done.catch(() => undefined) });
  await done;
  const buckets = parseHistogram(scraped, 'lakestream_consumer_end_to_end_latency_seconds', { source: 'f1' });
  const summary = parseConsumerSummary(consumer.stdout());
  if (!summary) throw new Error(`consumer summary not found\n${consumer.describe()}`);
  return {
    produced,
    produceSeconds,
    p50: histogramQuantile(0.5, buckets),
    p99: histogramQuantile(0.99, buckets),
    observed: buckets.at(-1)?.count ?? 0,
    peakRssMb: sampled.peakRssMb,
    summary,
    breakdown: await latencyBreakdown(o.tables),
  };
}
