import type { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';
import { API_KEYS, isFlexibleVersion } from './api-keys.js';

/**
 * Request header v0 (apiKey, apiVersion, correlationId), v1 (+ clientId as a
 * classic nullable string, even in flexible versions, so any broker can read
 * it) and v2 (+ tagged fields). Response header v0 (correlationId) and v1
 * (+ tagged fields).
 */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** null when the client sent null or the header is v0. */
  readonly clientId: string | null;
}

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

const CONTROLLED_SHUTDOWN = 7;

/** Flexible API versions use request header v2; ControlledShutdown v0 alone uses v0. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): RequestHeaderVersion {
  if (apiKey === CONTROLLED_SHUTDOWN && apiVersion === 0) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 2 : 1;
}

/**
 * Flexible API versions use response header v1, except ApiVersions: a client
 * must be able to read its response before it knows which versions the
 * broker speaks, so that header never changes (v0).
 */
export function responseHeaderVersion(apiKey: number, apiVersion: number): ResponseHeaderVersion {
  if (apiKey === API_KEYS.ApiVersions) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 1 : 0;
}

export function decodeRequestHeader(r: Reader): RequestHeader {
  const header = decodeRequestHeaderFields(r);
  if (requestHeaderVersion(header.apiKey, header.apiVersion) === 2) r.alwaysTaggedFields();
  return header;
}

/**
 * The header up to clientId, leaving a v2 header's tag section unread: enough
 * to answer a request for an API or version we do not speak.
 */
export function decodeRequestHeaderFields(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = requestHeaderVersion(apiKey, apiVersion) >= 1 ? r.classicNullableString() : null;
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Reads only apiKey, apiVersion and correlationId, which every header version starts with. */
export function peekRequestHeader(frame: Uint8Array): Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId'> | undefined {
  if (frame.length < 8) return undefined;
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return { apiKey: v.getInt16(0), apiVersion: v.getInt16(2), correlationId: v.getInt32(4) };
}

export function encodeRequestHeader(w: Writer, header: RequestHeader): void {
  const version = requestHeaderVersion(header.apiKey, header.apiVersion);
  w.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId);
  if (version >= 1) w.classicNullableString(header.clientId);
  if (version === 2) w.alwaysTaggedFields();
}

export function decodeResponseHeader(r: Reader, version: ResponseHeaderVersion): { readonly correlationId: number } {
  const correlationId = r.int32();
  if (version === 1) r.alwaysTaggedFields();
  return { correlationId };
}

export function encodeResponseHeader(w: Writer, correlationId: number, version: ResponseHeaderVersion): void {
  w.int32(correlationId);
  if (version === 1) w.alwaysTaggedFields();
}

