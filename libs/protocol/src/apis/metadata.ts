import type { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';
import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * Metadata (key 3), v0-v6. v1 adds rack, controller and isInternal; v2 the
 * cluster id; v3 throttle time; v4 allowAutoTopicCreation; v5 offline
 * replicas. v6 is v5 again (quota behaviour only).
 */
export interface MetadataRequest {
  /**
   * Topic names, or null for "all topics". In v0 the wire has no null and an
   * empty array means all topics: it decodes to null here, and null encodes
   * to an empty array.
   */
  readonly topics: readonly string[] | null;
  /** v4+; true before (brokers auto-created on any metadata request). */
  readonly allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  /** v1+, default null. */
  readonly rack?: string | null;
}

export interface MetadataPartition {
  readonly errorCode: number;
  readonly partitionIndex: number;
  readonly leaderId: number;
  readonly replicaNodes: readonly number[];
  readonly isrNodes: readonly number[];
  /** v5+, default empty. */
  readonly offlineReplicas?: readonly number[];
}

export interface MetadataTopic {
  readonly errorCode: number;
  readonly name: string;
  /** v1+, default false. */
  readonly isInternal?: boolean;
  readonly partitions: readonly MetadataPartition[];
}

export interface MetadataResponse {
  /** v3+, default 0. */
  readonly throttleTimeMs?: number;
  readonly brokers: readonly MetadataBroker[];
  /** v2+, default null. */
  readonly clusterId?: string | null;
  /** v1+, default -1. */
  readonly controllerId?: number;
  readonly topics: readonly MetadataTopic[];
}

function readPartition(r: Reader, version: number): MetadataPartition {
  return {
    errorCode: r.int16(),
    partitionIndex: r.int32(),
    leaderId: r.int32(),
    replicaNodes: r.int32Array(),
    isrNodes: r.int32Array(),
    offlineReplicas: version >= 5 ? r.int32Array() : [],
  };
}

function writePartition(w: Writer, version: number, p: MetadataPartition): void {
  w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId).int32Array(p.replicaNodes).int32Array(p.isrNodes);
  if (version >= 5) w.int32Array(p.offlineReplicas ?? []);
}

export const metadataApi: ApiCodec<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,

  decodeRequest(r, version) {
    let topics: string[] | null = version >= 1 ? r.nullableArray((x) => x.string()) : r.stringArray();
    if (version === 0 && topics?.length === 0) topics = null;
    const allowAutoTopicCreation = version >= 4 ? r.bool() : true;
    return { topics, allowAutoTopicCreation };
  },

  encodeRequest(w, version, body) {
    if (version >= 1) w.nullableArray(body.topics, (x, t) => x.string(t));
    else w.stringArray(body.topics ?? []);
    if (version >= 4) w.bool(body.allowAutoTopicCreation);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 3 ? r.int32() : 0;
    const brokers = r.array((x) => ({
      nodeId: x.int32(),
      host: x.string(),
      port: x.int32(),
      rack: version >= 1 ? x.nullableString() : null,
    }));
    const clusterId = version >= 2 ? r.nullableString() : null;
    const controllerId = version >= 1 ? r.int32() : -1;
    const topics = r.array((x) => ({
      errorCode: x.int16(),
      name: x.string(),
      isInternal: version >= 1 ? x.bool() : false,
      partitions: x.array((p) => readPartition(p, version)),
    }));
    return { throttleTimeMs, brokers, clusterId, controllerId, topics };
  },

  encodeResponse(w, version, body) {
    if (version >= 3) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.brokers, (x, b) => {
      x.int32(b.nodeId).string(b.host).int32(b.port);
      if (version >= 1) x.nullableString(b.rack ?? null);
    });
    if (version >= 2) w.nullableString(body.clusterId ?? null);
    if (version >= 1) w.int32(body.controllerId ?? -1);
    w.array(body.topics, (x, t) => {
      x.int16(t.errorCode).string(t.name);
      if (version >= 1) x.bool(t.isInternal ?? false);
      x.array(t.partitions, (p, partition) => writePartition(p, version, partition));
    });
  },
};
