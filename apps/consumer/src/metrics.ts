/**
 * The consumer's Prometheus metrics: prom-client's default Node metrics plus
 * ours, on a registry of their own (so two instances never collide). Callers
 * use the typed methods; no prom-client type leaks out.
 *
 * Label values are low-cardinality by construction: `source` is satellite|f1,
 * `table` a catalog path (e.g. `silver/telemetry_enriched`), `reason` a
 * quarantine reason code, `outcome` a BatchOutcome, `partition` a Kafka
 * partition number.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRIC_PREFIX = 'lakestream_consumer_';

/** prom-client default gauges whose names break the `_total` = counter convention; dropped (sum the per-type series instead). */
export const NON_COUNTER_TOTALS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

export type BatchOutcome = 'committed' | 'empty' | 'fenced' | 'failed' | 'abandoned';

/** Bucket bounds in seconds. */
export const BATCH_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
export const COMMIT_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 30, 60, 120, 300];

export interface ConsumerMetricsOptions {
  /** prom-client's default process and Node.js metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Constant labels on every series, e.g. `{ app_id: 'lakestream-consumer' }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Clock for checkpoint age, ms since the epoch (tests). */
  readonly now?: () => number;
}

export class ConsumerMetrics {
  readonly #registry = new Registry();
  readonly #now: () => number;
  readonly #checkpointAt = new Map<string, number>();
  readonly #consumed: Counter<'source'>;
  readonly #written: Counter<'source' | 'table'>;
  readonly #quarantined: Counter<'source' | 'reason'>;
  readonly #batchDuration: Histogram<'source'>;
  readonly #commitDuration: Histogram<'table'>;
  readonly #latency: Histogram<'source'>;
  readonly #lag: Gauge<'topic' | 'partition'>;
  readonly #deltaVersion: Gauge<'table'>;
  readonly #batches: Counter<'source' | 'outcome'>;
  readonly #fenced: Counter<'topic'>;

  constructor(options: ConsumerMetricsOptions = {}) {
    this.#now = options.now ?? Date.now;
    const registers = [this.#registry];
    if (options.labels) this.#registry.setDefaultLabels({ ...options.labels });
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: this.#registry });
      // prom-client names three gauges `..._total`, which Prometheus reserves for counters (promtool
      // check metrics flags them). They are only the sums of nodejs_active_{handles,requests,resources}{type}.
      for (const name of NON_COUNTER_TOTALS) this.#registry.removeSingleMetric(name);
    }
    const p = METRIC_PREFIX;
    this.#consumed = new Counter({ name: `${p}events_consumed_total`, help: 'Events read from Kafka and decoded, plus records that failed to decode.', labelNames: ['source'], registers });
    this.#written = new Counter({ name: `${p}events_written_total`, help: 'Rows committed to a Delta table.', labelNames: ['source', 'table'], registers });
    this.#quarantined = new Counter({ name: `${p}events_quarantined_total`, help: 'Records committed to quarantine, by reason code.', labelNames: ['source', 'reason'], registers });
    this.#batchDuration = new Histogram({ name: `${p}batch_duration_seconds`, help: 'Micro-batch wall time, fetch to last commit.', labelNames: ['source'], buckets: BATCH_DURATION_BUCKETS, registers });
    this.#commitDuration = new Histogram({ name: `${p}commit_duration_seconds`, help: 'Delta commit wall time per table (write files and log entry).', labelNames: ['table'], buckets: COMMIT_DURATION_BUCKETS, registers });
    this.#latency = new Histogram({ name: `${p}end_to_end_latency_seconds`, help: 'Event time to the silver commit that holds the event.', labelNames: ['source'], buckets: LATENCY_BUCKETS, registers });
    this.#lag = new Gauge({ name: `${p}lag_records`, help: 'Records in the partition not yet in every table: high watermark minus the resume offset (smallest stored txn version + 1).', labelNames: ['topic', 'partition'], registers });
    this.#deltaVersion = new Gauge({ name: `${p}delta_version`, help: 'Latest Delta table version this consumer committed or read.', labelNames: ['table'], registers });
    const checkpointAt = this.#checkpointAt;
    const now = this.#now;
    // Age is computed at scrape time from the last checkpoint instant; the gauge is reached only through collect().
    new Gauge({
      name: `${p}checkpoint_age_seconds`,
      help: 'Seconds since the latest Delta checkpoint of the table.',
      labelNames: ['table'],
      registers,
      collect() {
        for (const [table, at] of checkpointAt) this.set({ table }, Math.max(0, (now() - at) / 1000));
      },
    });
    this.#batches = new Counter({ name: `${p}batches_total`, help: 'Micro-batches by outcome.', labelNames: ['source', 'outcome'], registers });
    this.#fenced = new Counter({ name: `${p}fenced_total`, help: 'Commits refused because another writer moved the partition txn (zombie fencing).', labelNames: ['topic'], registers });
  }

