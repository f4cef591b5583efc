import { Bool, Field, Schema } from 'apache-arrow';
import { arrowFields, col } from './arrow.js';
import { F1_COMMON_FIELDS, F1_EVENT_TYPES, F1_PAYLOAD_FIELDS } from './f1.js';
import { SatelliteSample } from './satellite.js';

/** A catalog table: where it lives under the Delta root, its Arrow schema and partitioning. */
export interface TableSpec {
  /** Path relative to the Delta root (`data/delta-tables`). */
  readonly path: string;
  readonly description: string;
  readonly schema: Schema;
  readonly partitionColumns: readonly string[];
}

/** Where each row came from in Kafka: lineage for every table that ingests a topic. */
const kafkaLineage = (): Field[] => [
  col.string('kafka_topic'),
  col.int32('kafka_partition'),
  col.int64('kafka_offset'),
  col.timestamp('kafka_timestamp'),
  col.timestamp('ingested_at'),
];

const satelliteFields = arrowFields(SatelliteSample.shape);

/** Every F1 payload field, flattened and nullable: a row carries the fields of its own event type. */
const f1PayloadFields = F1_EVENT_TYPES.flatMap((type) => arrowFields(F1_PAYLOAD_FIELDS[type], { nullable: true }));

const f1CommonFields = arrowFields(F1_COMMON_FIELDS);

export const TABLES = {
  satelliteRaw: {
    path: 'satellite-data-raw',
    description: 'Satellite samples as received from sat-data (the seed table), one row per sample.',
    schema: new Schema([...satelliteFields, col.timestamp('event_time'), ...kafkaLineage()]),
    partitionColumns: [],
  },
  f1Bronze: {
    path: 'bronze/telemetry_events',
    description: 'F1 events as received from f1-telemetry: common fields plus the payload as JSON.',
    schema: new Schema([
      ...f1CommonFields,
      col.timestamp('event_time'),
      col.string('event_type'),
      col.string('payload'),
      col.int32('schema_id'),
      col.date('session_date'),
      ...kafkaLineage(),
    ]),
    partitionColumns: ['session_date', 'event_type'],
  },
  f1Silver: {
    path: 'silver/telemetry_enriched',
    description: 'F1 events deduplicated, validated and flattened, with session context denormalized.',
    schema: new Schema([
      ...f1CommonFields,
      col.timestamp('event_time'),
      col.string('event_type'),
      col.string('session_type'),
      col.string('track'),
      col.date('session_date'),
      ...f1PayloadFields,
      col.int32('kafka_partition'),
      col.int64('kafka_offset'),
      col.timestamp('ingested_at'),
    ]),
    partitionColumns: ['session_date', 'car_number'],
  },
  satelliteSilver: {
    path: 'silver/satellite_samples',
    description: 'Satellite samples validated and typed, with event time and ingest latency.',
    schema: new Schema([
      ...satelliteFields,
      col.timestamp('event_time'),
      col.timestamp('kafka_timestamp'),
      col.int32('kafka_partition'),
      col.int64('kafka_offset'),
      col.timestamp('ingested_at'),
    ]),
    partitionColumns: [],
  },
  validationResults: {
    path: 'quality/validation_results',
    description:
      'One row per (micro-batch, suite): the verdict of libs/quality validate() and its stored result JSON, for Data Docs and gold/pipeline_quality.',
    schema: new Schema([
      col.string('run_id'),
      col.string('suite_name'),
      col.string('suite_hash'),
      col.string('source'),
      col.int64('batch_id'),
      col.timestamp('run_at'),
      col.int64('row_count'),
      col.int64('passed_rows'),
      new Field('success', new Bool(), false),
      col.string('result_json'),
    ]),
    // Both consumers (satellite, f1) append here concurrently: one partition
    // per source keeps their files apart (optimize, file skipping for the
    // per-source Data Docs and gold/pipeline_quality) at two partitions only.
    partitionColumns: ['source'],
  },
} as const satisfies Record<string, TableSpec>;

/**
 * Quarantine table for a source: the reason, the raw bytes and where they came from.
 * - `reason_code`: a CodecError code (`TRUNCATED`, `BAD_MAGIC`, `UNKNOWN_SCHEMA`,
 *   `INVALID_BUFFER`, `INVALID_EVENT`), `EXPECTATION_FAILED`, `DUPLICATE` or `UNKNOWN_SESSION`.
 * - `raw_value`: the Kafka value byte for byte when the whole record is quarantined
 *   (decode failures, single-event messages); for one event of a frame, that event alone
 *   re-encoded as a single-event message, `event_index` saying where it was in the frame.
 * - `event_key`: the event's dedup key (`session_id/car/event_id`, `satellite/timestamp_ns`), null when undecodable.
 * - `failed_expectations`: JSON array of the failed `error` expectation names; `observed`: JSON
 *   object expectation name → the row's values of its columns. Null unless `EXPECTATION_FAILED`.
 */
export function quarantineTable(source: string): TableSpec {
  return {
    path: `quarantine/${source}`,
    description: `Records of ${source} that failed decoding or expectations, kept byte for byte.`,
    schema: new Schema([
      col.string('reason_code'),
      col.string('reason'),
      col.binary('raw_key', true),
      col.binary('raw_value'),
      col.int32('event_index', true),
      col.string('event_key', true),
      col.string('failed_expectations', true),
      col.string('observed', true),
      ...kafkaLineage(),
    ]),
    partitionColumns: [],
  };
}
