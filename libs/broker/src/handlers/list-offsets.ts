/**
 * ListOffsets (v0–v3): -2 earliest (log start offset), -1 latest (high
 * watermark, which is also the last stable offset: no transactions), a
 * timestamp ≥ 0: the earliest record at or after it (offset -1 when there is
 * none, as Kafka answers).
 */
import { ERROR_CODES, type API_KEYS, type ListOffsetsPartitionResponse } from '@lakestream/protocol';
import type { Handler, HandlerContext } from './context.js';
import { logFailureCode, safeNumber } from './error-codes.js';
import { offsetForTimestamp } from './timestamp-lookup.js';

const LATEST = -1n;
const EARLIEST = -2n;

export const handleListOffsets: Handler<typeof API_KEYS.ListOffsets> = async (ctx, { body }) => ({
  throttleTimeMs: 0,
  topics: await Promise.all(
    body.topics.map(async (t) => ({
      name: t.name,
      partitions: await Promise.all(t.partitions.map((p) => listOffset(ctx, t.name, p.partitionIndex, p.timestamp))),
    })),
  ),
});

async function listOffset(ctx: HandlerContext, topic: string, partitionIndex: number, timestamp: bigint): Promise<ListOffsetsPartitionResponse> {
  const answer = (offset: number, ts = -1): ListOffsetsPartitionResponse => ({
    partitionIndex,
    errorCode: ERROR_CODES.NONE,
    oldStyleOffsets: offset >= 0 ? [BigInt(offset)] : [],
    timestamp: BigInt(ts),
    offset: BigInt(offset),
  });
  const failed = (errorCode: number): ListOffsetsPartitionResponse => ({ partitionIndex, errorCode, oldStyleOffsets: [], timestamp: -1n, offset: -1n });
  const log = ctx.logs.partition(topic, partitionIndex);
  if (!log) return failed(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
  if (timestamp === EARLIEST) return answer(log.logStartOffset);
  if (timestamp === LATEST) return answer(log.highWatermark);
  const ts = safeNumber(timestamp);
  if (ts === undefined || ts < 0) return failed(ERROR_CODES.INVALID_REQUEST);
  try {
    const found = await offsetForTimestamp(log, ts);
    return found ? answer(found.offset, found.timestamp) : answer(-1);
  } catch (e) {
    return failed(logFailureCode(ctx, e));
  }
}
