/**
 * @lakestream/medallion: the telemetry transforms. Kafka records of one
 * micro-batch → bronze, silver, quarantine and validation-result Arrow
 * tables (column-wise), dead letters and the F1 enriched re-stream. Each
 * record's fate depends only on the record (and the dedup/session state),
 * so replays with other batch boundaries write the same rows. Pure: no
 * Kafka client, no file I/O.
 */
export type { SourceRecord, LogicalTable, QuarantineReasonCode, TransformContext, TransformResult, TransformCounts, DlqMessage, EnrichedMessage } from './types.js';
export { transformF1, f1EventKey, F1_KEY_COLUMNS } from './f1.js';
export { transformSatellite, SATELLITE_KEY_COLUMNS } from './satellite.js';
export { DedupIndex, DEFAULT_DEDUP_MAX_ENTRIES, DEFAULT_DEDUP_WINDOW_MS, type Coordinate, type DedupOptions, type DedupVerdict } from './dedup.js';
export { SessionDirectory, encodeSessionJson, type SessionApplyResult } from './sessions.js';
export { DLQ_HEADERS } from './quarantine.js';
export { ROW_LOCAL, decides, isFresh, freshnessRule, type FreshnessRule } from './verdict.js';
export { LOGICAL_TABLES } from './tables.js';
export { MedallionError, isMedallionError, type MedallionErrorCode, type MedallionErrorContext } from './errors.js';