  /** `n` events (or undecodable records) read for `source`. */
  eventsConsumed(source: string, n: number): void {
    if (n > 0) this.#consumed.inc({ source }, n);
  }

  /** `n` rows committed to `table` (catalog path). */
  eventsWritten(source: string, table: string, n: number): void {
    if (n > 0) this.#written.inc({ source, table }, n);
  }

  /** `n` records quarantined with `reason` (a quarantine reason code). */
  eventsQuarantined(source: string, reason: string, n: number): void {
    if (n > 0) this.#quarantined.inc({ source, reason }, n);
  }

  /** One micro-batch finished: its duration histogram and the batches counter. */
  batchFinished(source: string, outcome: BatchOutcome, seconds: number): void {
    this.#batchDuration.observe({ source }, seconds);
    this.#batches.inc({ source, outcome });
  }

  /** One Delta commit of `table` landed at `version` after `seconds`. */
  commitFinished(table: string, version: number, seconds: number): void {
    this.#commitDuration.observe({ table }, seconds);
    this.#deltaVersion.set({ table }, version);
  }

  /** The table's version as read at start (before any commit of ours). */
  deltaVersion(table: string, version: number): void {
    this.#deltaVersion.set({ table }, version);
  }

  /** A checkpoint of `table` exists as of `atMs` (ms since the epoch); the age is computed at scrape time. */
  checkpointWritten(table: string, atMs: number): void {
    this.#checkpointAt.set(table, atMs);
  }

  /** End-to-end latency of events committed to silver at `committedAtMs`; `eventTimesMs` in ms since the epoch. */
  endToEndLatency(source: string, committedAtMs: number, eventTimesMs: ArrayLike<number>): void {
    const child = this.#latency.labels({ source });
    for (let i = 0; i < eventTimesMs.length; i++) child.observe(Math.max(0, (committedAtMs - (eventTimesMs[i] as number)) / 1000));
  }

  /**
   * Lag of one partition: `highWatermark` (the log end offset, the offset the
   * next produced record gets) minus `nextOffset` (the smallest stored txn
   * version over the source's tables + 1, i.e. where a restart resumes);
   * never negative.
   */
  lag(topic: string, partition: number, highWatermark: bigint, nextOffset: bigint): void {
    const lag = highWatermark > nextOffset ? highWatermark - nextOffset : 0n;
    this.#lag.set({ topic, partition: String(partition) }, Number(lag));
  }

  /** The partition was revoked: drop its lag series. */
  partitionRevoked(topic: string, partition: number): void {
    this.#lag.remove({ topic, partition: String(partition) });
  }

  /** A commit touching `topic` was fenced. */
  fenced(topic: string, n = 1): void {
    this.#fenced.inc({ topic }, n);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  metrics(): Promise<string> {
    return this.#registry.metrics();
  }

  get contentType(): string {
    return this.#registry.contentType;
  }
}
