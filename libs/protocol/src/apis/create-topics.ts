import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * CreateTopics (key 19), v0-v4. v1 adds validateOnly and per-topic error
 * messages; v2 throttle time; v3-v4 change semantics only (v4: -1 means the
 * broker default for numPartitions and replicationFactor, KIP-464).
 */
export interface CreatableTopic {
  readonly name: string;
  /** -1 (v4+) for the broker default. */
  readonly numPartitions: number;
  /** -1 (v4+) for the broker default. */
  readonly replicationFactor: number;
  readonly assignments: ReadonlyArray<{ readonly partitionIndex: number; readonly brokerIds: readonly number[] }>;
  readonly configs: ReadonlyArray<{ readonly name: string; readonly value: string | null }>;
}

export interface CreateTopicsRequest {
  readonly topics: readonly CreatableTopic[];
  readonly timeoutMs: number;
  /** v1+, default false. */
  readonly validateOnly: boolean;
}

export interface CreatableTopicResult {
  readonly name: string;
  readonly errorCode: number;
  /** v1+, default null. */
  readonly errorMessage?: string | null;
}

export interface CreateTopicsResponse {
  /** v2+, default 0. */
  readonly throttleTimeMs?: number;
  readonly topics: readonly CreatableTopicResult[];
}

export const createTopicsApi: ApiCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,

  decodeRequest(r, version) {
    const topics = r.array((t) => ({
      name: t.string(),
      numPartitions: t.int32(),
      replicationFactor: t.int16(),
      assignments: t.array((a) => ({ partitionIndex: a.int32(), brokerIds: a.int32Array() })),
      configs: t.array((c) => ({ name: c.string(), value: c.nullableString() })),
    }));
    const timeoutMs = r.int32();
    const validateOnly = version >= 1 ? r.bool() : false;
    return { topics, timeoutMs, validateOnly };
  },

  encodeRequest(w, version, body) {
    w.array(body.topics, (t, topic) => {
      t.string(topic.name).int32(topic.numPartitions).int16(topic.replicationFactor);
      t.array(topic.assignments, (a, x) => a.int32(x.partitionIndex).int32Array(x.brokerIds));
      t.array(topic.configs, (c, x) => c.string(x.name).nullableString(x.value));
    });
    w.int32(body.timeoutMs);
    if (version >= 1) w.bool(body.validateOnly);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 2 ? r.int32() : 0;
    const topics = r.array((t) => ({
      name: t.string(),
      errorCode: t.int16(),
      errorMessage: version >= 1 ? t.nullableString() : null,
    }));
    return { throttleTimeMs, topics };
  },

  encodeResponse(w, version, body) {
    if (version >= 2) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.topics, (t, topic) => {
      t.string(topic.name).int16(topic.errorCode);
      if (version >= 1) t.nullableString(topic.errorMessage ?? null);
    });
  },
};
