/**
 * Composition root of the streaming command: Kafka client, Delta tables,
 * session context reader, dead-letter publisher, the telemetry processor and
 * the engine from libs/stream, metrics on /metrics; signals stop it (a second
 * one abandons the batch in flight); resolves to the exit code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DeltaTable, LocalFileStore, optimize, warmEncoderThreads } from '@lakestream/sink';
import { StreamEngine, type BatchReport, type ResumePoint, type StreamSummary } from '@lakestream/stream';
import type { ConsumerConfig, Source } from './cli.js';
import { openTables, tableName, topicOf } from './catalog.js';
import { generateDocs } from './docs.js';
import { ConsumerError } from './errors.js';
import { ConsumerMetrics } from './metrics.js';
import { startMetricsServer } from './metrics-server.js';
import { TelemetryProcessor } from './processor.js';
import { startPublisher } from './publisher.js';
import { SessionReader } from './session-reader.js';
import { DECODE_REASONS, formatSummary, reconcile, type ConsumerSummary, type SourceSummary, type TableRole } from './summary.js';
import { RunTotals } from './totals.js';

export interface RunIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Aborted with a reason ("SIGTERM") to stop the run gracefully. */
  readonly signal: AbortSignal;
  /** Aborted on a second signal: abandon the batch in flight (it is replayed on the next start). */
  readonly abandon: AbortSignal;
}

const KAFKA_LOG_LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG } as const;

export async function run(config: ConsumerConfig, io: RunIo): Promise<number> {
  const kafka = new Kafka({
    clientId: 'lakestream-consumer', brokers: [...config.brokers], logLevel: KAFKA_LOG_LEVELS[config.kafkaLogLevel],
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
  });
  const warn = (message: string): void => io.err(`warning: ${message}\n`);
  // Parquet encoder threads start (and compile parquet-wasm) while Kafka connects, not inside the first batch's commits.
  void warmEncoderThreads().catch((error: unknown) => warn(`encoder threads did not start ahead: ${error instanceof Error ? error.message : String(error)}`));
  const metrics = new ConsumerMetrics({ labels: { app_id: config.appId } });
  const server = await startMetricsServer({ port: config.metricsPort, metrics });
  io.out(`metrics: ${server.url}\n`);
  const tables = await openTables(config);
  // Metric labels name tables by catalog path (silver/telemetry_enriched), as the docs say.
  const pathOf = (name: string): string => tables.byName.get(name)?.spec.path ?? name;
  for (const [name, t] of tables.byName) metrics.deltaVersion(pathOf(name), t.table.version);
  let sessions: SessionReader | undefined;
  try {
    sessions = config.sources.includes('f1') ? await SessionReader.start(kafka, config.topics.sessions, config.appId, warn) : undefined;
  } catch (error) {
    await server.close();
    throw unavailable(config, error);
  }
  const publisher = await startPublisher(kafka);
  const silver = new Map<Source, DeltaTable>(config.sources.map((s) => [s, tables.byName.get(tableName(s, 'silver'))?.table as DeltaTable]));
  const processor = new TelemetryProcessor({ config, silver, sessions, publisher, warn });
  const totals = new RunTotals();
  const started = Date.now();
  const optimizer = new BackgroundOptimizer(config, tables.byName, io);

  let engine: StreamEngine;
  try {
    engine = await StreamEngine.start({
      kafka, appId: config.appId, topics: config.sources.map((s) => topicOf(config, s)), tables: tables.stream, processor,
      triggerMs: config.triggerMs, maxOffsetsPerTrigger: config.maxOffsetsPerTrigger, maxBytesPerTrigger: config.maxBytesPerTrigger,
      once: config.once, startingOffsets: config.startingOffsets,
      ...(config.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: config.idleTimeoutMs }),
      consumer: { sessionTimeout: config.sessionTimeoutMs, heartbeatInterval: Math.min(3000, Math.floor(config.sessionTimeoutMs / 10)) },
      // Test hook only (tools/e2e shows duplicates appear without fencing): never set it in production.
      ...(process.env['LAKESTREAM_UNSAFE_DISABLE_FENCING'] === '1' ? { fencing: false } : {}),
      hooks: {
        onResume: (points) => io.out(formatResume(points)),
        onBatch: (report) => {
          onBatch(report, processor, totals, metrics, pathOf);
          io.out(formatBatch(report));
          optimizer.afterBatch(report.batchId);
        },
        onFenced: (f) => {
          totals.fences++;
          for (const topic of new Set(f.partitions.map((p) => p.topic))) metrics.fenced(topic);
          warn(`batch ${f.batchId} was fenced on ${f.table} (another writer moved its offsets); re-reading from the tables`);
        },
        onLog: (m) => io.err(`${m}\n`),
      },
    });
  } catch (error) {
    await Promise.all([sessions?.close(), publisher.close(), server.close()]);
    throw unavailable(config, error);
  }
  const stop = (): void => void engine.stop();
  io.signal.addEventListener('abort', stop, { once: true });
  io.abandon.addEventListener('abort', stop, { once: true });
  if (io.signal.aborted) stop();
  const summary: StreamSummary = await engine.done;
  await optimizer.idle();
  await Promise.all([sessions?.close(), publisher.close()]);
  const lag = summary.reason === 'failed' ? undefined : await readLag(kafka, config, tables.stream.map((t) => t.table), config.appId);
  const report = buildSummary(config, summary, totals, tables.byName, Date.now() - started, lag);
  io.out(formatSummary(report));
  if (config.summaryJson !== undefined) await writeSummaryJson(config.summaryJson, report);
  if (config.docsOut !== undefined) {
    const docs = await generateDocs({ tablesDir: config.tablesDir, out: config.docsOut });
    io.out(`data docs: ${docs.results} result(s) -> ${docs.out}\n`);
  }
  await server.close();
  if (summary.reason === 'failed') {
    io.err(`error: ${summary.error instanceof Error ? summary.error.message : String(summary.error)}\n`);
    return 1;
  }
  return 0;
}

