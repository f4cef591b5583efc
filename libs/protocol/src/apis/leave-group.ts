import { ProtocolError } from '../errors.js';
import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * LeaveGroup (key 13), v0-v3. v0-v2 name one member; v3 (KIP-345) a batch of
 * members with their instance ids and per-member errors. Requests decode to
 * the batch form in every version, so a broker handles one shape.
 */
export interface LeaveGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  readonly groupId: string;
  /** Exactly one member in v0-v2 (its instance id is null there). */
  readonly members: readonly LeaveGroupMember[];
}

export interface LeaveGroupMemberResponse {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly errorCode: number;
}

export interface LeaveGroupResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  /** v3+, default empty. */
  readonly members?: readonly LeaveGroupMemberResponse[];
}

export const leaveGroupApi: ApiCodec<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 3,

  decodeRequest(r, version) {
    const groupId = r.string();
    if (version < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
    return { groupId, members: r.array((m) => ({ memberId: m.string(), groupInstanceId: m.nullableString() })) };
  },

  encodeRequest(w, version, body) {
    w.string(body.groupId);
    if (version >= 3) {
      w.array(body.members, (m, member) => m.string(member.memberId).nullableString(member.groupInstanceId));
      return;
    }
    const only = body.members[0];
    if (body.members.length !== 1 || only === undefined) {
      throw new ProtocolError('INVALID_VALUE', `LeaveGroup v${version} names exactly one member, got ${body.members.length}`);
    }
    w.string(only.memberId);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    const errorCode = r.int16();
    const members =
      version >= 3 ? r.array((m) => ({ memberId: m.string(), groupInstanceId: m.nullableString(), errorCode: m.int16() })) : [];
    return { throttleTimeMs, errorCode, members };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.int16(body.errorCode);
    if (version >= 3) {
      w.array(body.members ?? [], (m, member) => m.string(member.memberId).nullableString(member.groupInstanceId).int16(member.errorCode));
    }
  },
};
