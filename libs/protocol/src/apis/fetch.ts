import type { Writer } from '../primitives/writer.js';
import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * Fetch (key 1), v4-v11: the versions whose records are batch v2. v5 adds
 * logStartOffset; v7 fetch sessions (KIP-227) and forgotten topics; v9
 * currentLeaderEpoch; v11 rackId and preferredReadReplica (KIP-392).
 */
export interface FetchPartition {
  readonly partition: number;
  /** v9+, default -1. */
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: bigint;
  /** v5+, default -1 (only followers set it). */
  readonly logStartOffset: bigint;
  readonly partitionMaxBytes: number;
}

export interface FetchTopic {
  readonly topic: string;
  readonly partitions: readonly FetchPartition[];
}

export interface ForgottenTopic {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface FetchRequest {
  /** -1 for consumers. */
  readonly replicaId: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  /** v3+, default 0x7fffffff. */
  readonly maxBytes: number;
  /** v4+: 0 read uncommitted, 1 read committed. */
  readonly isolationLevel: number;
  /** v7+, default 0 (no session). */
  readonly sessionId: number;
  /** v7+, default -1 (no session). */
  readonly sessionEpoch: number;
  readonly topics: readonly FetchTopic[];
  /** v7+, default empty. */
  readonly forgottenTopicsData: readonly ForgottenTopic[];
  /** v11+, default ''. */
  readonly rackId: string;
}

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

export interface FetchPartitionData {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly highWatermark: bigint;
  /** v4+, default -1. */
  readonly lastStableOffset?: bigint;
  /** v5+, default -1. */
  readonly logStartOffset?: bigint;
  /** v4+, default null. */
  readonly abortedTransactions?: readonly AbortedTransaction[] | null;
  /** v11+, default -1. */
  readonly preferredReadReplica?: number;
  /**
   * Concatenated batches; encode also accepts several chunks (e.g. stored
   * batches read separately), written back to back as one field. Decodes as
   * one view of the response frame; the last batch may be partial.
   */
  readonly records: Uint8Array | readonly Uint8Array[] | null;
}

export interface FetchTopicResponse {
  readonly topic: string;
  readonly partitions: readonly FetchPartitionData[];
}

export interface FetchResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  /** v7+, default 0. */
  readonly errorCode?: number;
  /** v7+, default 0. */
  readonly sessionId?: number;
  readonly responses: readonly FetchTopicResponse[];
}

function writeRecords(w: Writer, records: Uint8Array | readonly Uint8Array[] | null): void {
  if (records === null || records instanceof Uint8Array) {
    w.nullableBytesField(records);
    return;
  }
  w.int32(records.reduce((n, chunk) => n + chunk.length, 0));
  for (const chunk of records) w.raw(chunk);
}

export const fetchApi: ApiCodec<FetchRequest, FetchResponse> = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 11,

  decodeRequest(r, version) {
    const replicaId = r.int32();
    const maxWaitMs = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    const isolationLevel = r.int8();
    const sessionId = version >= 7 ? r.int32() : 0;
    const sessionEpoch = version >= 7 ? r.int32() : -1;
    const topics = r.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({
        partition: p.int32(),
        currentLeaderEpoch: version >= 9 ? p.int32() : -1,
        fetchOffset: p.int64(),
        logStartOffset: version >= 5 ? p.int64() : -1n,
        partitionMaxBytes: p.int32(),
      })),
    }));
    const forgottenTopicsData = version >= 7 ? r.array((t) => ({ topic: t.string(), partitions: t.int32Array() })) : [];
    const rackId = version >= 11 ? r.string() : '';
    return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopicsData, rackId };
  },

  encodeRequest(w, version, body) {
    w.int32(body.replicaId).int32(body.maxWaitMs).int32(body.minBytes).int32(body.maxBytes).int8(body.isolationLevel);
    if (version >= 7) w.int32(body.sessionId).int32(body.sessionEpoch);
    w.array(body.topics, (t, topic) => {
      t.string(topic.topic);
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partition);
        if (version >= 9) p.int32(partition.currentLeaderEpoch);
        p.int64(partition.fetchOffset);
        if (version >= 5) p.int64(partition.logStartOffset);
        p.int32(partition.partitionMaxBytes);
      });
    });
    if (version >= 7) w.array(body.forgottenTopicsData, (t, topic) => t.string(topic.topic).int32Array(topic.partitions));
    if (version >= 11) w.string(body.rackId);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = r.int32();
    const errorCode = version >= 7 ? r.int16() : 0;
    const sessionId = version >= 7 ? r.int32() : 0;
    const responses = r.array((t) => ({
      topic: t.string(),
      partitions: t.array((p) => ({
        partitionIndex: p.int32(),
        errorCode: p.int16(),
        highWatermark: p.int64(),
        lastStableOffset: p.int64(),
        logStartOffset: version >= 5 ? p.int64() : -1n,
        abortedTransactions: p.nullableArray((a) => ({ producerId: a.int64(), firstOffset: a.int64() })),
        preferredReadReplica: version >= 11 ? p.int32() : -1,
        records: p.nullableBytesField(),
      })),
    }));
    return { throttleTimeMs, errorCode, sessionId, responses };
  },

  encodeResponse(w, version, body) {
    w.int32(body.throttleTimeMs ?? 0);
    if (version >= 7) w.int16(body.errorCode ?? 0).int32(body.sessionId ?? 0);
    w.array(body.responses, (t, topic) => {
      t.string(topic.topic);
      t.array(topic.partitions, (p, partition) => {
        p.int32(partition.partitionIndex).int16(partition.errorCode).int64(partition.highWatermark);
        p.int64(partition.lastStableOffset ?? -1n);
        if (version >= 5) p.int64(partition.logStartOffset ?? -1n);
        p.nullableArray(partition.abortedTransactions ?? null, (a, txn) => a.int64(txn.producerId).int64(txn.firstOffset));
        if (version >= 11) p.int32(partition.preferredReadReplica ?? -1);
        writeRecords(p, partition.records);
      });
    });
  },
};
