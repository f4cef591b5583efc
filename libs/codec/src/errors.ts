/**
 * The codec's only error type. Callers branch on `code`, never on the message.
 * A codec failure is a property of the bytes (or of the value being encoded):
 * retrying the same input cannot succeed, so `retriable` is always false and a
 * consumer should quarantine the message instead.
 */
export type CodecErrorCode =
  /** Fewer bytes than the frame header or the smallest FlatBuffer needs. */
  | 'TRUNCATED'
  /** First byte is not the wire-format magic byte 0. */
  | 'BAD_MAGIC'
  /** The 4-byte schema id names no schema this build knows. */
  | 'UNKNOWN_SCHEMA'
  /** The FlatBuffers payload failed verification (offsets, lengths, tags, enums, UTF-8). */
  | 'INVALID_BUFFER'
  /** A value is outside its type (encode) or outside its zod range (decode with `validate`). */
  | 'INVALID_EVENT';

export interface CodecErrorContext {
  /** Byte offset in the whole message (header included) where the problem was found. */
  readonly byteOffset?: number;
  readonly schemaId?: number;
  /** Length of the message in bytes. */
  readonly length?: number;
  /** Index of the offending event in a frame (0 for a single-event message). */
  readonly eventIndex?: number;
  /** Dotted path of the offending field, e.g. `power_unit.rpm`. */
  readonly field?: string;
}

export class CodecError extends Error {
  override readonly name = 'CodecError';
  readonly retriable = false;

  constructor(
    readonly code: CodecErrorCode,
    /** What was wrong, without the code and context the full message adds. */
    readonly detail: string,
    readonly context: CodecErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describeContext(context)}`, options);
  }

  /** The same error with more context (e.g. the event index, known only to the frame loop). */
  withContext(extra: CodecErrorContext): CodecError {
    return new CodecError(this.code, this.detail, { ...this.context, ...extra }, { cause: this.cause });
  }
}

export function isCodecError(value: unknown): value is CodecError {
  return value instanceof CodecError;
}

function describeContext(c: CodecErrorContext): string {
  const parts: string[] = [];
  if (c.schemaId !== undefined) parts.push(`schema id ${c.schemaId}`);
  if (c.eventIndex !== undefined) parts.push(`event ${c.eventIndex}`);
  if (c.byteOffset !== undefined) parts.push(`byte offset ${c.byteOffset}`);
  if (c.length !== undefined) parts.push(`message length ${c.length}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
