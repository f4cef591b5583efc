import type { Schema, Table } from 'apache-arrow';
import type { DeltaTable } from '@lakestream/sink';
import type { Kafka } from 'kafkajs';
import type { PartitionRange } from './offsets.js';
import type { SourceRecord, TopicPartition } from './record.js';

/** A Delta table the engine commits to, exactly once per Kafka partition. */
export interface StreamTable {
  /** Logical name the processor keys its output by (e.g. `f1.bronze`). */
  readonly name: string;
  readonly table: DeltaTable;
  /** Arrow schema of the table's rows (a batch without rows for it commits its txns with zero rows of this schema). */
  readonly schema: Schema;
  /** Topics whose partitions this table records a txn for (default: every topic of the stream). */
  readonly topics?: readonly string[];
}

/** What a processor sees of one micro-batch. */
export interface BatchInput {
  readonly batchId: number;
  /** The batch's records, each partition's in offset order. */
  readonly records: readonly SourceRecord[];
  readonly ranges: readonly PartitionRange[];
  /** True when table `name` does not hold `record` yet (its offset is above the table's stored one). */
  needs(table: string, record: SourceRecord): boolean;
  /** Aborted when the engine is stopped a second time: give up and return quickly. */
  readonly signal: AbortSignal;
}

/** What a processor returns: rows per table, and side effects around the commits. */
export interface BatchOutput {
  /** Rows per logical table name; a table absent here still records its txns (zero rows). */
  readonly tables: ReadonlyMap<string, Table>;
  /** Runs before any table commits. */
  readonly beforeCommit?: () => Promise<void>;
  /**
   * Side effects started when the commits start; each table named in `before`
   * commits only once it succeeded (e.g. dead letters before the quarantine
   * table: a crash in between re-publishes them on replay, at least once).
   */
  readonly sideEffects?: readonly { readonly before: readonly string[]; readonly run: () => Promise<void> }[];
  /** Runs once every table committed (e.g. a re-stream). */
  readonly afterCommit?: () => Promise<void>;
}

/** Where one partition resumes, and why. */
export interface ResumePoint extends TopicPartition {
  /** Next offset to read. */
  readonly offset: number;
  /** Each table's stored offset (-1: none). */
  readonly tables: readonly { readonly name: string; readonly stored: number }[];
  /** True when no table has stored anything: `startingOffsets` decided. */
  readonly isNew: boolean;
}

/** The caller's transform: knows the records and tables, not Kafka. */
export interface Processor {
  process(input: BatchInput): Promise<BatchOutput>;
  /**
   * Partitions this engine now reads (after an assignment, or again after a
   * fence), before any of their records is processed: rebuild per-partition
   * state (e.g. dedup) here.
   */
  onAssigned?(points: readonly ResumePoint[]): Promise<void>;
  /** Partitions this engine no longer reads. */
  onRevoked?(partitions: readonly TopicPartition[]): void;
}

export interface TableCommitReport {
  readonly name: string;
  readonly rows: number;
  /** Delta version after the commit (unchanged when skipped). */
  readonly version: number;
  /** Nothing to record: the table already held every offset of the batch. */
  readonly skipped: boolean;
  /** Committed txns with no rows. */
  readonly txnOnly: boolean;
  readonly commitSeconds: number;
  readonly checkpoint: boolean;
}

export interface PartitionLag extends TopicPartition {
  readonly highWatermark: bigint;
  /** Last offset every table holds (-1: none). */
  readonly committed: number;
  /** Records not yet in every table: highWatermark − committed − 1. */
  readonly lag: number;
}

export interface BatchReport {
  readonly batchId: number;
  readonly records: number;
  readonly bytes: number;
  readonly ranges: readonly PartitionRange[];
  readonly startedAt: Date;
  readonly durationSeconds: number;
  readonly processSeconds: number;
  readonly tables: readonly TableCommitReport[];
  readonly lag: readonly PartitionLag[];
}

export interface FenceReport {
  readonly batchId: number;
  readonly table: string;
  readonly detail: string;
  /** Partitions of the refused batch: all re-read from what the tables hold. */
  readonly partitions: readonly TopicPartition[];
}

export interface StreamHooks {
  onResume?(points: readonly ResumePoint[]): void;
  onBatch?(report: BatchReport): void;
  onFenced?(report: FenceReport): void;
  /** Diagnostic lines (rebalances, dropped records). */
  onLog?(message: string): void;
}

export interface StreamOptions {
  /** A kafkajs client; the engine makes its consumer and admin from it. */
  readonly kafka: Kafka;
  /** The app id: the consumer group id and the prefix of every txn appId. */
  readonly appId: string;
  readonly topics: readonly string[];
  /** Tables in commit order. */
  readonly tables: readonly StreamTable[];
  readonly processor: Processor;
  /** Trigger interval in ms (default 5000). */
  readonly triggerMs?: number;
  /** Records per micro-batch at most (default 10,000). */
  readonly maxOffsetsPerTrigger?: number;
  /** Bytes (keys + values) per micro-batch, about (default 64 MiB). */
  readonly maxBytesPerTrigger?: number;
  /** Process what is available at start, then stop (Spark's AvailableNow). */
  readonly once?: boolean;
  /**
   * End (reason `idle`) once every assigned partition's tables hold all the
   * fetch has seen up to the high watermark and no record arrived for this
   * long: a run that drains a finished producer and exits.
   */
  readonly idleTimeoutMs?: number;
  /** Where a partition the app id never wrote starts (default earliest). */
  readonly startingOffsets?: 'earliest' | 'latest';
  /** Fetching pauses once this many batches' worth of records are buffered (default 2). */
  readonly bufferedBatches?: number;
  /** Commit Kafka offsets after each Delta commit, for lag tools (default true; informational only). */
  readonly commitKafkaOffsets?: boolean;
  /**
   * Assert each table's txn versions on commit (default true). False is
   * unsafe — a zombie's batch can then duplicate rows — and exists only so
   * tests can show what fencing prevents.
   */
  readonly fencing?: boolean;
  /** kafkajs consumer settings (sessionTimeout, heartbeatInterval, maxBytes, …). */
  readonly consumer?: {
    readonly sessionTimeout?: number;
    readonly rebalanceTimeout?: number;
    readonly heartbeatInterval?: number;
    readonly maxBytesPerPartition?: number;
    readonly maxBytes?: number;
    readonly maxWaitTimeInMs?: number;
  };
  readonly hooks?: StreamHooks;
}

export interface StreamSummary {
  readonly batches: number;
  readonly records: number;
  readonly rowsByTable: Readonly<Record<string, number>>;
  readonly fences: number;
  /** Why the engine ended. */
  readonly reason: 'caught-up' | 'idle' | 'stopped' | 'abandoned' | 'failed';
  readonly error?: unknown;
}
