import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * Produce (key 0), v3-v7: the versions that carry record batch v2 (magic 2).
 * v0-v2 carry message sets v0/v1, which no client we serve needs (kafkajs
 * 2.2.4 and librdkafka 2.0.2 both pick v7). v4-v7 only change semantics
 * (error codes, quota behaviour, zstd); v5 adds logStartOffset.
 *
 * ApiVersions nevertheless advertises v0-v7: librdkafka before 2.8 only
 * compresses with gzip, snappy or lz4 when the broker lists Produce v0
 * (librdkafka#4956). Kafka 4.0 does the same (KAFKA-18659); v0-v2 requests
 * still fail with UNSUPPORTED_VERSION.
 */
export interface ProducePartitionData {
  readonly index: number;
  /** Concatenated record batches as sent (a view of the request frame), or null. */
  readonly records: Uint8Array | null;
}

export interface ProduceTopicData {
  readonly name: string;
  readonly partitionData: readonly ProducePartitionData[];
}

export interface ProduceRequest {
  readonly transactionalId: string | null;
  /** 0: no response is expected; 1: leader; -1: all in-sync replicas. */
  readonly acks: number;
  readonly timeoutMs: number;
  readonly topicData: readonly ProduceTopicData[];
}

export interface ProducePartitionResponse {
  readonly index: number;
  readonly errorCode: number;
  readonly baseOffset: bigint;
  /** v2+, default -1 (CreateTime topics). */
  readonly logAppendTimeMs?: bigint;
  /** v5+, default -1. */
  readonly logStartOffset?: bigint;
}

export interface ProduceTopicResponse {
  readonly name: string;
  readonly partitionResponses: readonly ProducePartitionResponse[];
}

export interface ProduceResponse {
  readonly responses: readonly ProduceTopicResponse[];
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
}

export const produceApi: ApiCodec<ProduceRequest, ProduceResponse> = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  advertisedMinVersion: 0,
  maxVersion: 7,

  decodeRequest(r) {
    return {
      transactionalId: r.nullableString(),
      acks: r.int16(),
      timeoutMs: r.int32(),
      topicData: r.array((t) => ({
        name: t.string(),
        partitionData: t.array((p) => ({ index: p.int32(), records: p.nullableBytesField() })),
      })),
    };
  },

  encodeRequest(w, _version, body) {
    w.nullableString(body.transactionalId).int16(body.acks).int32(body.timeoutMs);
    w.array(body.topicData, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitionData, (p, partition) => p.int32(partition.index).nullableBytesField(partition.records));
    });
  },

  decodeResponse(r, version) {
    const responses = r.array((t) => ({
      name: t.string(),
      partitionResponses: t.array((p) => ({
        index: p.int32(),
        errorCode: p.int16(),
        baseOffset: p.int64(),
        logAppendTimeMs: p.int64(),
        logStartOffset: version >= 5 ? p.int64() : -1n,
      })),
    }));
    return { responses, throttleTimeMs: r.int32() };
  },

  encodeResponse(w, version, body) {
    w.array(body.responses, (t, topic) => {
      t.string(topic.name);
      t.array(topic.partitionResponses, (p, partition) => {
        p.int32(partition.index).int16(partition.errorCode).int64(partition.baseOffset).int64(partition.logAppendTimeMs ?? -1n);
        if (version >= 5) p.int64(partition.logStartOffset ?? -1n);
      });
    });
    w.int32(body.throttleTimeMs ?? 0);
  },
};
