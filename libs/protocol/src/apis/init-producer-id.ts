import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * InitProducerId (key 22), v0-v4: gives an idempotent or transactional
 * producer its id and epoch. v2 is the first flexible version; v3 lets a
 * producer pass its current id and epoch to bump the epoch (KIP-360).
 */
export interface InitProducerIdRequest {
  /** null for an idempotent, non-transactional producer. */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  /** v3+, default -1. */
  readonly producerId: bigint;
  /** v3+, default -1. */
  readonly producerEpoch: number;
}

export interface InitProducerIdResponse {
  /** Default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export const initProducerIdApi: ApiCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,

  decodeRequest(r, version) {
    const transactionalId = r.nullableString();
    const transactionTimeoutMs = r.int32();
    const producerId = version >= 3 ? r.int64() : -1n;
    const producerEpoch = version >= 3 ? r.int16() : -1;
    r.taggedFields();
    return { transactionalId, transactionTimeoutMs, producerId, producerEpoch };
  },

  encodeRequest(w, version, body) {
    w.nullableString(body.transactionalId).int32(body.transactionTimeoutMs);
    if (version >= 3) w.int64(body.producerId).int16(body.producerEpoch);
    w.taggedFields();
  },

  decodeResponse(r) {
    const body = { throttleTimeMs: r.int32(), errorCode: r.int16(), producerId: r.int64(), producerEpoch: r.int16() };
    r.taggedFields();
    return body;
  },

  encodeResponse(w, _version, body) {
    w.int32(body.throttleTimeMs ?? 0).int16(body.errorCode).int64(body.producerId).int16(body.producerEpoch).taggedFields();
  },
};
