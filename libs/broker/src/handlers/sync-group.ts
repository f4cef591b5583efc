/** SyncGroup (v0–v3): the leader's assignments are copied out of the frame and relayed by the coordinator. */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleSyncGroup: Handler<typeof API_KEYS.SyncGroup> = async (ctx, { body }) => {
  const out = await ctx.coordinator.sync({
    groupId: body.groupId,
    generationId: body.generationId,
    memberId: body.memberId,
    assignments: body.assignments.map((a) => ({ memberId: a.memberId, assignment: Uint8Array.from(a.assignment) })),
  });
  return { throttleTimeMs: 0, errorCode: ERROR_CODES[out.error], assignment: out.assignment };
};
