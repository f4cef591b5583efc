import { asProtocolError, ProtocolError } from '../errors.js';
import { Reader } from '../primitives/reader.js';
import type { ApiKey } from './api-keys.js';
import { apiNameOf, isFlexibleVersion } from './api-keys.js';
import { writeSizePrefixed } from './framing.js';
import { decodeRequestHeaderFields, encodeRequestHeader, peekRequestHeader, requestHeaderVersion, type RequestHeader } from './header.js';
import { API_CODECS, isSupportedApiKey, type RequestBody } from './registry.js';

/** A decoded request, discriminated by `apiKey` so a `switch` narrows `body`. */
export type KafkaRequest = {
  readonly [K in ApiKey]: {
    readonly apiKey: K;
    readonly apiVersion: number;
    readonly header: RequestHeader;
    readonly body: RequestBody<K>;
  };
}[ApiKey];

export type DecodeRequestResult =
  | { readonly ok: true; readonly request: KafkaRequest }
  | {
      readonly ok: false;
      readonly error: ProtocolError;
      /**
       * The header when it decoded (always for `UNKNOWN_API_KEY` and
       * `UNSUPPORTED_VERSION`), so the broker can answer with its correlation id.
       */
      readonly header: RequestHeader | undefined;
    };

export interface DecodeRequestOptions {
  /** Treat bytes after the body as `MALFORMED` (default false: ignored, as Kafka does). */
  readonly strict?: boolean;
}

/**
 * Decodes one request: `frame` is the bytes after the 4-byte size prefix
 * (header + body). Never throws: every failure is a `ProtocolError` value,
 * and unknown keys and unsupported versions come back with the header so the
 * broker can answer UNSUPPORTED_VERSION (see `encodeApiVersionsFallbackResponse`).
 * Byte fields of the body (records, metadata) are views of `frame`.
 */
export function decodeRequest(frame: Uint8Array, options: DecodeRequestOptions = {}): DecodeRequestResult {
  let header: RequestHeader | undefined;
  try {
    const r = new Reader(frame);
    header = decodeRequestHeaderFields(r);
    const { apiKey, apiVersion, correlationId } = header;
    const context = { apiKey, apiVersion, correlationId };
    if (!isSupportedApiKey(apiKey)) {
      const name = apiNameOf(apiKey);
      return fail(new ProtocolError('UNKNOWN_API_KEY', `no codec for API key ${apiKey}${name ? ` (${name})` : ''}`, context), header);
    }
    const codec = API_CODECS[apiKey];
    if (apiVersion < codec.minVersion || apiVersion > codec.maxVersion) {
      const range = `${codec.minVersion}-${codec.maxVersion}`;
      return fail(new ProtocolError('UNSUPPORTED_VERSION', `${codec.name} v${apiVersion} (supported ${range})`, context), header);
    }
    if (requestHeaderVersion(apiKey, apiVersion) === 2) r.alwaysTaggedFields();
    const bodyReader = new Reader(frame, { offset: r.offset, flexible: isFlexibleVersion(apiKey, apiVersion) });
    // The codec table is keyed by apiKey, so codec and body always belong together.
    const body = codec.decodeRequest(bodyReader, apiVersion);
    if (options.strict && bodyReader.remaining > 0) {
      throw new ProtocolError('MALFORMED', `${bodyReader.remaining} bytes after the ${codec.name} body`, { byteOffset: bodyReader.offset });
    }
    return { ok: true, request: { apiKey, apiVersion, header, body } as KafkaRequest };
  } catch (cause) {
    const peeked = peekRequestHeader(frame);
    const error = asProtocolError(cause, 'MALFORMED', 'request did not decode', { length: frame.length });
    return fail(peeked ? error.withContext(peeked) : error, header);
  }
}

function fail(error: ProtocolError, header: RequestHeader | undefined): DecodeRequestResult {
  return { ok: false, error, header };
}

/** `decodeRequest` for callers that prefer an exception: throws the `ProtocolError`. */
export function decodeRequestOrThrow(frame: Uint8Array, options: DecodeRequestOptions = {}): KafkaRequest {
  const result = decodeRequest(frame, options);
  if (!result.ok) throw result.error;
  return result.request;
}

/**
 * Encodes a request as a client would send it: size prefix, header (version
 * chosen from the API version), body. For tests, tools and golden fixtures.
 */
export function encodeRequest<K extends ApiKey>(header: RequestHeader & { readonly apiKey: K }, body: RequestBody<K>): Uint8Array {
  const codec = API_CODECS[header.apiKey];
  checkVersion(codec, header.apiVersion);
  return writeSizePrefixed(128, (w) => {
    encodeRequestHeader(w, header);
    w.flexible = isFlexibleVersion(header.apiKey, header.apiVersion);
    codec.encodeRequest(w, header.apiVersion, body);
  });
}

export function checkVersion(codec: { readonly name: string; readonly apiKey: number; readonly minVersion: number; readonly maxVersion: number }, version: number): void {
  if (version < codec.minVersion || version > codec.maxVersion) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `${codec.name} v${version} (supported ${codec.minVersion}-${codec.maxVersion})`, {
      apiKey: codec.apiKey,
      apiVersion: version,
    });
  }
}
