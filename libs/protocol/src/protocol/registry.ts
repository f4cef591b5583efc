import { apiVersionsApi, type ApiVersionsRequest, type ApiVersionsResponse } from '../apis/api-versions.js';
import { createTopicsApi, type CreateTopicsRequest, type CreateTopicsResponse } from '../apis/create-topics.js';
import { deleteTopicsApi, type DeleteTopicsRequest, type DeleteTopicsResponse } from '../apis/delete-topics.js';
import { describeGroupsApi, type DescribeGroupsRequest, type DescribeGroupsResponse } from '../apis/describe-groups.js';
import { fetchApi, type FetchRequest, type FetchResponse } from '../apis/fetch.js';
import { findCoordinatorApi, type FindCoordinatorRequest, type FindCoordinatorResponse } from '../apis/find-coordinator.js';
import { heartbeatApi, type HeartbeatRequest, type HeartbeatResponse } from '../apis/heartbeat.js';
import { initProducerIdApi, type InitProducerIdRequest, type InitProducerIdResponse } from '../apis/init-producer-id.js';
import { joinGroupApi, type JoinGroupRequest, type JoinGroupResponse } from '../apis/join-group.js';
import { leaveGroupApi, type LeaveGroupRequest, type LeaveGroupResponse } from '../apis/leave-group.js';
import { listGroupsApi, type ListGroupsRequest, type ListGroupsResponse } from '../apis/list-groups.js';
import { listOffsetsApi, type ListOffsetsRequest, type ListOffsetsResponse } from '../apis/list-offsets.js';
import { metadataApi, type MetadataRequest, type MetadataResponse } from '../apis/metadata.js';
import { offsetCommitApi, type OffsetCommitRequest, type OffsetCommitResponse } from '../apis/offset-commit.js';
import { offsetFetchApi, type OffsetFetchRequest, type OffsetFetchResponse } from '../apis/offset-fetch.js';
import { produceApi, type ProduceRequest, type ProduceResponse } from '../apis/produce.js';
import { syncGroupApi, type SyncGroupRequest, type SyncGroupResponse } from '../apis/sync-group.js';
import type { ApiCodec } from './api-codec.js';
import type { ApiKey } from './api-keys.js';

/** Request and response body types by API key. */
export interface ApiMessages {
  0: { request: ProduceRequest; response: ProduceResponse };
  1: { request: FetchRequest; response: FetchResponse };
  2: { request: ListOffsetsRequest; response: ListOffsetsResponse };
  3: { request: MetadataRequest; response: MetadataResponse };
  8: { request: OffsetCommitRequest; response: OffsetCommitResponse };
  9: { request: OffsetFetchRequest; response: OffsetFetchResponse };
  10: { request: FindCoordinatorRequest; response: FindCoordinatorResponse };
  11: { request: JoinGroupRequest; response: JoinGroupResponse };
  12: { request: HeartbeatRequest; response: HeartbeatResponse };
  13: { request: LeaveGroupRequest; response: LeaveGroupResponse };
  14: { request: SyncGroupRequest; response: SyncGroupResponse };
  15: { request: DescribeGroupsRequest; response: DescribeGroupsResponse };
  16: { request: ListGroupsRequest; response: ListGroupsResponse };
  18: { request: ApiVersionsRequest; response: ApiVersionsResponse };
  19: { request: CreateTopicsRequest; response: CreateTopicsResponse };
  20: { request: DeleteTopicsRequest; response: DeleteTopicsResponse };
  22: { request: InitProducerIdRequest; response: InitProducerIdResponse };
}

export type RequestBody<K extends ApiKey> = ApiMessages[K]['request'];
export type ResponseBody<K extends ApiKey> = ApiMessages[K]['response'];

type CodecTable = { readonly [K in ApiKey]: ApiCodec<RequestBody<K>, ResponseBody<K>> };

/** Every API's codec by key; the mapped type makes a missing API a compile error. */
export const API_CODECS: CodecTable = {
  0: produceApi,
  1: fetchApi,
  2: listOffsetsApi,
  3: metadataApi,
  8: offsetCommitApi,
  9: offsetFetchApi,
  10: findCoordinatorApi,
  11: joinGroupApi,
  12: heartbeatApi,
  13: leaveGroupApi,
  14: syncGroupApi,
  15: describeGroupsApi,
  16: listGroupsApi,
  18: apiVersionsApi,
  19: createTopicsApi,
  20: deleteTopicsApi,
  22: initProducerIdApi,
};

export interface SupportedApi {
  readonly apiKey: ApiKey;
  readonly name: string;
  /** Advertised minimum (Produce advertises 0 but decodes from 3; see produce.ts). */
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** What the broker advertises in ApiVersions, ordered by key. */
export const SUPPORTED_APIS: readonly SupportedApi[] = Object.values(API_CODECS)
  .map((codec) => ({
    apiKey: codec.apiKey as ApiKey,
    name: codec.name,
    minVersion: codec.advertisedMinVersion ?? codec.minVersion,
    maxVersion: codec.maxVersion,
  }))
  .sort((a, b) => a.apiKey - b.apiKey);

export function isSupportedApiKey(apiKey: number): apiKey is ApiKey {
  return Object.prototype.hasOwnProperty.call(API_CODECS, apiKey);
}

/** The codec for a key, typed by key. */
export function codecFor<K extends ApiKey>(apiKey: K): ApiCodec<RequestBody<K>, ResponseBody<K>> {
  return API_CODECS[apiKey];
}
