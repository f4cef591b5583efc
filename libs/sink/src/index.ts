/**
 * @lakestream/sink — Delta Lake tables: Parquet data files written from
 * Arrow through parquet-wasm, and the `_delta_log` transaction log.
 */
export { DeltaTable, type WriteResult } from './table/delta-table.js';
export type { AppendPipeline, PipelineOptions } from './table/append-pipeline.js';
export type { AppendOptions, CreateOptions, OverwriteOptions, TxnId, VersionSelector, WriteFileOptions } from './table/options.js';
export type { ExpectedTxn } from './table/txn-fence.js';
export type { ReadOptions, FilePredicate } from './table/read.js';
export { selectFiles } from './table/read.js';
export type { CommitOptions, CommitResult, PreparedCommit } from './table/commit.js';

export { LocalFileStore } from './storage/local-file-store.js';
export type { FileInfo, LogStore, PutIfAbsentResult } from './storage/log-store.js';

export type {
  Action, AddAction, CommitInfoAction, MetadataAction, ProtocolAction, RemoveAction, TxnAction,
} from './log/actions.js';
export { commitPath, encodeCommit, parseCommit, parseLogFileName, LOG_DIR } from './log/commit-file.js';
export { loadSnapshot, type CommitRecord, type LoadOptions, type Snapshot } from './log/snapshot.js';
export { readHistory, versionAtTimestamp } from './log/history.js';
export { writeCheckpoint } from './log/checkpoint-write.js';
export { readLastCheckpoint, type LastCheckpoint } from './log/last-checkpoint.js';

export {
  SinkError, StorageError, DeltaLogError, UnsupportedProtocolError, CommitConflictError, SchemaMismatchError, isSinkError,
  type SinkErrorCode, type SinkErrorContext, type ConflictReason,
} from './errors.js';

export {
  arrowToDeltaSchema, deltaToArrowSchema, parseSchemaString, schemaToString,
  type DeltaStructType, type DeltaField, type DeltaDataType,
} from './schema/delta-schema.js';
export { mergeSchemas, type MergeSchemaResult } from './schema/merge.js';
export {
  DeltaDataError, UnsupportedTypeError, InvalidSchemaError, InvalidPartitionValueError, ParquetError, DataSchemaMismatchError,
} from './data/errors.js';
export type { Predicate, ColumnPredicate, PredicateValue } from './data/skipping.js';

// Maintenance: optimize (compaction), vacuum, log cleanup, on-demand checkpoints.
export { optimize, type OptimizeOptions, type OptimizeResult } from './maintenance/optimize.js';
export { planOptimize, type OptimizeBin, type OptimizePlan, type PartitionFilter } from './maintenance/optimize-plan.js';
export { vacuum, type VacuumOptions, type VacuumResult } from './maintenance/vacuum.js';
export { cleanupLog, planLogCleanup, type CleanupLogOptions, type CleanupLogResult, type LogCleanupPlan } from './maintenance/log-cleanup.js';
export { checkpoint, type CheckpointResult } from './maintenance/checkpoint.js';
export { RetentionTooShortError, DEFAULT_VACUUM_RETENTION_HOURS, DEFAULT_LOG_RETENTION_HOURS } from './maintenance/retention.js';

export { runDelta } from './cli/run.js';
export type { CliIo } from './cli/io.js';

// Merges and schema-replacing overwrites: one commit with explicit removes, adds and txn ids; file changes between versions.
export { rewriteFiles, filesChangedSince, type RewriteOptions, type FileChanges } from './table/rewrite.js';
export { warmEncoderThreads } from './data/write.js';
