/**
 * The log's view of a record batch v2, on top of @lakestream/protocol's
 * header helpers. The log treats a batch as opaque bytes except for its
 * header (baseOffset, batchLength, magic, CRC, lastOffsetDelta, timestamps,
 * producer fields); see the protocol lib for the layout.
 *
 * Offsets, timestamps and producer ids are JS numbers here (exact up to
 * 2^53, centuries of offsets at any realistic rate); the protocol lib's
 * int64s are bigints, converted at this boundary only.
 */
import {
  BATCH_ATTRIBUTES,
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  crc32c,
  readBatchHeader as readProtocolHeader,
  setBatchBaseOffset,
  setBatchLogAppendTime,
  setBatchPartitionLeaderEpoch,
  verifyBatchCrc,
} from '@lakestream/protocol';

export { BATCH_HEADER_SIZE, crc32c };
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = BATCH_LOG_OVERHEAD;

export interface BatchHeader {
  readonly baseOffset: number;
  /** Whole batch, header included: 12 + batchLength. */
  readonly size: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/**
 * The header at `at`, or why there is no usable one there (fewer than 61
 * bytes, magic other than 2, a batchLength below the header size).
 */
export function parseBatchHeader(bytes: Uint8Array, at = 0): BatchHeader | string {
  try {
    const h = readProtocolHeader(bytes, at);
    return {
      baseOffset: Number(h.baseOffset),
      size: LOG_OVERHEAD + h.batchLength,
      partitionLeaderEpoch: h.partitionLeaderEpoch,
      magic: h.magic,
      attributes: h.attributes,
      lastOffsetDelta: h.lastOffsetDelta,
      baseTimestamp: Number(h.baseTimestamp),
      maxTimestamp: Number(h.maxTimestamp),
      producerId: Number(h.producerId),
      producerEpoch: h.producerEpoch,
      baseSequence: h.baseSequence,
      recordCount: h.recordCount,
    };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Why a header read from `available` bytes cannot start a stored batch, or undefined when it can. */
export function checkBatchHeader(h: BatchHeader, available: number): string | undefined {
  if (h.size > available) return `batch of ${h.size} bytes runs past the ${available} bytes available`;
  if (h.lastOffsetDelta < 0) return `negative lastOffsetDelta ${h.lastOffsetDelta}`;
  if (h.recordCount < 0) return `negative recordCount ${h.recordCount}`;
  return undefined;
}

/** True when the stored CRC-32C matches the whole batch at `at`. */
export function batchCrcMatches(bytes: Uint8Array, at: number): boolean {
  return verifyBatchCrc(bytes, at);
}

/** Rewrites baseOffset in place; the CRC does not cover it. */
export function writeBaseOffset(bytes: Uint8Array, at: number, baseOffset: number): void {
  setBatchBaseOffset(bytes, at, BigInt(baseOffset));
}

/** Rewrites partitionLeaderEpoch in place; the CRC does not cover it. */
export function writePartitionLeaderEpoch(bytes: Uint8Array, at: number, epoch: number): void {
  setBatchPartitionLeaderEpoch(bytes, at, epoch);
}

/** LogAppendTime: attributes bit and maxTimestamp set, CRC recomputed (Kafka's message.timestamp.type=LogAppendTime). */
export function stampLogAppendTime(bytes: Uint8Array, at: number, timestamp: number): void {
  setBatchLogAppendTime(bytes, at, BigInt(timestamp));
}

export function isTransactional(h: BatchHeader): boolean {
  return (h.attributes & BATCH_ATTRIBUTES.transactional) !== 0;
}
