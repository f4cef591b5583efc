/**
 * frame ─▶ decode ─▶ handler (one per API) ─▶ encode ─▶ outcome for the connection.
 *
 * What cannot be decoded:
 * - ApiVersions in a version we do not speak: the v0 fallback response with
 *   UNSUPPORTED_VERSION (35) and our ranges, so the client retries lower (KIP-511).
 * - Produce v0–v2 (advertised for librdkafka's sake): answered per partition
 *   with UNSUPPORTED_FOR_MESSAGE_FORMAT (legacy-produce.ts).
 * - Any other API key we have no codec for, a version outside the advertised
 *   range, or a malformed/truncated body: the connection is closed with one
 *   logged reason, as Kafka does (no response layout exists for a version or
 *   API we do not know). Clients only send what ApiVersions advertised.
 */
import {
  API_KEYS,
  apiNameOf,
  decodeRequest,
  encodeApiVersionsFallbackResponse,
  encodeResponse,
  type ApiKey,
  type DecodeRequestResult,
  type FetchResponse,
  type KafkaRequest,
  type RequestBody,
} from '@lakestream/protocol';
import type { ConnectionInfo, FrameHandler, HandlerOutcome } from '../network/types.js';
import { handleApiVersions } from './api-versions.js';
import { CloseConnection, NO_RESPONSE, type Handler, type HandlerContext } from './context.js';
import { handleCreateTopics } from './create-topics.js';
import { handleDeleteTopics } from './delete-topics.js';
import { handleDescribeGroups } from './describe-groups.js';
import { handleFetch } from './fetch.js';
import { handleFindCoordinator } from './find-coordinator.js';
import { handleHeartbeat } from './heartbeat.js';
import { handleInitProducerId } from './init-producer-id.js';
import { handleJoinGroup } from './join-group.js';
import { handleLeaveGroup } from './leave-group.js';
import { answerLegacyProduce, LEGACY_PRODUCE_MAX_VERSION } from './legacy-produce.js';
import { handleListGroups } from './list-groups.js';
import { handleListOffsets } from './list-offsets.js';
import { handleMetadata } from './metadata.js';
import { handleOffsetCommit } from './offset-commit.js';
import { handleOffsetFetch } from './offset-fetch.js';
import { handleProduce } from './produce.js';
import { handleSyncGroup } from './sync-group.js';

/** One handler per API; the mapped type makes a missing API a compile error. */
const HANDLERS: { readonly [K in ApiKey]: Handler<K> } = {
  [API_KEYS.Produce]: handleProduce,
  [API_KEYS.Fetch]: handleFetch,
  [API_KEYS.ListOffsets]: handleListOffsets,
  [API_KEYS.Metadata]: handleMetadata,
  [API_KEYS.OffsetCommit]: handleOffsetCommit,
  [API_KEYS.OffsetFetch]: handleOffsetFetch,
  [API_KEYS.FindCoordinator]: handleFindCoordinator,
  [API_KEYS.JoinGroup]: handleJoinGroup,
  [API_KEYS.Heartbeat]: handleHeartbeat,
  [API_KEYS.LeaveGroup]: handleLeaveGroup,
  [API_KEYS.SyncGroup]: handleSyncGroup,
  [API_KEYS.DescribeGroups]: handleDescribeGroups,
  [API_KEYS.ListGroups]: handleListGroups,
  [API_KEYS.ApiVersions]: handleApiVersions,
  [API_KEYS.CreateTopics]: handleCreateTopics,
  [API_KEYS.DeleteTopics]: handleDeleteTopics,
  [API_KEYS.InitProducerId]: handleInitProducerId,
};

export class RequestDispatcher implements FrameHandler {
  constructor(private readonly ctx: HandlerContext) {}

  async handle(frame: Buffer, connection: ConnectionInfo, signal: AbortSignal): Promise<HandlerOutcome> {
    const decoded = decodeRequest(frame);
    if (!decoded.ok) {
      // Names the client in the log line (and its warnings' rate limit) even when its request cannot be handled.
      connection.clientId ??= decoded.header?.clientId ?? undefined;
      return undecodable(frame, decoded);
    }
    const { request } = decoded;
    connection.clientId ??= request.header.clientId ?? undefined;
    try {
      return await this.run(request, connection, signal);
    } catch (e) {
      return {
        type: 'close',
        level: 'error',
        reason: `${apiNameOf(request.apiKey) ?? request.apiKey} v${request.apiVersion} failed: ${e instanceof Error ? e.message : String(e)}`,
        fields: { correlationId: request.header.correlationId },
      };
    }
  }

  private async run<K extends ApiKey>(request: KafkaRequest & { readonly apiKey: K }, connection: ConnectionInfo, signal: AbortSignal): Promise<HandlerOutcome> {
    const handler: Handler<K> = HANDLERS[request.apiKey];
    // KafkaRequest is a union discriminated by apiKey; TypeScript cannot carry that correlation into K.
    const body = request.body as RequestBody<K>;
    const result = await handler(this.ctx, { apiVersion: request.apiVersion, header: request.header, body, connection, signal });
    if (result === NO_RESPONSE) return { type: 'silent' };
    if (result instanceof CloseConnection) return { type: 'close', reason: result.reason };
    const initialCapacity = request.apiKey === API_KEYS.Fetch ? fetchSizeHint(result as FetchResponse) : undefined;
    return { type: 'respond', bytes: encodeResponse(request.apiKey, request.apiVersion, request.header.correlationId, result, { initialCapacity }) };
  }
}

function undecodable(frame: Uint8Array, decoded: Extract<DecodeRequestResult, { ok: false }>): HandlerOutcome {
  const { error, header } = decoded;
  if (header && error.code === 'UNSUPPORTED_VERSION') {
    if (header.apiKey === API_KEYS.ApiVersions) return { type: 'respond', bytes: encodeApiVersionsFallbackResponse(header.correlationId) };
    if (header.apiKey === API_KEYS.Produce && header.apiVersion >= 0 && header.apiVersion <= LEGACY_PRODUCE_MAX_VERSION) {
      const answer = answerLegacyProduce(frame);
      if (answer === null) return { type: 'silent' };
      if (answer !== undefined) return { type: 'respond', bytes: answer };
    }
  }
  return { type: 'close', reason: `undecodable request: ${error.message}`, fields: { code: error.code } };
}

function fetchSizeHint(response: FetchResponse): number {
  let bytes = 256;
  for (const t of response.responses) {
    bytes += 64 + t.topic.length;
    for (const p of t.partitions) {
      bytes += 64;
      if (p.records instanceof Uint8Array) bytes += p.records.length;
    }
  }
  return bytes;
}
