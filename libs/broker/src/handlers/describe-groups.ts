/**
 * DescribeGroups: live state from the coordinator. A group the coordinator
 * has no members for but that has committed offsets (e.g. after a restart)
 * is Empty, as Kafka reports it; a group with neither is Dead.
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleDescribeGroups: Handler<typeof API_KEYS.DescribeGroups> = (ctx, { body }) => {
  const withOffsets = new Set(ctx.offsets.groups());
  return {
    throttleTimeMs: 0,
    groups: body.groups.map((groupId) => {
      const g = ctx.coordinator.describe(groupId);
      const state = g.state === 'Dead' && withOffsets.has(groupId) ? 'Empty' : g.state;
      return {
        errorCode: ERROR_CODES[g.error],
        groupId,
        groupState: state,
        protocolType: g.protocolType || (state === 'Empty' && withOffsets.has(groupId) ? 'consumer' : ''),
        protocolData: g.protocolName,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: -2147483648,
      };
    }),
  };
};
