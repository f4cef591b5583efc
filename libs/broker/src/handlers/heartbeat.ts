/** Heartbeat (v0–v3): keeps the member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleHeartbeat: Handler<typeof API_KEYS.Heartbeat> = (ctx, { body }) => ({
  throttleTimeMs: 0,
  errorCode: ERROR_CODES[ctx.coordinator.heartbeat(body.groupId, body.memberId, body.generationId)],
});
