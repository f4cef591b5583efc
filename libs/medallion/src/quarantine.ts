/**
 * Quarantine rows and their dead-letter messages. Rare path: one small
 * object per quarantined record or event, turned into the quarantine table
 * (`quarantineTable(source)`) and `telemetry-dlq` messages together, so
 * both always hold the same records.
 */
import { quarantineTable } from '@lakestream/schema';
import type { Table } from 'apache-arrow';
import { buildTable, microsOfMillis } from './columns.js';
import type { DlqMessage, QuarantineReasonCode, SourceRecord } from './types.js';

export interface QuarantineRow {
  readonly record: SourceRecord;
  readonly reasonCode: QuarantineReasonCode;
  readonly reason: string;
  /** Raw value: the record's bytes, or the event alone re-encoded when it was one of a frame. */
  readonly rawValue: Uint8Array;
  readonly eventIndex: number | null;
  readonly eventKey: string | null;
  readonly failedExpectations: readonly string[] | null;
  readonly observed: Record<string, unknown> | null;
}

/** DLQ header names (the shared contract). */
export const DLQ_HEADERS = {
  reasonCode: 'lakestream.reason.code',
  reason: 'lakestream.reason',
  topic: 'lakestream.source.topic',
  partition: 'lakestream.source.partition',
  offset: 'lakestream.source.offset',
  timestamp: 'lakestream.source.timestamp',
  /** Only for one event of a frame: its index in the frame. */
  eventIndex: 'lakestream.source.event.index',
} as const;

export function quarantineRows(source: string, rows: readonly QuarantineRow[], ingestedAtUs: bigint): Table {
  const r = (k: number): QuarantineRow => rows[k] as QuarantineRow;
  return buildTable(quarantineTable(source).schema, rows.length, {
    reason_code: (k) => r(k).reasonCode,
    reason: (k) => r(k).reason,
    raw_key: (k) => r(k).record.key,
    raw_value: (k) => r(k).rawValue,
    event_index: (k) => r(k).eventIndex,
    event_key: (k) => r(k).eventKey,
    failed_expectations: (k) => (r(k).failedExpectations ? JSON.stringify(r(k).failedExpectations) : null),
    observed: (k) => (r(k).observed ? JSON.stringify(r(k).observed) : null),
    kafka_topic: (k) => r(k).record.topic,
    kafka_partition: (k) => r(k).record.partition,
    kafka_offset: (k) => r(k).record.offset,
    kafka_timestamp: (k) => microsOfMillis(r(k).record.timestamp),
    ingested_at: () => ingestedAtUs,
  });
}

export function dlqMessage(row: QuarantineRow): DlqMessage {
  const rec = row.record;
  const headers: Record<string, string> = {
    [DLQ_HEADERS.reasonCode]: row.reasonCode,
    [DLQ_HEADERS.reason]: row.reason,
    [DLQ_HEADERS.topic]: rec.topic,
    [DLQ_HEADERS.partition]: String(rec.partition),
    [DLQ_HEADERS.offset]: rec.offset.toString(),
    [DLQ_HEADERS.timestamp]: rec.timestamp.toString(),
  };
  if (row.eventIndex !== null) headers[DLQ_HEADERS.eventIndex] = String(row.eventIndex);
  return { key: rec.key, value: row.rawValue, headers };
}
