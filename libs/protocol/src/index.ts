/**
 * @lakestream/protocol: the Kafka wire protocol for lakestream's embedded
 * broker. Frames in, typed requests out; typed responses in, frames out;
 * record batch v2 with CRC-32C. No I/O: sockets live in the broker app.
 * int64 fields are `bigint` throughout.
 */
export {
  ProtocolError,
  isProtocolError,
  kafkaErrorCodeFor,
  type ProtocolErrorCode,
  type ProtocolErrorContext,
} from './errors.js';

// Primitives
export { Reader, type ReaderOptions, type TaggedFieldHandler } from './primitives/reader.js';
export { Writer, uvarintSize, type WriterOptions } from './primitives/writer.js';
export { ZERO_UUID, uuidFromBytes, uuidToBytes } from './primitives/uuid.js';

// Framing, headers, keys, error codes
export { FRAME_SIZE_BYTES, readFrameSize } from './protocol/framing.js';
export {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  peekRequestHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeader,
  type RequestHeaderVersion,
  type ResponseHeaderVersion,
} from './protocol/header.js';
export { API_KEYS, apiNameOf, isFlexibleVersion, type ApiKey, type ApiName } from './protocol/api-keys.js';
export { ERROR_CODES, RETRIABLE_ERROR_CODES, errorName, type ErrorCode, type ErrorName } from './protocol/error-codes.js';

// Dispatch
export type { ApiCodec } from './protocol/api-codec.js';
export {
  API_CODECS,
  SUPPORTED_APIS,
  codecFor,
  isSupportedApiKey,
  type ApiMessages,
  type RequestBody,
  type ResponseBody,
  type SupportedApi,
} from './protocol/registry.js';
export {
  decodeRequest,
  decodeRequestOrThrow,
  encodeRequest,
  type DecodeRequestOptions,
  type DecodeRequestResult,
  type KafkaRequest,
} from './protocol/requests.js';
export {
  apiVersionsResponseBody,
  decodeResponse,
  encodeApiVersionsFallbackResponse,
  encodeResponse,
  type DecodedResponse,
  type EncodeResponseOptions,
} from './protocol/responses.js';

// Per-API codecs and types
export * from './apis/api-versions.js';
export * from './apis/create-topics.js';
export * from './apis/delete-topics.js';
export * from './apis/describe-groups.js';
export * from './apis/fetch.js';
export * from './apis/find-coordinator.js';
export * from './apis/heartbeat.js';
export * from './apis/init-producer-id.js';
export * from './apis/join-group.js';
export * from './apis/leave-group.js';
export * from './apis/list-groups.js';
export * from './apis/list-offsets.js';
export * from './apis/metadata.js';
export * from './apis/offset-commit.js';
export * from './apis/offset-fetch.js';
export * from './apis/produce.js';
export * from './apis/sync-group.js';

// Record batches
export { crc32c } from './records/crc32c.js';
export {
  BATCH_ATTRIBUTES,
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSETS,
  CURRENT_MAGIC,
  batchSizeAt,
  computeBatchCrc,
  lastOffsetOf,
  readBatchHeader,
  scanBatches,
  setBatchBaseOffset,
  setBatchLogAppendTime,
  setBatchPartitionLeaderEpoch,
  verifyBatchCrc,
  writeBatchCrc,
  type BatchScan,
  type BatchSpan,
  type RecordBatchHeader,
  type ScanOptions,
} from './records/batch-header.js';
export type { KafkaRecord, RecordHeader, RecordInput } from './records/record.js';
export {
  decodeRecordBatch,
  decodeRecordBatches,
  encodeRecordBatch,
  type DecodeBatchOptions,
  type DecodedBatches,
  type RecordBatch,
  type RecordBatchInput,
  type TimestampType,
} from './records/batch.js';

// Compression
export {
  COMPRESSION_CODECS,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  compress,
  compressionCodecName,
  decompress,
  type CompressOptions,
  type CompressionCodec,
  type DecompressOptions,
} from './compression/codecs.js';
export { snappyCompress, snappyDecompress } from './compression/snappy.js';
export { isXerialFramed, xerialCompress, xerialDecompress } from './compression/xerial.js';