function onBatch(report: BatchReport, processor: TelemetryProcessor, totals: RunTotals, metrics: ConsumerMetrics, pathOf: (name: string) => string): void {
  const committedAt = Date.now();
  const facts = processor.facts.get(report.batchId);
  processor.facts.delete(report.batchId);
  totals.batches++;
  totals.records += report.records;
  for (const t of report.tables) {
    if (t.skipped) continue;
    totals.table(t.name, t.rows, t.version);
    metrics.commitFinished(pathOf(t.name), t.version, t.commitSeconds);
    if (t.checkpoint) metrics.checkpointWritten(pathOf(t.name), committedAt);
  }
  for (const [source, counts] of facts?.bySource ?? []) {
    totals.add(source, counts);
    metrics.eventsConsumed(source, counts.events);
    for (const logical of ['bronze', 'silver', 'quarantine'] as const) {
      const name = tableName(source, logical);
      const rows = report.tables.find((t) => t.name === name)?.rows ?? 0;
      metrics.eventsWritten(source, pathOf(name), rows);
    }
    for (const [reason, n] of Object.entries(counts.quarantined)) metrics.eventsQuarantined(source, reason, n ?? 0);
    metrics.batchFinished(source, 'committed', report.durationSeconds);
    const times = facts?.silverEventTimesMs.get(source);
    if (times !== undefined) metrics.endToEndLatency(source, committedAt, times);
  }
  for (const l of report.lag) metrics.lag(l.topic, l.partition, l.highWatermark, BigInt(l.committed + 1));
}

/** No broker answered (or it refused us): a one-line, retriable error naming the brokers and the cause. */
function unavailable(config: ConsumerConfig, error: unknown): ConsumerError {
  // kafkajs wraps the socket error in a KafkaJSNonRetriableError with the same message: name the innermost one.
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const cause = inner instanceof Error ? inner.message : String(inner);
  return new ConsumerError('KAFKA_UNAVAILABLE', `cannot start consuming from ${config.brokers.join(',')}: ${cause}`, { brokers: config.brokers.join(',') }, { cause: error, retriable: true });
}

const ENDED: Record<StreamSummary['reason'], string> = {
  'caught-up': '--once: caught up',
  idle: '--idle-timeout: caught up and idle',
  stopped: 'stopped',
  abandoned: 'stopped; the batch in flight was abandoned and is replayed next start',
  failed: 'failure',
};

