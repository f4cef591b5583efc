import type { ApiCodec } from '../protocol/api-codec.js';

/**
 * ListGroups (key 16), v0-v4. v1 adds throttle time; v3 is the first
 * flexible version; v4 adds a states filter and each group's state (KIP-518).
 */
export interface ListGroupsRequest {
  /** v4+, default empty (all states). */
  readonly statesFilter: readonly string[];
}

export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
  /** v4+, default ''. */
  readonly groupState?: string;
}

export interface ListGroupsResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly errorCode: number;
  readonly groups: readonly ListedGroup[];
}

export const listGroupsApi: ApiCodec<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 4,

  decodeRequest(r, version) {
    const statesFilter = version >= 4 ? r.stringArray() : [];
    r.taggedFields();
    return { statesFilter };
  },

  encodeRequest(w, version, body) {
    if (version >= 4) w.stringArray(body.statesFilter);
    w.taggedFields();
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    const errorCode = r.int16();
    const groups = r.array((g) => {
      const group = { groupId: g.string(), protocolType: g.string(), groupState: version >= 4 ? g.string() : '' };
      g.taggedFields();
      return group;
    });
    r.taggedFields();
    return { throttleTimeMs, errorCode, groups };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.int16(body.errorCode);
    w.array(body.groups, (g, group) => {
      g.string(group.groupId).string(group.protocolType);
      if (version >= 4) g.string(group.groupState ?? '');
      g.taggedFields();
    });
    w.taggedFields();
  },
};
