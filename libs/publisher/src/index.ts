/**
 * @lakestream/publisher: a batching, idempotent Kafka publisher on kafkajs,
 * with gzip and (pure-JS) snappy compression.
 */
export { BatchingPublisher, type BatchInfo, type PublisherHooks, type PublisherStats } from './batching-publisher.js';
export {
  BrokerUnreachableError,
  IdempotenceUnavailableError,
  isPublisherError,
  PublishError,
  PublisherClosedError,
  PublisherError,
  PublisherOptionsError,
  type PublisherErrorCode,
  type PublisherErrorContext,
} from './errors.js';
export type { BatchSink, OutgoingMessage } from './kafka-sink.js';
export {
  PUBLISHER_DEFAULTS,
  resolvePublisherOptions,
  type CompressionName,
  type PublisherLogEntry,
  type PublisherLogLevel,
  type PublisherOptions,
  type ResolvedPublisherOptions,
} from './options.js';
export { isXerialFramed, registerSnappyCodec, snappyCodec, snappyCompress, snappyDecompress, xerialFrame } from './snappy.js';
export { publishAcked, type EnsureTopicOptions, type PublishAckedResult, type TopicRecord } from './topic-writer.js';
export { keyPartition, murmur2, murmur2Partitioner } from './murmur2.js';
