import type { Table } from 'apache-arrow';
import type { DedupIndex } from './dedup.js';
import type { SessionDirectory } from './sessions.js';

/** A Kafka record as the engine hands it over (the shared structural contract). */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset. */
  readonly offset: bigint;
  /** Kafka timestamp, epoch ms. */
  readonly timestamp: bigint;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Readonly<Record<string, string>>;
  /** key + value bytes. */
  readonly size: number;
}

/** The logical tables of one source (catalog paths in `LOGICAL_TABLES`). */
export type LogicalTable = 'bronze' | 'silver' | 'quarantine' | 'validation';

/** Why a record or event went to quarantine. */
export type QuarantineReasonCode =
  | 'TRUNCATED'
  | 'BAD_MAGIC'
  | 'UNKNOWN_SCHEMA'
  | 'INVALID_BUFFER'
  | 'INVALID_EVENT'
  | 'EXPECTATION_FAILED'
  | 'DUPLICATE'
  | 'UNKNOWN_SESSION';

export interface TransformContext {
  /** Does `table` still need `record` (offset above the table's stored txn version for its partition)? */
  needs(table: LogicalTable, record: SourceRecord): boolean;
  /** One instant per batch: the `ingested_at` of every row and the validation results' run time. */
  readonly ingestedAt: Date;
  readonly batchId: bigint | number;
  /** The run id in validation results, e.g. `f1-telemetry batch 42`. */
  readonly runId: string;
  /** Per source, kept by the caller across batches (seeded from silver at start). */
  readonly dedup: DedupIndex;
  /** F1 only: the latest F1Session per session_id. */
  readonly sessions?: SessionDirectory;
}

export interface DlqMessage {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers: Record<string, string>;
}

/**
 * One `f1-telemetry-enriched` message per input record with silver events, in
 * the record's shape: a single-event record is re-published as its own bytes;
 * a frame as a frame of its silver events (codec `encodeF1Frame`, events in
 * frame order; duplicates and quarantined events left out). A replay builds the
 * same messages, so consumers can dedup on the key.
 */
export interface EnrichedMessage {
  /** The event key text `session_id/car_number/event_id` of the message's (first) event, UTF-8. */
  readonly key: Uint8Array;
  /** A single-event FlatBuffers message, or a frame of several events. */
  readonly value: Uint8Array;
}

export interface TransformCounts {
  /** Records handed in. */
  consumed: number;
  /** Records that decoded. */
  decoded: number;
  /** Events decoded (bronze-bound events; a frame counts its events). */
  events: number;
  /** Bronze-bound events (= events). */
  bronze: number;
  /** Silver-bound events. */
  silver: number;
  /** Quarantine rows by reason code (a decode failure is one row per record, others one per event). */
  quarantined: Partial<Record<QuarantineReasonCode, number>>;
  /** = quarantined.DUPLICATE. */
  duplicates: number;
}

/**
 * The outcome of one micro-batch. Counts describe the fate of every record
 * handed in; tables and messages hold only what each table still needs.
 */
export interface TransformResult {
  /** Only tables with rows. */
  readonly tables: { bronze?: Table; silver?: Table; quarantine?: Table; validation?: Table };
  /** Quarantined records the `quarantine` table needs, for `telemetry-dlq`. */
  readonly dlq: DlqMessage[];
  /** F1 only: silver rows the `silver` table needs, for `f1-telemetry-enriched`. */
  readonly enriched: EnrichedMessage[];
  readonly counts: TransformCounts;
  /** Event times (epoch ms) of the silver rows written (what `silver` needs), for the end-to-end latency metric. */
  readonly silverEventTimesMs: Float64Array;
}
