/**
 * The telemetry processor the engine calls per micro-batch: records split by
 * topic → libs/medallion transforms (decode, validate, dedup, enrich) → rows
 * per table; dead letters (and the enriched re-stream) are published before
 * the tables commit, so they are at least once; per-batch counts are kept for
 * the metrics and the summary.
 */
import type { Table } from 'apache-arrow';
import { DedupIndex, F1_KEY_COLUMNS, SATELLITE_KEY_COLUMNS, transformF1, transformSatellite, type LogicalTable, type TransformResult } from '@lakestream/medallion';
import type { DeltaTable } from '@lakestream/sink';
import type { BatchInput, BatchOutput, Processor, ResumePoint, SourceRecord, TopicPartition } from '@lakestream/stream';
import type { ConsumerConfig, Source } from './cli.js';
import { tableName, topicOf } from './catalog.js';
import type { Publisher } from './publisher.js';
import type { SessionReader } from './session-reader.js';

export interface BatchFacts {
  readonly bySource: ReadonlyMap<Source, TransformResult['counts']>;
  readonly silverEventTimesMs: ReadonlyMap<Source, Float64Array>;
}

export interface TelemetryProcessorDeps {
  readonly config: ConsumerConfig;
  readonly silver: ReadonlyMap<Source, DeltaTable>;
  readonly sessions: SessionReader | undefined;
  readonly publisher: Publisher;
  readonly warn: (message: string) => void;
}

export class TelemetryProcessor implements Processor {
  readonly dedup = new Map<Source, DedupIndex>();
  /** Facts of processed batches, taken by the batch hook. */
  readonly facts = new Map<number, BatchFacts>();
  private readonly sourceOfTopic = new Map<string, Source>();

  constructor(private readonly deps: TelemetryProcessorDeps) {
    for (const source of deps.config.sources) {
      this.dedup.set(source, new DedupIndex({ windowMs: deps.config.dedupWindowMs, maxEntries: deps.config.dedupMaxKeys }));
      this.sourceOfTopic.set(topicOf(deps.config, source), source);
    }
  }

  async process(input: BatchInput): Promise<BatchOutput> {
    const bySource = new Map<Source, SourceRecord[]>();
    for (const r of input.records) {
      const source = this.sourceOfTopic.get(r.topic);
      if (source === undefined) continue;
      let list = bySource.get(source);
      if (list === undefined) bySource.set(source, (list = []));
      list.push(r);
    }
    const tables = new Map<string, Table>();
    const validation: Table[] = [];
    const dlqBySource = new Map<Source, TransformResult['dlq']>();
    const enriched: TransformResult['enriched'] = [];
    const counts = new Map<Source, TransformResult['counts']>();
    const times = new Map<Source, Float64Array>();
    const ingestedAt = new Date();
    for (const [source, records] of bySource) {
      if (source === 'f1' && this.deps.sessions !== undefined) {
        const caughtUp = await this.deps.sessions.catchUp(this.deps.config.sessionWaitMs);
        if (!caughtUp) this.deps.warn(`batch ${input.batchId}: session context not caught up after ${this.deps.config.sessionWaitMs} ms; events of unknown sessions are quarantined`);
      }
      const transform = source === 'f1' ? transformF1 : transformSatellite;
      // Table names once per batch: `needs` is asked per record and table.
      const names: Record<LogicalTable, string> = { bronze: tableName(source, 'bronze'), silver: tableName(source, 'silver'), quarantine: tableName(source, 'quarantine'), validation: tableName(source, 'validation') };
      const result = transform(records, {
        needs: (logical: LogicalTable, r) => input.needs(names[logical], r),
        ingestedAt,
        batchId: input.batchId,
        runId: `${topicOf(this.deps.config, source)} batch ${input.batchId}`,
        dedup: this.dedup.get(source) as DedupIndex,
        ...(this.deps.sessions === undefined ? {} : { sessions: this.deps.sessions.directory }),
      });
      for (const logical of ['bronze', 'silver', 'quarantine'] as const) {
        const rows = result.tables[logical];
        if (rows !== undefined) tables.set(tableName(source, logical), rows);
      }
      if (result.tables.validation !== undefined) validation.push(result.tables.validation);
      dlqBySource.set(source, result.dlq);
      // A loop, not push(...): a framed batch can hold a million events (spread arguments overflow the stack).
      if (source === 'f1' && this.deps.config.topics.enriched !== undefined) for (const m of result.enriched) enriched.push(m);
      counts.set(source, result.counts);
      times.set(source, result.silverEventTimesMs);
    }
    const [firstValidation, ...moreValidation] = validation;
    if (firstValidation !== undefined) tables.set('validation', firstValidation.concat(...moreValidation));
    this.facts.set(input.batchId, { bySource: counts, silverEventTimesMs: times });
    const { publisher, config } = this.deps;
    // Dead letters must be out before quarantine commits, the re-stream before silver: a crash in between
    // re-publishes on replay (at least once) and never loses; the other tables commit meanwhile.
    const sideEffects = [...bySource.keys()].flatMap((source) => [
      { before: [tableName(source, 'quarantine')], run: () => publisher.publish(config.topics.dlq, dlqBySource.get(source) ?? []) },
      ...(source === 'f1' && config.topics.enriched !== undefined ? [{ before: [tableName(source, 'silver')], run: () => publisher.publish(config.topics.enriched as string, enriched) }] : []),
    ]);
    return { tables, sideEffects };
  }

