/**
 * JoinGroup (v0–v5) via the coordinator: waits until the rebalance completes.
 * Member ids are assigned on the first join (no MEMBER_ID_REQUIRED round
 * trip; kafkajs and librdkafka accept that). Protocol metadata is copied out
 * of the request frame because the coordinator keeps it.
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleJoinGroup: Handler<typeof API_KEYS.JoinGroup> = async (ctx, { body, header, connection }) => {
  const out = await ctx.coordinator.join({
    groupId: body.groupId,
    memberId: body.memberId,
    groupInstanceId: body.groupInstanceId,
    clientId: header.clientId ?? '',
    clientHost: connection.clientHost,
    sessionTimeoutMs: body.sessionTimeoutMs,
    rebalanceTimeoutMs: body.rebalanceTimeoutMs < 0 ? body.sessionTimeoutMs : body.rebalanceTimeoutMs,
    protocolType: body.protocolType,
    protocols: body.protocols.map((p) => ({ name: p.name, metadata: Uint8Array.from(p.metadata) })),
  });
  return {
    throttleTimeMs: 0,
    errorCode: ERROR_CODES[out.error],
    generationId: out.generationId,
    protocolName: out.protocolName ?? '',
    leader: out.leader,
    memberId: out.memberId,
    members: out.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata })),
  };
};
