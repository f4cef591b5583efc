/**
 * @lakestream/log: durable storage for the embedded Kafka-protocol broker.
 * Per-partition segment files of record batches v2 with a sparse index,
 * crash recovery of the tail, a configurable flush policy, retention by
 * size and time, idempotent-producer state, topic metadata and committed
 * consumer-group offsets. Batches are opaque bytes except for their header.
 */
export { LogError, isLogError, type LogErrorCode, type LogErrorContext } from './errors.js';
export {
  DEFAULT_LOG_CONFIG,
  fromKafkaTopicConfig,
  resolveLogConfig,
  toKafkaTopicConfig,
  type FlushPolicy,
  type KafkaConfigResult,
  type LogConfig,
  type TimestampType,
} from './config.js';

// One partition
export { PartitionLog } from './partition-log.js';
export type {
  AppendCheck,
  AppendCheckContext,
  AppendedBatch,
  AppendOptions,
  CheckedAppendResult,
  DeleteRecordsResult,
  OffsetOutOfRange,
  PartitionLogOptions,
  PartitionRecoveryReport,
  ReadBatches,
  ReadResult,
  RetentionResult,
  TimestampOffset,
} from './partition-types.js';
export type { SegmentRecoveryReport } from './segment-recovery.js';
export type { ProducerRestoreReport } from './producer-snapshots.js';
export { incrementSequence, PRODUCER_BATCHES_KEPT, type BatchProducerInfo, type ProducerBatch, type ProducerState } from './producer-state.js';

// All topics of a data directory
export {
  LogManager,
  type CreateTopicResult,
  type DeleteTopicResult,
  type LogManagerOptions,
  type RetentionSummary,
  type TopicDescription,
} from './log-manager.js';
export { checkTopicName, type TopicMetadata } from './topic-metadata.js';

// Committed consumer-group offsets
export { OFFSETS_FILE, OffsetStore, type OffsetCommit, type OffsetStoreOptions, type OffsetStoreRecovery } from './offset-store.js';
export type { CommittedOffset, StoredGroup, StoredGroupMember, StoredGroupProtocol } from './offset-records.js';
