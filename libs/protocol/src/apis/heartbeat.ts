import type { ApiCodec } from '../protocol/api-codec.js';

/** Heartbeat (key 12), v0-v3. v1 adds throttle time; v3 groupInstanceId. */
export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** v3+, default null. */
  readonly groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
}

export const heartbeatApi: ApiCodec<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 3,

  decodeRequest(r, version) {
    return {
      groupId: r.string(),
      generationId: r.int32(),
      memberId: r.string(),
      groupInstanceId: version >= 3 ? r.nullableString() : null,
    };
  },

  encodeRequest(w, version, body) {
    w.string(body.groupId).int32(body.generationId).string(body.memberId);
    if (version >= 3) w.nullableString(body.groupInstanceId);
  },

  decodeResponse(r, version) {
    return { throttleTimeMs: version >= 1 ? r.int32() : 0, errorCode: r.int16() };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.int16(body.errorCode);
  },
};
