/**
 * The log of one topic-partition: an ordered list of segments, the last one
 * active. Appends (and rolls, retention, truncation, flushes) run one at a
 * time through a queue; reads run concurrently against what appends have
 * published.
 *
 *   append: validate → check (optional) → roll? → assign offsets → write (+ index) → flush per policy → publish
 */
import { rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { checkBatchHeader, parseBatchHeader, stampLogAppendTime, writeBaseOffset, writePartitionLeaderEpoch } from './batch.js';
import { resolveLogConfig, type LogConfig } from './config.js';
import { LogError, storageError, type LogErrorContext } from './errors.js';
import { fsyncDir } from './files.js';
import { FlushScheduler } from './flush-scheduler.js';
import { recoverPartition, writeLogStartCheckpoint, type PartitionRecoveryReport } from './partition-recovery.js';
import type {
  AppendCheck,
  AppendedBatch,
  AppendOptions,
  CheckedAppendResult,
  DeleteRecordsResult,
  OffsetOutOfRange,
  PartitionLogOptions,
  ReadResult,
  RetentionResult,
  TimestampOffset,
} from './partition-types.js';
import { restoreProducerState, writeProducerSnapshot } from './producer-snapshots.js';
import { producerInfoOf, type ProducerState, type ProducerStateTable } from './producer-state.js';
import { planRetention } from './retention.js';
import { Segment, segmentIndexFor } from './segment.js';
import { recoverSegment } from './segment-recovery.js';
import { SerialQueue } from './serial-queue.js';
import { checkTopicName } from './topic-metadata.js';

/** Relative offsets in the index are int32. */
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  /** `<dir>/<topic>-<partition>` */
  readonly path: string;
  readonly config: LogConfig;
  /** What open found and repaired. */
  readonly recovery: PartitionRecoveryReport;
  private segments: readonly Segment[];
  private startOffset: number;
  private endOffset: number;
  private producers: ProducerStateTable;
  private readonly queue = new SerialQueue();
  private readonly flusher: FlushScheduler;
  private readonly now: () => number;
  private readonly listeners = new Set<(batch: AppendedBatch) => void>();
  private failure: LogError | undefined;
  private closed = false;

  private constructor(options: PartitionLogOptions, config: LogConfig, path: string, recovered: Awaited<ReturnType<typeof recoverPartition>>) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.path = path;
    this.config = config;
    this.now = options.now ?? Date.now;
    this.recovery = recovered.report;
    this.segments = recovered.segments;
    this.startOffset = recovered.logStartOffset;
    this.endOffset = this.active.nextOffset;
    this.producers = recovered.producers;
    this.flusher = new FlushScheduler(config.flush, () => {
      this.queue.run(() => this.flushActive()).catch(() => undefined); // flushActive records its own failure
    });
  }

  /** Opens (creating if needed) and recovers the partition directory. */
  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const badName = checkTopicName(options.topic);
    if (badName !== undefined) throw new LogError('INVALID_CONFIG', badName, { topic: options.topic });
    if (!Number.isInteger(options.partition) || options.partition < 0) {
      throw new LogError('INVALID_CONFIG', `partition must be a non-negative integer, got ${options.partition}`, { topic: options.topic });
    }
    const config = resolveLogConfig(options.config);
    const path = join(options.dir, `${options.topic}-${options.partition}`);
    const now = (options.now ?? Date.now)();
    try {
      return new PartitionLog(options, config, path, await recoverPartition(path, config, now));
    } catch (e) {
      throw storageError(e, 'cannot open partition', { topic: options.topic, partition: options.partition, file: path });
    }
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  /** Offset the next append gets; also the high watermark (one node, no replication). */
  get logEndOffset(): number {
    return this.endOffset;
  }

  get highWatermark(): number {
    return this.endOffset;
  }

  /** Bytes in all segments. */
  get size(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  producerState(producerId: number): ProducerState | undefined {
    return this.producers.get(producerId);
  }

  producerStates(): ProducerState[] {
    return [...this.producers.values()];
  }

  /** Called after each append is published (for fetch long polls); returns the unsubscribe. */
  onAppend(listener: (batch: AppendedBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Appends one record batch v2, assigning it the next offsets: the batch's
   * baseOffset (and leader epoch, and for LogAppendTime topics its
   * maxTimestamp and CRC) are rewritten in place in `batch`.
   */
  async append(batch: Uint8Array, options: AppendOptions = {}): Promise<AppendedBatch> {
    const result = await this.appendChecked<never>(batch, () => undefined, options);
    if (!result.ok) throw new Error('unreachable: the check never rejects');
    return result.appended;
  }

  /** `append`, with a check (typically the producer sequence check) run in the queue right before the write. */
  appendChecked<R>(batch: Uint8Array, check: AppendCheck<R>, options: AppendOptions = {}): Promise<CheckedAppendResult<R>> {
    const header = parseBatchHeader(batch);
    if (typeof header === 'string') return Promise.reject(new LogError('INVALID_BATCH', header, this.context()));
    const problem = batch.length !== header.size ? `batch size ${header.size} but ${batch.length} bytes given` : checkBatchHeader(header, batch.length);
    if (problem !== undefined) return Promise.reject(new LogError('INVALID_BATCH', problem, this.context()));
    const producer = producerInfoOf(header);
    return this.queue.run(async () => {
      this.assertWritable();
      const rejection = check({ producer, state: producer ? this.producers.get(producer.producerId) : undefined, logEndOffset: this.endOffset });
      if (rejection !== undefined) return { ok: false as const, rejection };

      const now = this.now();
      const baseOffset = this.endOffset;
      const lastOffset = baseOffset + header.lastOffsetDelta;
      await this.maybeRoll(batch.length, lastOffset, now);
      writeBaseOffset(batch, 0, baseOffset);
      if (options.leaderEpoch !== undefined) writePartitionLeaderEpoch(batch, 0, options.leaderEpoch);
      const logAppendTime = this.config.timestampType === 'LogAppendTime' ? now : -1;
      if (logAppendTime >= 0) stampLogAppendTime(batch, 0, logAppendTime);
      const maxTimestamp = logAppendTime >= 0 ? logAppendTime : header.maxTimestamp;

      const active = this.active;
      const sizeBefore = active.size;
      try {
        await active.append(batch, { baseOffset, lastOffset, maxTimestamp }, this.config.indexIntervalBytes);
        if (this.flusher.afterAppend(header.recordCount)) {
          await active.sync();
          this.flusher.flushed();
        }
      } catch (e) {
        throw this.fail(e, 'append failed', sizeBefore);
      }
      active.publish();
      this.endOffset = lastOffset + 1;
      if (producer) this.producers.update(producer, baseOffset, lastOffset, maxTimestamp);
      const appended: AppendedBatch = { baseOffset, lastOffset, logAppendTime, maxTimestamp, recordCount: header.recordCount, size: batch.length, logStartOffset: this.startOffset };
      for (const listener of this.listeners) {
        try {
          listener(appended);
        } catch {
          // A listener's bug must not turn a durable append into a failed one.
        }
      }
      return { ok: true as const, appended };
    });
  }

  /**
   * Whole batches from the one containing `fetchOffset`, up to `maxBytes`
   * but always at least one batch, from a single segment.
   */
  async read(fetchOffset: number, maxBytes: number): Promise<ReadResult> {
    this.assertOpen();
    const start = this.startOffset;
    const end = this.endOffset;
    if (fetchOffset < start || fetchOffset > end) return this.outOfRange(fetchOffset);
    const empty = { ok: true as const, records: Buffer.alloc(0), highWatermark: end, logStartOffset: start };
    if (fetchOffset === end) return empty;
    const segments = this.segments;
    for (let i = segmentIndexFor(segments, fetchOffset); i < segments.length; i++) {
      const segment = segments[i] as Segment;
      const release = segment.acquire();
      if (!release) continue;
      try {
        const first = await segment.findBatch(fetchOffset);
        if (first) return { ...empty, records: await segment.readBatches(first, maxBytes) };
      } catch (e) {
        throw storageError(e, 'read failed', { ...this.context(), offset: fetchOffset, file: segment.paths.log });
      } finally {
        await release();
      }
    }
    return empty;
  }

  /** The first batch (at or after the log start) with maxTimestamp >= `timestamp`, for ListOffsets by time. */
  async offsetForTimestamp(timestamp: number): Promise<TimestampOffset | undefined> {
    this.assertOpen();
    const start = this.startOffset;
    const segments = this.segments;
    for (let i = segmentIndexFor(segments, start); i < segments.length; i++) {
      const segment = segments[i] as Segment;
      if (segment.maxTimestamp < timestamp) continue;
      const release = segment.acquire();
      if (!release) continue;
      try {
        const b = await segment.findBatchByTimestamp(timestamp, start);
        if (b) return { offset: Math.max(b.header.baseOffset, start), timestamp: b.header.maxTimestamp };
      } finally {
        await release();
      }
    }
    return undefined;
  }

  /** fsync the active segment now. */
  flush(): Promise<void> {
    return this.queue.run(async () => {
      this.assertOpen();
      await this.flushActive();
      if (this.failure) throw this.failure;
    });
  }

  /** Deletes old segments per retentionMs / retentionBytes (never the active one); advances the log start offset. */
  enforceRetention(now: number = this.now()): Promise<RetentionResult> {
    return this.queue.run(async () => {
      this.assertOpen();
      const plan = planRetention(this.segments, this.config, now, this.startOffset);
      return this.deleteOldest(plan.deleteCount);
    });
  }

  /** Kafka's DeleteRecords: moves the log start offset up to `offset` (<= high watermark), deleting segments wholly below it. */
  deleteRecordsBefore(offset: number): Promise<DeleteRecordsResult> {
    return this.queue.run(async () => {
      this.assertWritable();
      if (offset < 0 || offset > this.endOffset) return this.outOfRange(offset);
      if (offset > this.startOffset) {
        this.startOffset = offset;
        await writeLogStartCheckpoint(this.path, offset);
        await this.deleteOldest(planRetention(this.segments, { retentionBytes: -1, retentionMs: -1 }, 0, offset).deleteCount);
      }
      return { ok: true as const, logStartOffset: this.startOffset };
    });
  }

  /**
   * Removes every batch from the one containing `offset` on (batches are
   * not split, so the new end may be below `offset`). Returns the new end.
   */
  truncateTo(offset: number): Promise<number> {
    return this.queue.run(async () => {
      this.assertWritable();
      if (offset >= this.endOffset) return this.endOffset;
      try {
        const keep = segmentIndexFor(this.segments, offset);
        const target = this.segments[keep] as Segment;
        const cut = await target.findBatch(offset);
        const dropped = this.segments.slice(keep + 1);
        this.segments = this.segments.slice(0, keep);
        await Promise.all(dropped.map((s) => s.retire({ removeFiles: true })));
        await target.retire({ removeFiles: false });
        if (cut) await truncate(target.paths.log, cut.position);
        const { segment } = await recoverSegment({ dir: this.path, baseOffset: target.baseOffset, indexIntervalBytes: this.config.indexIntervalBytes, writable: true, now: this.now() });
        this.segments = [...this.segments, segment];
        this.endOffset = segment.nextOffset;
        this.startOffset = Math.min(this.startOffset, this.endOffset);
        this.producers = (await restoreProducerState(this.path, this.segments, this.endOffset)).table;
        return this.endOffset;
      } catch (e) {
        throw this.fail(e, 'truncation failed');
      }
    });
  }

  /** Flushes, snapshots producer state and closes the files. Idempotent. */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.flusher.cancel();
      this.listeners.clear();
      try {
        if (!this.failure) {
          await this.active.sync();
          await writeProducerSnapshot(this.path, this.producers, this.endOffset);
        }
      } finally {
        // Retire rather than close: a read still in flight finishes on its open file.
        await Promise.all(this.segments.map((s) => s.retire({ removeFiles: false })));
      }
    });
  }

  /** Closes the log and removes its directory. */
  async drop(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(this.path, { recursive: true, force: true });
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1] as Segment;
  }

  private async maybeRoll(size: number, lastOffset: number, now: number): Promise<void> {
    const active = this.active;
    if (active.isEmpty) return;
    const full = active.size + size > this.config.segmentBytes;
    const old = now - active.createdAt >= this.config.segmentMs;
    const offsetOverflow = lastOffset - active.baseOffset > MAX_RELATIVE_OFFSET;
    if (!full && !old && !offsetOverflow) return;
    try {
      await active.seal();
      this.flusher.flushed();
      const next = await Segment.create(this.path, this.endOffset, now);
      this.segments = [...this.segments, next];
      await fsyncDir(this.path);
      await writeProducerSnapshot(this.path, this.producers, this.endOffset);
    } catch (e) {
      throw this.fail(e, 'segment roll failed');
    }
  }

  private async deleteOldest(count: number): Promise<RetentionResult> {
    const doomed = this.segments.slice(0, count);
    if (count > 0) {
      this.segments = this.segments.slice(count);
      this.startOffset = Math.max(this.startOffset, (this.segments[0] as Segment).baseOffset);
    }
    try {
      await Promise.all(doomed.map((s) => s.retire({ removeFiles: true })));
    } catch (e) {
      throw storageError(e, 'deleting old segments failed', this.context());
    }
    return { deletedSegments: count, deletedBytes: doomed.reduce((n, s) => n + s.size, 0), logStartOffset: this.startOffset };
  }

  private async flushActive(): Promise<void> {
    if (this.closed || this.failure) return;
    try {
      await this.active.sync();
      this.flusher.flushed();
    } catch (e) {
      this.fail(e, 'fsync failed');
    }
  }

  /** Records a storage failure: the partition takes no more appends until reopened (recovery cleans the tail). */
  private fail(e: unknown, detail: string, truncateActiveTo?: number): LogError {
    const error = storageError(e, detail, this.context());
    this.failure ??= error;
    // Best effort: recovery on the next open cuts a torn batch anyway; this also drops a whole but unacknowledged one.
    if (truncateActiveTo !== undefined) void truncate(this.active.paths.log, truncateActiveTo).catch(() => undefined);
    return error;
  }

  private outOfRange(fetchOffset: number): OffsetOutOfRange {
    return { ok: false, code: 'OFFSET_OUT_OF_RANGE', fetchOffset, logStartOffset: this.startOffset, logEndOffset: this.endOffset };
  }

  private assertOpen(): void {
    if (this.closed) throw new LogError('CLOSED', 'partition log is closed', this.context());
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.failure) throw new LogError('STORAGE_ERROR', `partition is offline after an earlier failure: ${this.failure.detail}`, this.context(), { cause: this.failure });
  }

  private context(): LogErrorContext {
    return { topic: this.topic, partition: this.partition };
  }
}
