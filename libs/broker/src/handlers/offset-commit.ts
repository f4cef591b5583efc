/**
 * OffsetCommit (v0–v7):
 *
 *   may this member commit? (coordinator: member, generation, rebalance state)
 *     ─▶ per partition: topic exists, metadata size ─▶ one durable record for the whole request
 *
 * Kafka's offset.metadata.max.bytes (4096) applies. A generation of -1 with
 * no member id is a commit from outside any group generation (admin
 * setOffsets, manual assignment), allowed while the group has no members.
 */
import { isLogError } from '@lakestream/log';
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';
import type { OffsetToCommit } from '../state/committed-offsets.js';

const MAX_METADATA_LENGTH = 4096;

export const handleOffsetCommit: Handler<typeof API_KEYS.OffsetCommit> = async (ctx, { body }) => {
  const everyPartition = (errorCode: number) => ({
    throttleTimeMs: 0,
    topics: body.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  });
  if (!body.groupId) return everyPartition(ERROR_CODES.INVALID_GROUP_ID);
  const allowed = await ctx.coordinator.commitOffsets(body.groupId, body.memberId, body.generationId, []);
  if (allowed !== 'NONE') return everyPartition(ERROR_CODES[allowed]);

  const accepted: OffsetToCommit[] = [];
  const topics = body.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      let errorCode: number = ERROR_CODES.NONE;
      if (!ctx.logs.partition(t.name, p.partitionIndex)) errorCode = ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION;
      else if (p.committedMetadata !== null && p.committedMetadata.length > MAX_METADATA_LENGTH) errorCode = ERROR_CODES.OFFSET_METADATA_TOO_LARGE;
      else accepted.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata, leaderEpoch: p.committedLeaderEpoch });
      return { partitionIndex: p.partitionIndex, errorCode };
    }),
  }));
  try {
    await ctx.offsets.commitAll(body.groupId, accepted);
  } catch (e) {
    // A group id the offsets file cannot hold (over 32767 bytes) is the client's fault.
    if (isLogError(e) && e.code === 'INVALID_ARGUMENT') return everyPartition(ERROR_CODES.INVALID_GROUP_ID);
    // The offsets file could not be written: retriable for the client, as Kafka answers when __consumer_offsets is unavailable.
    ctx.reportStorageFailure(e instanceof Error ? e : new Error(String(e)));
    return everyPartition(ERROR_CODES.COORDINATOR_NOT_AVAILABLE);
  }
  return { throttleTimeMs: 0, topics };
};
