import { ProtocolError } from '../errors.js';
import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * OffsetFetch (key 9), v0-v7. v2 allows a null topic list (all committed
 * offsets of the group) and adds a top-level error; v3 throttle time; v5 the
 * committed leader epoch; v6 is the first flexible version; v7 adds
 * requireStable (KIP-447).
 */
export interface OffsetFetchTopic {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

export interface OffsetFetchRequest {
  readonly groupId: string;
  /** null (v2+) asks for every partition the group has committed. */
  readonly topics: readonly OffsetFetchTopic[] | null;
  /** v7+, default false. */
  readonly requireStable: boolean;
}

export interface OffsetFetchPartition {
  readonly partitionIndex: number;
  /** -1 when the group has no committed offset. */
  readonly committedOffset: bigint;
  /** v5+, default -1. */
  readonly committedLeaderEpoch?: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

export interface OffsetFetchResponse {
  /** v3+, default 0. */
  readonly throttleTimeMs?: number;
  readonly topics: ReadonlyArray<{ readonly name: string; readonly partitions: readonly OffsetFetchPartition[] }>;
  /** v2+, default 0. */
  readonly errorCode?: number;
}

export const offsetFetchApi: ApiCodec<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 7,

  decodeRequest(r, version) {
    const groupId = r.string();
    const readTopic = (t: typeof r): OffsetFetchTopic => {
      const topic = { name: t.string(), partitionIndexes: t.int32Array() };
      t.taggedFields();
      return topic;
    };
    const topics = version >= 2 ? r.nullableArray(readTopic) : r.array(readTopic);
    const requireStable = version >= 7 ? r.bool() : false;
    r.taggedFields();
    return { groupId, topics, requireStable };
  },

  encodeRequest(w, version, body) {
    w.string(body.groupId);
    if (body.topics === null && version < 2) {
      throw new ProtocolError('INVALID_VALUE', `OffsetFetch v${version} cannot ask for all topics (null needs v2+)`);
    }
    w.nullableArray(body.topics, (t, topic) => t.string(topic.name).int32Array(topic.partitionIndexes).taggedFields());
    if (version >= 7) w.bool(body.requireStable);
    w.taggedFields();
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 3 ? r.int32() : 0;
    const topics = r.array((t) => {
      const name = t.string();
      const partitions = t.array((p) => {
        const partition = {
          partitionIndex: p.int32(),
          committedOffset: p.int64(),
          committedLeaderEpoch: version >= 5 ? p.int32() : -1,
          metadata: p.nullableString(),
          errorCode: p.int16(),
        };
        p.taggedFields();
        return partition;
      });
      t.taggedFields();
      return { name, partitions };
    });
    const errorCode = version >= 2 ? r.int16() : 0;
    r.taggedFields();
    return { throttleTimeMs, topics, errorCode };
  },

  encodeResponse(w, version, body) {
    if (version >= 3) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.topics, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int64(partition.committedOffset);
        if (version >= 5) p.int32(partition.committedLeaderEpoch ?? -1);
        p.nullableString(partition.metadata).int16(partition.errorCode).taggedFields();
      });
      t.taggedFields();
    });
    if (version >= 2) w.int16(body.errorCode ?? 0);
    w.taggedFields();
  },
};
