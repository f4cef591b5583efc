/**
 * ListGroups: groups the coordinator knows plus groups that only have
 * committed offsets (listed as Empty consumer groups); v4 filters by state.
 */
import { ERROR_CODES, type API_KEYS, type ListedGroup } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleListGroups: Handler<typeof API_KEYS.ListGroups> = (ctx, { body }) => {
  const groups = new Map<string, ListedGroup>();
  for (const groupId of ctx.offsets.groups()) groups.set(groupId, { groupId, protocolType: 'consumer', groupState: 'Empty' });
  for (const g of ctx.coordinator.list()) {
    if (g.state === 'Dead') continue;
    groups.set(g.groupId, { groupId: g.groupId, protocolType: g.protocolType || groups.get(g.groupId)?.protocolType || '', groupState: g.state });
  }
  const wanted = new Set(body.statesFilter.map((s) => s.toLowerCase()));
  const listed = [...groups.values()].filter((g) => wanted.size === 0 || wanted.has((g.groupState ?? '').toLowerCase()));
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, groups: listed.sort((a, b) => a.groupId.localeCompare(b.groupId)) };
};
