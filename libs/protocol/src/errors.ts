/**
 * The protocol library's only error type. Callers branch on `code`, never on
 * the message. A protocol failure is a property of the bytes (or of the value
 * being encoded): sending the same bytes again cannot succeed, so `retriable`
 * is always false. The broker maps a code to the Kafka error it answers with
 * via `kafkaErrorCodeFor`.
 */
import { ERROR_CODES } from './protocol/error-codes.js';

export type ProtocolErrorCode =
  /** The input ended before a field it announced (length prefix, array count, fixed-size field). */
  | 'TRUNCATED'
  /** The bytes are structurally invalid: a negative length other than -1, an over-long varint, bad tagged fields. */
  | 'MALFORMED'
  /** The request header names an API key this library has no codec for. */
  | 'UNKNOWN_API_KEY'
  /** The API is known but this version is outside the supported range. */
  | 'UNSUPPORTED_VERSION'
  /** A record batch failed its CRC-32C, its length is inconsistent, or compressed data does not decompress. */
  | 'CORRUPT_BATCH'
  /** A record batch with a magic byte other than 2 (message formats v0/v1 are not supported). */
  | 'UNSUPPORTED_MAGIC'
  /** An unknown codec id in the batch attributes, or compressing with lz4/zstd (decode only). */
  | 'UNSUPPORTED_COMPRESSION'
  /** Decompressed data would exceed the caller's limit. */
  | 'TOO_LARGE'
  /** A value cannot be encoded in its wire type (int16 out of range, string longer than 32767 bytes, ...). */
  | 'INVALID_VALUE';

export interface ProtocolErrorContext {
  /** Byte offset in the input (frame, batch or records field) where the problem was found. */
  readonly byteOffset?: number;
  readonly apiKey?: number;
  readonly apiVersion?: number;
  readonly correlationId?: number;
  /** Name of the field being read or written, e.g. `topics[].partitions`. */
  readonly field?: string;
  /** Compression codec id from the batch attributes (0..7). */
  readonly compression?: number;
  /** Length of the input in bytes. */
  readonly length?: number;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly retriable = false;

  constructor(
    readonly code: ProtocolErrorCode,
    /** What was wrong, without the code and context that the full message adds. */
    readonly detail: string,
    readonly context: ProtocolErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describeContext(context)}`, options);
  }

  /** The same error with more context (e.g. the API key, known only to the dispatcher). */
  withContext(extra: ProtocolErrorContext): ProtocolError {
    return new ProtocolError(this.code, this.detail, { ...this.context, ...extra }, { cause: this.cause });
  }
}

export function isProtocolError(value: unknown): value is ProtocolError {
  return value instanceof ProtocolError;
}

/**
 * The Kafka error code a broker should answer with when a request or batch
 * fails with this protocol error.
 */
export function kafkaErrorCodeFor(code: ProtocolErrorCode): number {
  switch (code) {
    case 'UNSUPPORTED_VERSION':
    case 'UNKNOWN_API_KEY':
      return ERROR_CODES.UNSUPPORTED_VERSION;
    case 'CORRUPT_BATCH':
      return ERROR_CODES.CORRUPT_MESSAGE;
    case 'UNSUPPORTED_MAGIC':
      return ERROR_CODES.UNSUPPORTED_FOR_MESSAGE_FORMAT;
    case 'UNSUPPORTED_COMPRESSION':
      return ERROR_CODES.UNSUPPORTED_COMPRESSION_TYPE;
    case 'TOO_LARGE':
      return ERROR_CODES.MESSAGE_TOO_LARGE;
    case 'TRUNCATED':
    case 'MALFORMED':
    case 'INVALID_VALUE':
      return ERROR_CODES.INVALID_REQUEST;
  }
}

/** Wraps anything thrown by non-protocol code (zlib, TextDecoder) into a ProtocolError. */
export function asProtocolError(cause: unknown, code: ProtocolErrorCode, detail: string, context: ProtocolErrorContext = {}): ProtocolError {
  if (cause instanceof ProtocolError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ProtocolError(code, `${detail}: ${reason}`, context, { cause });
}

function describeContext(c: ProtocolErrorContext): string {
  const parts: string[] = [];
  if (c.apiKey !== undefined) parts.push(`api key ${c.apiKey}`);
  if (c.apiVersion !== undefined) parts.push(`version ${c.apiVersion}`);
  if (c.correlationId !== undefined) parts.push(`correlation id ${c.correlationId}`);
  if (c.field !== undefined) parts.push(`field ${c.field}`);
  if (c.compression !== undefined) parts.push(`compression ${c.compression}`);
  if (c.byteOffset !== undefined) parts.push(`byte offset ${c.byteOffset}`);
  if (c.length !== undefined) parts.push(`length ${c.length}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
