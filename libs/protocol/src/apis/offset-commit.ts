import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * OffsetCommit (key 8), v0-v7. v1 adds generation, member id and a
 * per-partition commit timestamp (v1 only); v2-v4 a retention time; v3
 * throttle time; v6 the committed leader epoch; v7 groupInstanceId.
 */
export interface OffsetCommitPartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  /** v6+, default -1. */
  readonly committedLeaderEpoch: number;
  /** v1 only, default -1. */
  readonly commitTimestamp: bigint;
  readonly committedMetadata: string | null;
}

export interface OffsetCommitTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitPartition[];
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** v1+, default -1 (a commit from outside any generation). */
  readonly generationId: number;
  /** v1+, default ''. */
  readonly memberId: string;
  /** v7+, default null. */
  readonly groupInstanceId: string | null;
  /** v2-v4, default -1 (broker default retention). */
  readonly retentionTimeMs: bigint;
  readonly topics: readonly OffsetCommitTopic[];
}

export interface OffsetCommitResponse {
  /** v3+, default 0. */
  readonly throttleTimeMs?: number;
  readonly topics: ReadonlyArray<{
    readonly name: string;
    readonly partitions: ReadonlyArray<{ readonly partitionIndex: number; readonly errorCode: number }>;
  }>;
}

export const offsetCommitApi: ApiCodec<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 7,

  decodeRequest(r, version) {
    const groupId = r.string();
    const generationId = version >= 1 ? r.int32() : -1;
    const memberId = version >= 1 ? r.string() : '';
    const groupInstanceId = version >= 7 ? r.nullableString() : null;
    const retentionTimeMs = version >= 2 && version <= 4 ? r.int64() : -1n;
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => ({
        partitionIndex: p.int32(),
        committedOffset: p.int64(),
        committedLeaderEpoch: version >= 6 ? p.int32() : -1,
        commitTimestamp: version === 1 ? p.int64() : -1n,
        committedMetadata: p.nullableString(),
      })),
    }));
    return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs, topics };
  },

  encodeRequest(w, version, body) {
    w.string(body.groupId);
    if (version >= 1) w.int32(body.generationId).string(body.memberId);
    if (version >= 7) w.nullableString(body.groupInstanceId);
    if (version >= 2 && version <= 4) w.int64(body.retentionTimeMs);
    w.array(body.topics, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int64(partition.committedOffset);
        if (version >= 6) p.int32(partition.committedLeaderEpoch);
        if (version === 1) p.int64(partition.commitTimestamp);
        p.nullableString(partition.committedMetadata);
      });
    });
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 3 ? r.int32() : 0;
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => ({ partitionIndex: p.int32(), errorCode: p.int16() })),
    }));
    return { throttleTimeMs, topics };
  },

  encodeResponse(w, version, body) {
    if (version >= 3) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.topics, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitions, (p, partition) => p.int32(partition.partitionIndex).int16(partition.errorCode));
    });
  },
};
