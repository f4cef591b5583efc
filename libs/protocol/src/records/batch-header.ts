import { ProtocolError } from '../errors.js';
import { crc32c } from './crc32c.js';

/**
 * Fast access to record batch v2 headers without decoding records. The
 * broker stores batches as the bytes the producer sent: it reads the header
 * to validate and index a batch, verifies the CRC, and rewrites baseOffset
 * in place when it assigns offsets (baseOffset and partitionLeaderEpoch are
 * outside the CRC, so that needs no re-checksum).
 *
 * Layout (big-endian): baseOffset int64 @0, batchLength int32 @8 (bytes after
 * this field), partitionLeaderEpoch int32 @12, magic int8 @16, crc uint32 @17
 * (CRC-32C of bytes 21..end), attributes int16 @21, lastOffsetDelta int32 @23,
 * baseTimestamp int64 @27, maxTimestamp int64 @35, producerId int64 @43,
 * producerEpoch int16 @51, baseSequence int32 @53, recordCount int32 @57,
 * records @61.
 */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const BATCH_LOG_OVERHEAD = 12;
export const CURRENT_MAGIC = 2;

export const BATCH_OFFSETS = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
} as const;

/** Attribute bits. */
export const BATCH_ATTRIBUTES = {
  compressionMask: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

export interface RecordBatchHeader {
  readonly baseOffset: bigint;
  /** Bytes after the batchLength field; the whole batch is `batchLength + 12` bytes. */
  readonly batchLength: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The header of the batch at `offset`. Throws `TRUNCATED` if fewer than 61
 * bytes are left, `UNSUPPORTED_MAGIC` for message formats v0/v1 and
 * `CORRUPT_BATCH` for a batchLength too small to hold the header.
 */
export function readBatchHeader(bytes: Uint8Array, offset = 0): RecordBatchHeader {
  if (offset < 0 || bytes.length - offset < BATCH_HEADER_SIZE) {
    throw new ProtocolError('TRUNCATED', `record batch header needs ${BATCH_HEADER_SIZE} bytes, ${bytes.length - offset} left`, {
      byteOffset: offset,
    });
  }
  const v = viewOf(bytes);
  const magic = v.getInt8(offset + 16);
  if (magic !== CURRENT_MAGIC) {
    throw new ProtocolError('UNSUPPORTED_MAGIC', `record batch magic ${magic}; only magic 2 is supported`, { byteOffset: offset + 16 });
  }
  const batchLength = v.getInt32(offset + 8);
  if (batchLength < BATCH_HEADER_SIZE - BATCH_LOG_OVERHEAD) {
    throw new ProtocolError('CORRUPT_BATCH', `record batch length ${batchLength} is below the header size`, { byteOffset: offset + 8 });
  }
  return {
    baseOffset: v.getBigInt64(offset),
    batchLength,
    partitionLeaderEpoch: v.getInt32(offset + 12),
    magic,
    crc: v.getUint32(offset + 17),
    attributes: v.getInt16(offset + 21),
    lastOffsetDelta: v.getInt32(offset + 23),
    baseTimestamp: v.getBigInt64(offset + 27),
    maxTimestamp: v.getBigInt64(offset + 35),
    producerId: v.getBigInt64(offset + 43),
    producerEpoch: v.getInt16(offset + 51),
    baseSequence: v.getInt32(offset + 53),
    recordCount: v.getInt32(offset + 57),
  };
}

/** Total size in bytes of the batch at `offset`, read from its first 12 bytes; undefined if those are not all there. */
export function batchSizeAt(bytes: Uint8Array, offset = 0): number | undefined {
  if (bytes.length - offset < BATCH_LOG_OVERHEAD) return undefined;
  return viewOf(bytes).getInt32(offset + 8) + BATCH_LOG_OVERHEAD;
}

/** Offset of the last record: baseOffset + lastOffsetDelta. */
export function lastOffsetOf(header: RecordBatchHeader): bigint {
  return header.baseOffset + BigInt(header.lastOffsetDelta);
}

function wholeBatch(bytes: Uint8Array, offset: number): number {
  const size = batchSizeAt(bytes, offset);
  if (size === undefined || size < BATCH_HEADER_SIZE || offset + size > bytes.length) {
    throw new ProtocolError('TRUNCATED', `record batch of ${size ?? '?'} bytes with ${bytes.length - offset} left`, { byteOffset: offset });
  }
  return size;
}

/** CRC-32C over attributes..end of the batch at `offset`, as it should be stored in the crc field. */
export function computeBatchCrc(bytes: Uint8Array, offset = 0): number {
  const size = wholeBatch(bytes, offset);
  return crc32c(bytes, offset + BATCH_OFFSETS.attributes, offset + size);
}

/** Whether the stored CRC matches the batch bytes. Throws `TRUNCATED` if the batch is incomplete. */
export function verifyBatchCrc(bytes: Uint8Array, offset = 0): boolean {
  return computeBatchCrc(bytes, offset) === viewOf(bytes).getUint32(offset + BATCH_OFFSETS.crc);
}

/** Recomputes and stores the CRC (after changing covered fields). */
export function writeBatchCrc(bytes: Uint8Array, offset = 0): void {
  viewOf(bytes).setUint32(offset + BATCH_OFFSETS.crc, computeBatchCrc(bytes, offset));
}

function checkHeaderInBounds(bytes: Uint8Array, offset: number): void {
  if (offset < 0 || bytes.length - offset < BATCH_HEADER_SIZE) {
    throw new ProtocolError('TRUNCATED', 'record batch header out of bounds', { byteOffset: offset });
  }
}

/** Assigns the batch's offsets in place; the CRC does not cover baseOffset. */
export function setBatchBaseOffset(bytes: Uint8Array, offset: number, baseOffset: bigint): void {
  checkHeaderInBounds(bytes, offset);
  viewOf(bytes).setBigInt64(offset + BATCH_OFFSETS.baseOffset, baseOffset);
}

/** Sets partitionLeaderEpoch in place; the CRC does not cover it. */
export function setBatchPartitionLeaderEpoch(bytes: Uint8Array, offset: number, epoch: number): void {
  checkHeaderInBounds(bytes, offset);
  viewOf(bytes).setInt32(offset + BATCH_OFFSETS.partitionLeaderEpoch, epoch);
}

/**
 * Marks the batch as LogAppendTime with the broker's append time as
 * maxTimestamp (what a topic with `message.timestamp.type=LogAppendTime`
 * does) and recomputes the CRC, which covers both fields.
 */
export function setBatchLogAppendTime(bytes: Uint8Array, offset: number, appendTime: bigint): void {
  wholeBatch(bytes, offset);
  const v = viewOf(bytes);
  v.setInt16(offset + BATCH_OFFSETS.attributes, v.getInt16(offset + BATCH_OFFSETS.attributes) | BATCH_ATTRIBUTES.logAppendTime);
  v.setBigInt64(offset + BATCH_OFFSETS.maxTimestamp, appendTime);
  writeBatchCrc(bytes, offset);
}

export interface BatchSpan {
  /** Where the batch starts in the scanned bytes. */
  readonly offset: number;
  /** Its size in bytes (batchLength + 12). */
  readonly size: number;
  readonly header: RecordBatchHeader;
}

export interface BatchScan {
  readonly batches: BatchSpan[];
  /** Bytes after the last complete batch: a partial batch, as Fetch responses may end with. */
  readonly partialBytes: number;
}

export interface ScanOptions {
  /** Check each complete batch's CRC; a mismatch throws `CORRUPT_BATCH` (default false). */
  readonly verifyCrc?: boolean;
}

/**
 * Walks concatenated batches (a `records` field) reading only headers. A
 * trailing incomplete batch is reported in `partialBytes`, not as an error;
 * a produce path should treat `partialBytes > 0` as corrupt.
 */
export function scanBatches(records: Uint8Array, options: ScanOptions = {}): BatchScan {
  const batches: BatchSpan[] = [];
  let offset = 0;
  while (offset < records.length) {
    const size = batchSizeAt(records, offset);
    if (size === undefined || records.length - offset < BATCH_HEADER_SIZE || offset + size > records.length) break;
    const header = readBatchHeader(records, offset);
    if (options.verifyCrc && crc32c(records, offset + BATCH_OFFSETS.attributes, offset + size) !== header.crc) {
      throw new ProtocolError('CORRUPT_BATCH', 'record batch CRC-32C mismatch', { byteOffset: offset });
    }
    batches.push({ offset, size, header });
    offset += size;
  }
  return { batches, partialBytes: records.length - offset };
}