function buildSummary(
  config: ConsumerConfig,
  summary: StreamSummary,
  totals: RunTotals,
  tables: ReadonlyMap<string, { readonly table: DeltaTable; readonly spec: { readonly path: string } }>,
  elapsedMs: number,
  lag: ReadonlyMap<string, number> | undefined,
): ConsumerSummary {
  const sources: SourceSummary[] = config.sources.map((source, i) => {
    const t = totals.bySource.get(source);
    const decodeFailures = DECODE_REASONS.reduce((n, r) => n + (t?.quarantined[r] ?? 0), 0);
    const roles: TableRole[] = i === 0 ? ['bronze', 'silver', 'quarantine', 'validation'] : ['bronze', 'silver', 'quarantine'];
    const topic = topicOf(config, source);
    return {
      source,
      consumed: (t?.events ?? 0) + decodeFailures,
      tables: roles.map((role) => {
        const name = tableName(source, role);
        const entry = tables.get(name);
        return { role, path: entry?.spec.path ?? name, version: totals.versionByTable.get(name) ?? entry?.table.version, rowsWritten: totals.rowsByTable.get(name) ?? 0 };
      }),
      quarantined: t?.quarantined ?? {},
      lag: [...(lag ?? new Map<string, number>())].filter(([tp]) => tp.startsWith(`${topic}/`)).map(([tp, records]) => ({ topic, partition: Number(tp.slice(topic.length + 1)), records })),
    };
  });
  return { appId: config.appId, ended: ENDED[summary.reason], tablesDir: config.tablesDir, elapsedMs, batches: totals.batches, fenced: totals.fences, sources };
}

/** One progress line per batch, as Spark's query progress: sizes and where the time went. */
function formatBatch(r: BatchReport): string {
  const commits = r.tables.filter((t) => !t.skipped).map((t) => `${t.name} ${t.rows}${t.txnOnly ? ' (txn)' : ''} ${(t.commitSeconds * 1000).toFixed(0)}ms`).join(', ');
  const lag = r.lag.reduce((n, l) => n + l.lag, 0);
  return `batch ${r.batchId}: ${r.records} records ${(r.bytes / 1024).toFixed(0)} KiB in ${(r.durationSeconds * 1000).toFixed(0)} ms (process ${(r.processSeconds * 1000).toFixed(0)} ms; ${commits}); lag ${lag}\n`;
}

async function writeSummaryJson(file: string, summary: ConsumerSummary): Promise<void> {
  const json = { ...summary, sources: summary.sources.map((s) => ({ ...s, reconcile: reconcile(s) })) };
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  } catch (cause) {
    throw new ConsumerError('OUTPUT_FAILED', `cannot write the summary to ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, {}, { cause });
  }
}

function formatResume(points: readonly ResumePoint[]): string {
  return points
    .map((p) => `resume ${p.topic}/${p.partition} at offset ${p.offset}${p.isNew ? ' (new: starting offsets)' : ''}: ${p.tables.map((t) => `${t.name}@${t.stored}`).join(' ')}\n`)
    .join('');
}

/** Lag per partition after the run: high watermark − (smallest stored offset + 1). */
async function readLag(kafka: Kafka, config: ConsumerConfig, tables: readonly DeltaTable[], appId: string): Promise<Map<string, number> | undefined> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const out = new Map<string, number>();
    for (const source of config.sources) {
      const topic = topicOf(config, source);
      for (const o of await admin.fetchTopicOffsets(topic)) {
        let min = Number.POSITIVE_INFINITY;
        for (const t of tables) {
          const v = t.txnVersion(`${appId}-${topic}-${o.partition}`);
          if (v !== undefined) min = Math.min(min, v);
        }
        const next = Number.isFinite(min) ? min + 1 : 0;
        out.set(`${topic}/${o.partition}`, Math.max(0, Number(o.high) - next));
      }
    }
    return out;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** `--optimize-every n`: compacts bronze and silver in the background every n batches, one run at a time. */
class BackgroundOptimizer {
  private running: Promise<void> | undefined;

  constructor(
    private readonly config: ConsumerConfig,
    private readonly tables: ReadonlyMap<string, { readonly table: DeltaTable; readonly path: string }>,
    private readonly io: RunIo,
  ) {}

  afterBatch(batchId: number): void {
    if (this.config.optimizeEvery <= 0 || batchId % this.config.optimizeEvery !== 0 || this.running !== undefined) return;
    this.running = (async () => {
      for (const source of this.config.sources) {
        for (const logical of ['bronze', 'silver'] as const) {
          const t = this.tables.get(tableName(source, logical));
          if (t === undefined) continue;
          // A handle of its own: the stream keeps appending through the engine's while this compacts.
          const result = await DeltaTable.open(new LocalFileStore(t.path)).then((table) => optimize(table)).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
          if (result instanceof Error) this.io.err(`warning: optimize of ${t.path} failed (the stream goes on): ${result.message}\n`);
          else if (result.version !== undefined) this.io.out(`optimize ${t.path}: v${result.version}, ${result.filesRemoved} files -> ${result.filesAdded}\n`);
        }
      }
    })().finally(() => {
      this.running = undefined;
    });
  }

  async idle(): Promise<void> {
    await this.running;
  }
}
