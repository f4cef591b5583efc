import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * SyncGroup (key 14), v0-v3. The leader sends every member's assignment;
 * each member gets its own back. v1 adds throttle time; v3 groupInstanceId.
 */
export interface SyncGroupAssignment {
  readonly memberId: string;
  readonly assignment: Uint8Array;
}

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** v3+, default null. */
  readonly groupInstanceId: string | null;
  /** Empty unless the sender is the leader. */
  readonly assignments: readonly SyncGroupAssignment[];
}

export interface SyncGroupResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly assignment: Uint8Array;
}

export const syncGroupApi: ApiCodec<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 3,

  decodeRequest(r, version) {
    return {
      groupId: r.string(),
      generationId: r.int32(),
      memberId: r.string(),
      groupInstanceId: version >= 3 ? r.nullableString() : null,
      assignments: r.array((a) => ({ memberId: a.string(), assignment: a.bytesField() })),
    };
  },

  encodeRequest(w, version, body) {
    w.string(body.groupId).int32(body.generationId).string(body.memberId);
    if (version >= 3) w.nullableString(body.groupInstanceId);
    w.array(body.assignments, (a, x) => a.string(x.memberId).bytesField(x.assignment));
  },

  decodeResponse(r, version) {
    return { throttleTimeMs: version >= 1 ? r.int32() : 0, errorCode: r.int16(), assignment: r.bytesField() };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.int16(body.errorCode).bytesField(body.assignment);
  },
};
