/** The values PartitionLog takes and returns. */
import type { LogConfig } from './config.js';
import type { PartitionRecoveryReport } from './partition-recovery.js';
import type { BatchProducerInfo, ProducerState } from './producer-state.js';

export interface PartitionLogOptions {
  /** Data directory; the partition lives in `<dir>/<topic>-<partition>/`. */
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  /** Overrides of DEFAULT_LOG_CONFIG. */
  readonly config?: Partial<LogConfig>;
  /** Wall clock in ms (tests pass a fake one). */
  readonly now?: () => number;
}

export interface AppendOptions {
  /** Stamped into the batch's partitionLeaderEpoch (not covered by the CRC); left as sent when undefined. */
  readonly leaderEpoch?: number;
}

export interface AppendedBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** Append time in ms for LogAppendTime topics, -1 otherwise (what Kafka's ProduceResponse carries). */
  readonly logAppendTime: number;
  /** The batch's maxTimestamp as stored. */
  readonly maxTimestamp: number;
  readonly recordCount: number;
  /** Bytes of the batch. */
  readonly size: number;
  /** The partition's log start offset after the append (ProduceResponse v5+). */
  readonly logStartOffset: number;
}

/** What an append check sees: the batch's producer fields and the recorded state they must follow. */
export interface AppendCheckContext {
  readonly producer: BatchProducerInfo | undefined;
  readonly state: ProducerState | undefined;
  readonly logEndOffset: number;
}

/**
 * Runs inside the partition's append queue, after every earlier append has
 * landed; returning anything but undefined rejects the batch unwritten.
 */
export type AppendCheck<R> = (context: AppendCheckContext) => R | undefined;

export type CheckedAppendResult<R> =
  | { readonly ok: true; readonly appended: AppendedBatch }
  | { readonly ok: false; readonly rejection: R };

export interface OffsetOutOfRange {
  readonly ok: false;
  readonly code: 'OFFSET_OUT_OF_RANGE';
  readonly fetchOffset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

export interface ReadBatches {
  readonly ok: true;
  /**
   * Whole batches, the first one containing the fetch offset (so its
   * baseOffset may be lower, as in Kafka). Empty at the log end.
   */
  readonly records: Buffer;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

export type ReadResult = ReadBatches | OffsetOutOfRange;

export interface TimestampOffset {
  /** Base offset of the first batch whose maxTimestamp is at or after the timestamp asked for. */
  readonly offset: number;
  /** That batch's maxTimestamp. */
  readonly timestamp: number;
}

export interface RetentionResult {
  readonly deletedSegments: number;
  readonly deletedBytes: number;
  readonly logStartOffset: number;
}

export type DeleteRecordsResult = { readonly ok: true; readonly logStartOffset: number } | OffsetOutOfRange;

export type { PartitionRecoveryReport };
