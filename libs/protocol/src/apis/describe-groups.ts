import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * DescribeGroups (key 15), v0-v4. v1 adds throttle time; v3 authorized
 * operations (KIP-430); v4 members' groupInstanceId.
 */
export interface DescribeGroupsRequest {
  readonly groups: readonly string[];
  /** v3+, default false. */
  readonly includeAuthorizedOperations: boolean;
}

export interface DescribedGroupMember {
  readonly memberId: string;
  /** v4+, default null. */
  readonly groupInstanceId?: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Uint8Array;
  readonly memberAssignment: Uint8Array;
}

export interface DescribedGroup {
  readonly errorCode: number;
  readonly groupId: string;
  /** Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
  readonly groupState: string;
  readonly protocolType: string;
  /** The chosen assignor, e.g. "range". */
  readonly protocolData: string;
  readonly members: readonly DescribedGroupMember[];
  /** v3+, default -2147483648 (not requested). */
  readonly authorizedOperations?: number;
}

export interface DescribeGroupsResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly groups: readonly DescribedGroup[];
}

export const describeGroupsApi: ApiCodec<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 4,

  decodeRequest(r, version) {
    return { groups: r.stringArray(), includeAuthorizedOperations: version >= 3 ? r.bool() : false };
  },

  encodeRequest(w, version, body) {
    w.stringArray(body.groups);
    if (version >= 3) w.bool(body.includeAuthorizedOperations);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    const groups = r.array((g) => ({
      errorCode: g.int16(),
      groupId: g.string(),
      groupState: g.string(),
      protocolType: g.string(),
      protocolData: g.string(),
      members: g.array((m) => ({
        memberId: m.string(),
        groupInstanceId: version >= 4 ? m.nullableString() : null,
        clientId: m.string(),
        clientHost: m.string(),
        memberMetadata: m.bytesField(),
        memberAssignment: m.bytesField(),
      })),
      authorizedOperations: version >= 3 ? g.int32() : -2147483648,
    }));
    return { throttleTimeMs, groups };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.groups, (g, group) => {
      g.int16(group.errorCode).string(group.groupId).string(group.groupState).string(group.protocolType).string(group.protocolData);
      g.array(group.members, (m, member) => {
        m.string(member.memberId);
        if (version >= 4) m.nullableString(member.groupInstanceId ?? null);
        m.string(member.clientId).string(member.clientHost).bytesField(member.memberMetadata).bytesField(member.memberAssignment);
      });
      if (version >= 3) g.int32(group.authorizedOperations ?? -2147483648);
    });
  },
};
