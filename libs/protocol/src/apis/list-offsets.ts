import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * ListOffsets (key 2), v0-v3. v0 returns a list of offsets ("old style")
 * before a timestamp, bounded by maxNumOffsets; v1 returns one offset with
 * its timestamp; v2 adds isolationLevel and throttle time; v3 is v2 again.
 * Timestamps -1 and -2 ask for the latest and earliest offsets.
 */
export const LIST_OFFSETS_LATEST = -1n;
export const LIST_OFFSETS_EARLIEST = -2n;

export interface ListOffsetsPartition {
  readonly partitionIndex: number;
  readonly timestamp: bigint;
  /** v0 only, default 1. */
  readonly maxNumOffsets: number;
}

export interface ListOffsetsTopic {
  readonly name: string;
  readonly partitions: readonly ListOffsetsPartition[];
}

export interface ListOffsetsRequest {
  readonly replicaId: number;
  /** v2+, default 0. */
  readonly isolationLevel: number;
  readonly topics: readonly ListOffsetsTopic[];
}

export interface ListOffsetsPartitionResponse {
  readonly partitionIndex: number;
  readonly errorCode: number;
  /** v0 only, default empty. */
  readonly oldStyleOffsets?: readonly bigint[];
  /** v1+, default -1. */
  readonly timestamp?: bigint;
  /** v1+, default -1. */
  readonly offset?: bigint;
}

export interface ListOffsetsTopicResponse {
  readonly name: string;
  readonly partitions: readonly ListOffsetsPartitionResponse[];
}

export interface ListOffsetsResponse {
  /** v2+, default 0. */
  readonly throttleTimeMs?: number;
  readonly topics: readonly ListOffsetsTopicResponse[];
}

export const listOffsetsApi: ApiCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 3,

  decodeRequest(r, version) {
    const replicaId = r.int32();
    const isolationLevel = version >= 2 ? r.int8() : 0;
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => ({
        partitionIndex: p.int32(),
        timestamp: p.int64(),
        maxNumOffsets: version === 0 ? p.int32() : 1,
      })),
    }));
    return { replicaId, isolationLevel, topics };
  },

  encodeRequest(w, version, body) {
    w.int32(body.replicaId);
    if (version >= 2) w.int8(body.isolationLevel);
    w.array(body.topics, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int64(partition.timestamp);
        if (version === 0) p.int32(partition.maxNumOffsets);
      });
    });
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 2 ? r.int32() : 0;
    const topics = r.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => {
        const partitionIndex = p.int32();
        const errorCode = p.int16();
        if (version === 0) return { partitionIndex, errorCode, oldStyleOffsets: p.array((o) => o.int64()), timestamp: -1n, offset: -1n };
        return { partitionIndex, errorCode, oldStyleOffsets: [], timestamp: p.int64(), offset: p.int64() };
      }),
    }));
    return { throttleTimeMs, topics };
  },

  encodeResponse(w, version, body) {
    if (version >= 2) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.topics, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int16(partition.errorCode);
        if (version === 0) p.array(partition.oldStyleOffsets ?? [], (o, offset) => o.int64(offset));
        else p.int64(partition.timestamp ?? -1n).int64(partition.offset ?? -1n);
      });
    });
  },
};
