import type { ApiCodec } from '../protocol/api-codec.js';

/** DeleteTopics (key 20), v0-v1. v1 adds throttle time. */
export interface DeleteTopicsRequest {
  readonly topicNames: readonly string[];
  readonly timeoutMs: number;
}

export interface DeleteTopicsResponse {
  /** v1+, default 0. */
  readonly throttleTimeMs?: number;
  readonly responses: ReadonlyArray<{ readonly name: string; readonly errorCode: number }>;
}

export const deleteTopicsApi: ApiCodec<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,

  decodeRequest(r) {
    return { topicNames: r.stringArray(), timeoutMs: r.int32() };
  },

  encodeRequest(w, _version, body) {
    w.stringArray(body.topicNames).int32(body.timeoutMs);
  },

  decodeResponse(r, version) {
    const throttleTimeMs = version >= 1 ? r.int32() : 0;
    return { throttleTimeMs, responses: r.array((t) => ({ name: t.string(), errorCode: t.int16() })) };
  },

  encodeResponse(w, version, body) {
    if (version >= 1) w.int32(body.throttleTimeMs ?? 0);
    w.array(body.responses, (t, topic) => t.string(topic.name).int16(topic.errorCode));
  },
};
