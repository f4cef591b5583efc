import { expect } from 'vitest';
import {
  API_CODECS,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type ApiKey,
  type RequestBody,
  type ResponseBody,
} from '../src/index.js';
import type { Golden } from './fixtures/golden.js';

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replace(/[^0-9a-f]/gi, ''), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Strips the size prefix an encoder adds, checking that it is right. */
export function unframe(frame: Uint8Array): Uint8Array {
  const size = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getInt32(0);
  expect(size).toBe(frame.length - 4);
  return frame.subarray(4);
}

/** Decodes a golden request strictly and re-encodes it; returns the body. */
export function checkRequestGolden<K extends ApiKey>(apiKey: K, golden: Golden): RequestBody<K> {
  const frame = fromHex(golden.hex);
  const result = decodeRequest(frame, { strict: true });
  if (!result.ok) throw result.error;
  expect(result.request.apiKey).toBe(apiKey);
  expect(result.request.apiVersion).toBe(golden.apiVersion);
  const body = result.request.body as RequestBody<K>;
  const again = encodeRequest({ ...result.request.header, apiKey }, body);
  expect(toHex(unframe(again))).toBe(toHex(frame));
  return body;
}

/** Decodes a golden response and re-encodes it; returns the body. */
export function checkResponseGolden<K extends ApiKey>(apiKey: K, golden: Golden): ResponseBody<K> {
  const frame = fromHex(golden.hex);
  const { correlationId, body } = decodeResponse(apiKey, golden.apiVersion, frame);
  const again = encodeResponse(apiKey, golden.apiVersion, correlationId, body);
  expect(toHex(unframe(again))).toBe(toHex(frame));
  return body;
}

/** Every golden of an API decodes and re-encodes byte for byte. */
export function checkAllGoldens(apiKey: ApiKey, goldens: readonly Golden[]): void {
  for (const golden of goldens) {
    if (golden.kind === 'request') checkRequestGolden(apiKey, golden);
    else checkResponseGolden(apiKey, golden);
  }
}

export function goldenAt(goldens: readonly Golden[], kind: Golden['kind'], apiVersion: number, source = ''): Golden {
  const found = goldens.find((g) => g.kind === kind && g.apiVersion === apiVersion && g.source.includes(source));
  if (!found) throw new Error(`no ${kind} golden v${apiVersion} from "${source}"`);
  return found;
}

/**
 * For every supported version: a request and a response built for that
 * version (version-gated fields at their defaults where absent) survive
 * encode → decode unchanged, through the public frame functions.
 */
export function roundTripEveryVersion<K extends ApiKey>(
  apiKey: K,
  request: (version: number) => RequestBody<K>,
  response: (version: number) => ResponseBody<K>,
): void {
  const codec = API_CODECS[apiKey];
  for (let v = codec.minVersion; v <= codec.maxVersion; v++) {
    const req = request(v);
    const frame = encodeRequest({ apiKey, apiVersion: v, correlationId: 1000 + v, clientId: 'rt' }, req);
    const decoded = decodeRequest(unframe(frame), { strict: true });
    if (!decoded.ok) throw decoded.error;
    expect(decoded.request.body, `${codec.name} v${v} request`).toEqual(req);
    expect(decoded.request.header.correlationId).toBe(1000 + v);

    const res = response(v);
    const resFrame = encodeResponse(apiKey, v, 2000 + v, res);
    const back = decodeResponse(apiKey, v, unframe(resFrame));
    expect(back.correlationId).toBe(2000 + v);
    expect(back.body, `${codec.name} v${v} response`).toEqual(res);
  }
}
