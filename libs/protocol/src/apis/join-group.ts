import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * JoinGroup (key 11), v0-v5. v1 adds rebalanceTimeoutMs; v2 throttle time;
 * v4 makes a first join without member id answer MEMBER_ID_REQUIRED (KIP-394);
 * v5 adds groupInstanceId (static membership, KIP-345).
 */
export interface JoinGroupProtocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** v1+; -1 in v0, where the session timeout also bounds the rebalance. */
  readonly rebalanceTimeoutMs: number;
  /** '' on a first join. */
  readonly memberId: string;
  /** v5+, default null. */
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly JoinGroupProtocol[];
}

export interface JoinGroupMember {
  readonly memberId: string;
  /** v5+, default null. */
  readonly groupInstanceId?: string | null;
  readonly metadata: Uint8Array;
}

export interface JoinGroupResponse {
  /** v2+, default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  /** Filled for the leader only. */
  readonly members: readonly JoinGroupMember[];
}

export const joinGroupApi: ApiCodec<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 5,

  decodeRequest(r, version) {
    return {
      groupId: r.string(),
      sessionTimeoutMs: r.int32(),
      rebalanceTimeoutMs: version >= 1 ? r.int32() : -1,
      memberId: r.string(),
      groupInstanceId: version >= 5 ? r.nullableString() : null,
      protocolType: r.string(),
      protocols: r.array((p) => ({ name: p.string(), metadata: p.bytesField() })),
    };
  },

  encodeRequest(w, version, body) {
    w.string(body.groupId).int32(body.sessionTimeoutMs);
    if (version >= 1) w.int32(body.rebalanceTimeoutMs);
    w.string(body.memberId);
    if (version >= 5) w.nullableString(body.groupInstanceId);
    w.string(body.protocolType);
    w.array(body.protocols, (p, protocol) => p.string(protocol.name).bytesField(protocol.metadata));
  },

  decodeResponse(r, version) {
    return {
      throttleTimeMs: version >= 2 ? r.int32() : 0,
      errorCode: r.int16(),
      generationId: r.int32(),
      protocolName: r.string(),
      leader: r.string(),
      memberId: r.string(),
      members: r.array((m) => ({
        memberId: m.string(),
        groupInstanceId: version >= 5 ? m.nullableString() : null,
        metadata: m.bytesField(),
      })),
    };
  },

  encodeResponse(w, version, body) {
    if (version >= 2) w.int32(body.throttleTimeMs ?? 0);
    w.int16(body.errorCode).int32(body.generationId).string(body.protocolName).string(body.leader).string(body.memberId);
    w.array(body.members, (m, member) => {
      m.string(member.memberId);
      if (version >= 5) m.nullableString(member.groupInstanceId ?? null);
      m.bytesField(member.metadata);
    });
  },
};
