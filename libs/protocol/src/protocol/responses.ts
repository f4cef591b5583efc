import { apiVersionsApi } from '../apis/api-versions.js';
import { ProtocolError } from '../errors.js';
import { Reader } from '../primitives/reader.js';
import { API_KEYS, isFlexibleVersion, type ApiKey } from './api-keys.js';
import { writeSizePrefixed } from './framing.js';
import { decodeResponseHeader, encodeResponseHeader, responseHeaderVersion } from './header.js';
import { API_CODECS, SUPPORTED_APIS, type ResponseBody, type SupportedApi } from './registry.js';
import { checkVersion } from './requests.js';

export interface EncodeResponseOptions {
  /** Bytes to allocate up front; pass the records size for large Fetch responses to avoid regrowth. */
  readonly initialCapacity?: number;
}

/**
 * Encodes a response frame: size prefix, response header (v0, or v1 for
 * flexible versions except ApiVersions), body. Throws `ProtocolError`
 * (`UNSUPPORTED_VERSION`, `INVALID_VALUE`) only for a body the broker built wrong.
 */
export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  body: ResponseBody<K>,
  options: EncodeResponseOptions = {},
): Uint8Array {
  const codec = API_CODECS[apiKey];
  checkVersion(codec, apiVersion);
  return writeSizePrefixed(options.initialCapacity ?? 256, (w) => {
    encodeResponseHeader(w, correlationId, responseHeaderVersion(apiKey, apiVersion));
    w.flexible = isFlexibleVersion(apiKey, apiVersion);
    codec.encodeResponse(w, apiVersion, body);
  });
}

export interface DecodedResponse<K extends ApiKey> {
  readonly correlationId: number;
  readonly body: ResponseBody<K>;
}

/**
 * Decodes a response frame (bytes after the size prefix) for a request the
 * caller sent with `apiKey`/`apiVersion`. Throws `ProtocolError`. For tests
 * and tools; the broker never reads responses.
 */
export function decodeResponse<K extends ApiKey>(apiKey: K, apiVersion: number, frame: Uint8Array): DecodedResponse<K> {
  const codec = API_CODECS[apiKey];
  checkVersion(codec, apiVersion);
  const r = new Reader(frame);
  const { correlationId } = decodeResponseHeader(r, responseHeaderVersion(apiKey, apiVersion));
  const bodyReader = new Reader(frame, { offset: r.offset, flexible: isFlexibleVersion(apiKey, apiVersion) });
  const body = codec.decodeResponse(bodyReader, apiVersion);
  if (bodyReader.remaining > 0) {
    throw new ProtocolError('MALFORMED', `${bodyReader.remaining} bytes after the ${codec.name} response body`, {
      apiKey,
      apiVersion,
      byteOffset: bodyReader.offset,
    });
  }
  return { correlationId, body };
}

/**
 * The answer to an ApiVersions request in a version the broker does not
 * speak (KIP-511): a v0 response, whatever the request version, carrying
 * UNSUPPORTED_VERSION (35) and the supported ranges, so the client can retry
 * with a version from the list.
 */
export function encodeApiVersionsFallbackResponse(
  correlationId: number,
  apis: readonly Pick<SupportedApi, 'apiKey' | 'minVersion' | 'maxVersion'>[] = SUPPORTED_APIS,
): Uint8Array {
  return writeSizePrefixed(16 + apis.length * 6, (w) => {
    encodeResponseHeader(w, correlationId, 0);
    apiVersionsApi.encodeResponse(w, 0, {
      errorCode: 35,
      apiKeys: apis.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })),
    });
  });
}

/** The ApiVersions v0-v3 response body advertising `apis` (default: `SUPPORTED_APIS`). */
export function apiVersionsResponseBody(
  apis: readonly Pick<SupportedApi, 'apiKey' | 'minVersion' | 'maxVersion'>[] = SUPPORTED_APIS,
): ResponseBody<typeof API_KEYS.ApiVersions> {
  return { errorCode: 0, apiKeys: apis.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion })), throttleTimeMs: 0 };
}
