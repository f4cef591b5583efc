/**
 * LeaveGroup: v0–v2 carry one member (its error is the top-level error);
 * v3 carries a list answered per member.
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleLeaveGroup: Handler<typeof API_KEYS.LeaveGroup> = (ctx, { body, apiVersion }) => {
  const results = ctx.coordinator.leave(
    body.groupId,
    body.members.map((m) => m.memberId),
  );
  const members = results.map((r, i) => ({ memberId: r.memberId, groupInstanceId: body.members[i]?.groupInstanceId ?? null, errorCode: ERROR_CODES[r.error] }));
  const errorCode = apiVersion >= 3 ? ERROR_CODES.NONE : (members[0]?.errorCode ?? ERROR_CODES.UNKNOWN_MEMBER_ID);
  return { throttleTimeMs: 0, errorCode, members };
};
