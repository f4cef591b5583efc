/**
 * @lakestream/stream: exactly-once Kafka micro-batches into Delta tables.
 * A kafkajs consumer group, a trigger with record and byte caps, offsets
 * stored in each table's Delta txn (`<app-id>-<topic>-<partition>`),
 * fencing by compare-and-set on those txns, backpressure, metrics hooks.
 */
export { StreamEngine } from './engine.js';
export { StreamError, isStreamError, type StreamErrorCode, type StreamErrorContext } from './errors.js';
export type { SourceRecord, TopicPartition } from './record.js';
export { tpKey } from './record.js';
export {
  NONE, txnAppId, storedOffsets, storedOffset, needs, resumeOffset, isNewPartition, planTableCommit,
  type StoredOffsets, type PartitionRange, type TableCommitPlan,
} from './offsets.js';
export { RecordBuffer, rangesOf, type TakenBatch } from './buffer.js';
export type {
  BatchInput, BatchOutput, BatchReport, FenceReport, PartitionLag, Processor, ResumePoint, StreamHooks, StreamOptions,
  StreamSummary, StreamTable, TableCommitReport,
} from './types.js';
