/**
 * ListOffsets by timestamp: the earliest offset whose record timestamp is at
 * or after `timestamp`. The log finds the first batch whose maxTimestamp
 * qualifies; the records of that batch (any codec: none, gzip, snappy, lz4,
 * zstd) are decoded to find the exact record, as Kafka does. Only a batch
 * whose records do not decode (corrupt on disk) answers with the batch's base
 * offset and max timestamp.
 */
import type { PartitionLog } from '@lakestream/log';
import { BATCH_ATTRIBUTES, decodeRecordBatch, isProtocolError } from '@lakestream/protocol';

export interface FoundOffset {
  readonly offset: number;
  readonly timestamp: number;
}

export async function offsetForTimestamp(log: PartitionLog, timestamp: number): Promise<FoundOffset | undefined> {
  const batch = await log.offsetForTimestamp(timestamp);
  if (!batch) return undefined;
  const read = await log.read(batch.offset, 1);
  if (!read.ok || read.records.length === 0) return batch;
  try {
    const decoded = decodeRecordBatch(read.records, 0, { verifyCrc: false });
    if ((decoded.attributes & BATCH_ATTRIBUTES.logAppendTime) !== 0) return batch;
    for (const record of decoded.records) {
      if (record.offset >= BigInt(batch.offset) && record.timestamp >= BigInt(timestamp)) {
        return { offset: Number(record.offset), timestamp: Number(record.timestamp) };
      }
    }
    return batch;
  } catch (e) {
    if (isProtocolError(e)) return batch;
    throw e;
  }
}
