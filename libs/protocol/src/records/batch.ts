import { compress, compressionCodecName, decompress, type CompressionCodec, COMPRESSION_CODECS } from '../compression/codecs.js';
import { ProtocolError } from '../errors.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import {
  BATCH_ATTRIBUTES,
  BATCH_HEADER_SIZE,
  BATCH_OFFSETS,
  CURRENT_MAGIC,
  readBatchHeader,
  scanBatches,
  type RecordBatchHeader,
} from './batch-header.js';
import { crc32c } from './crc32c.js';
import { readRecord, writeRecord, type KafkaRecord, type RecordInput } from './record.js';

export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** A decoded record batch: its header, the attribute bits spelled out, and its records. */
export interface RecordBatch extends RecordBatchHeader {
  readonly compression: CompressionCodec;
  readonly timestampType: TimestampType;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
  readonly records: readonly KafkaRecord[];
}

export interface DecodeBatchOptions {
  /** Check the CRC before decoding (default true); a mismatch is `CORRUPT_BATCH`. */
  readonly verifyCrc?: boolean;
  /** Ceiling for the decompressed records of one batch (default `DEFAULT_MAX_DECOMPRESSED_BYTES`). */
  readonly maxDecompressedBytes?: number;
}

/**
 * Decodes the complete batch at `offset`. Everything wrong inside the batch
 * (bad record lengths, CRC, compressed data) is `CORRUPT_BATCH`, which a
 * broker answers with CORRUPT_MESSAGE; an incomplete batch is `TRUNCATED`.
 */
export function decodeRecordBatch(bytes: Uint8Array, offset = 0, options: DecodeBatchOptions = {}): RecordBatch {
  const header = readBatchHeader(bytes, offset);
  const size = header.batchLength + 12;
  if (offset + size > bytes.length) {
    throw new ProtocolError('TRUNCATED', `record batch of ${size} bytes with ${bytes.length - offset} left`, { byteOffset: offset });
  }
  const end = offset + size;
  if ((options.verifyCrc ?? true) && crc32c(bytes, offset + BATCH_OFFSETS.attributes, end) !== header.crc) {
    throw new ProtocolError('CORRUPT_BATCH', 'record batch CRC-32C mismatch', { byteOffset: offset });
  }
  const compression = compressionCodecName(header.attributes & BATCH_ATTRIBUTES.compressionMask);
  if (header.recordCount < 0) {
    throw new ProtocolError('CORRUPT_BATCH', `record count ${header.recordCount}`, { byteOffset: offset + BATCH_OFFSETS.recordCount });
  }
  let payload = bytes.subarray(offset + BATCH_HEADER_SIZE, end);
  let payloadOffset = offset + BATCH_HEADER_SIZE;
  if (compression !== 'none') {
    payload = decompress(compression, payload, { maxBytes: options.maxDecompressedBytes });
    payloadOffset = 0;
  }
  const r = new Reader(payload);
  const records = new Array<KafkaRecord>(header.recordCount);
  try {
    if (header.recordCount > payload.length) {
      throw new ProtocolError('CORRUPT_BATCH', `${header.recordCount} records in ${payload.length} bytes`);
    }
    for (let i = 0; i < header.recordCount; i++) records[i] = readRecord(r, header.baseOffset, header.baseTimestamp);
    if (r.remaining !== 0) throw new ProtocolError('CORRUPT_BATCH', `${r.remaining} bytes after the last record`, { byteOffset: r.offset });
  } catch (cause) {
    if (!(cause instanceof ProtocolError)) throw cause;
    // Inside a batch every structural problem is corruption of that batch.
    const at = (cause.context.byteOffset ?? r.offset) + payloadOffset;
    throw new ProtocolError('CORRUPT_BATCH', cause.detail, { byteOffset: at, compression: COMPRESSION_CODECS[compression] }, { cause });
  }
  return {
    ...header,
    compression,
    timestampType: header.attributes & BATCH_ATTRIBUTES.logAppendTime ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (header.attributes & BATCH_ATTRIBUTES.transactional) !== 0,
    isControl: (header.attributes & BATCH_ATTRIBUTES.control) !== 0,
    records,
  };
}

export interface DecodedBatches {
  readonly batches: RecordBatch[];
  /** Bytes of a trailing incomplete batch (Fetch responses may cut the last batch short). */
  readonly partialBytes: number;
}

/** Decodes every complete batch in a `records` field, tolerating a partial trailing batch. */
export function decodeRecordBatches(records: Uint8Array, options: DecodeBatchOptions = {}): DecodedBatches {
  const scan = scanBatches(records);
  return {
    batches: scan.batches.map((span) => decodeRecordBatch(records, span.offset, options)),
    partialBytes: scan.partialBytes,
  };
}

/** What a caller supplies to encode a batch; everything but `records` has the defaults a non-idempotent producer uses. */
export interface RecordBatchInput {
  readonly records: readonly RecordInput[];
  readonly baseOffset?: bigint;
  /** Default -1 (what producers send; the broker stamps its own). */
  readonly partitionLeaderEpoch?: number;
  readonly compression?: CompressionCodec;
  /** snappy only: xerial framing as the Java client writes it (default: raw block, as librdkafka). */
  readonly xerial?: boolean;
  readonly timestampType?: TimestampType;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
  /** Defaults to the first record's timestamp, else the current time. */
  readonly baseTimestamp?: bigint;
  /** Defaults to the largest record timestamp. */
  readonly maxTimestamp?: bigint;
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
}

export function encodeRecordBatch(input: RecordBatchInput): Uint8Array {
  const records = input.records;
  const first = records[0];
  const baseTimestamp = input.baseTimestamp ?? first?.timestamp ?? BigInt(Date.now());
  const codec = input.compression ?? 'none';

  const body = new Writer({ initialCapacity: 64 + records.reduce((n, r) => n + 16 + (r.key?.length ?? 0) + (r.value?.length ?? 0), 0) });
  let maxTimestamp = baseTimestamp;
  let lastOffsetDelta = 0;
  records.forEach((record, i) => {
    const timestamp = record.timestamp ?? baseTimestamp;
    const offsetDelta = record.offsetDelta ?? i;
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    if (offsetDelta > lastOffsetDelta) lastOffsetDelta = offsetDelta;
    writeRecord(body, record, offsetDelta, timestamp - baseTimestamp);
  });
  const payload = compress(codec, body.finish(), { xerial: input.xerial ?? false });

  let attributes = COMPRESSION_CODECS[codec];
  if (input.timestampType === 'LogAppendTime') attributes |= BATCH_ATTRIBUTES.logAppendTime;
  if (input.isTransactional) attributes |= BATCH_ATTRIBUTES.transactional;
  if (input.isControl) attributes |= BATCH_ATTRIBUTES.control;

  const w = new Writer({ initialCapacity: BATCH_HEADER_SIZE + payload.length });
  w.int64(input.baseOffset ?? 0n);
  w.int32(BATCH_HEADER_SIZE - 12 + payload.length);
  w.int32(input.partitionLeaderEpoch ?? -1);
  w.int8(CURRENT_MAGIC);
  const crcAt = w.reserve(4);
  w.int16(attributes);
  w.int32(lastOffsetDelta);
  w.int64(baseTimestamp);
  w.int64(input.maxTimestamp ?? maxTimestamp);
  w.int64(input.producerId ?? -1n);
  w.int16(input.producerEpoch ?? -1);
  w.int32(input.baseSequence ?? -1);
  w.int32(records.length);
  w.raw(payload);
  const out = w.finish();
  w.patchUint32(crcAt, crc32c(out, BATCH_OFFSETS.attributes, out.length));
  return out;
}