  /** Rebuilds dedup state for the partitions this process now reads, from silver (bounded by the window). */
  async onAssigned(points: readonly ResumePoint[]): Promise<void> {
    for (const [topic, source] of this.sourceOfTopic) {
      const partitions = points.filter((p) => p.topic === topic).map((p) => p.partition);
      if (partitions.length === 0) continue;
      const index = this.dedup.get(source) as DedupIndex;
      for (const p of partitions) index.forget(p);
      const silver = this.deps.silver.get(source);
      if (silver === undefined) continue;
      const keys = source === 'f1' ? F1_KEY_COLUMNS : SATELLITE_KEY_COLUMNS;
      const since = new Date(Date.now() - this.deps.config.dedupWindowMs);
      // Bounded twice: by the window (file stats) and by what the index can hold (the newest files first),
      // so a restart after hours at full rate reads minutes of silver, not its whole window.
      const rows = await silver.read({
        columns: [...keys, 'kafka_partition', 'kafka_offset', 'event_time'],
        filter: { and: [{ column: 'kafka_partition', op: 'in', value: partitions }, { column: 'event_time', op: '>=', value: since }] },
        newestRows: index.maxEntries,
      });
      // File pruning is coarse: keep only rows of these partitions before seeding.
      const wanted = new Set(partitions);
      // Whole column and row count read once: per-row get() and numRows walk the table's many record batches.
      const partitionColumn = (rows.getChild('kafka_partition')?.toArray() ?? []) as ArrayLike<number>;
      const n = rows.numRows;
      const keep: number[] = [];
      for (let i = 0; i < n; i++) if (wanted.has(Number(partitionColumn[i]))) keep.push(i);
      index.seed(keep.length === n ? rows : selectRows(rows, keep), keys);
    }
  }

  onRevoked(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) {
      const source = this.sourceOfTopic.get(topic);
      if (source !== undefined) this.dedup.get(source)?.forget(partition);
    }
  }
}

function selectRows(table: Table, rows: readonly number[]): Table {
  // Contiguous runs sliced and concatenated: cheap for the few partitions a table file mixes.
  const parts: Table[] = [];
  let start = -1;
  let prev = -2;
  for (const r of [...rows, -1]) {
    if (r === prev + 1) {
      prev = r;
      continue;
    }
    if (start >= 0) parts.push(table.slice(start, prev + 1));
    start = r;
    prev = r;
  }
  const [first, ...rest] = parts;
  return first === undefined ? table.slice(0, 0) : first.concat(...rest);
}
