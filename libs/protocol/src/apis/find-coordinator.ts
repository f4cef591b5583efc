import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * FindCoordinator (key 10), v0-v2. v1 adds keyType (0 group, 1 transaction),
 * throttle time and an error message; v2 is v1 again.
 */
export const COORDINATOR_KEY_TYPES = { group: 0, transaction: 1 } as const;

export interface FindCoordinatorRequest {
  readonly key: string;
  /** v1+, default 0 (group). */
  readonly keyType: number;
}

export interface FindCoordinatorResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  /** v1+, default null. */
  readonly errorMessage?: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export const findCoordinatorApi: ApiCodec<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 2,

  decodeRequest(r, version) {
    return { key: r.string(), keyType: version >= 1 ? r.int8() : 0 };
  },

  encodeRequest(w, version, body) {
    w.string(body.key);
    if (version >= 1) w.int8(body.keyType);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    const errorCode = r.int16();
    const errorMessage = version >= 1 ? r.nullableString() : null;
    return { throttleTimeMs, errorCode, errorMessage, nodeId: r.int32(), host: r.string(), port: r.int32() };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.int16(body.errorCode);
    if (version >= 1) w.nullableString(body.errorMessage ?? null);
    w.int32(body.nodeId).string(body.host).int32(body.port);
  },
};
