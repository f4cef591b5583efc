/**
 * The log's only error type. Callers branch on `code`, never on the message.
 *
 * Expected outcomes a broker answers to clients (offset out of range, topic
 * already exists, a rejected producer check) are returned as values; a
 * `LogError` is thrown for caller bugs (a malformed batch handed to `append`),
 * for use after `close()`, and for storage failures.
 */
export type LogErrorCode =
  /** The bytes handed to `append` are not one well-formed record batch v2. */
  | 'INVALID_BATCH'
  /** An options object or a topic config value is out of range. */
  | 'INVALID_CONFIG'
  /** An argument the store cannot represent (e.g. a group id longer than 32767 bytes). */
  | 'INVALID_ARGUMENT'
  /** The log, manager or store was closed. */
  | 'CLOSED'
  /**
   * A read, write or fsync failed. After a failed append or fsync the
   * partition refuses further appends until it is reopened (which recovers
   * the tail), like Kafka taking a log directory offline.
   */
  | 'STORAGE_ERROR'
  /** A file the log cannot repair by truncation (metadata, offset store header) is unreadable. */
  | 'CORRUPT_FILE';

/** Retriable codes: a client may try again later (possibly after a broker restart). */
const RETRIABLE: ReadonlySet<LogErrorCode> = new Set<LogErrorCode>(['STORAGE_ERROR']);

export interface LogErrorContext {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  /** Path of the file involved. */
  readonly file?: string;
  /** Byte position in `file`. */
  readonly position?: number;
}

export class LogError extends Error {
  override readonly name = 'LogError';
  readonly retriable: boolean;

  constructor(
    readonly code: LogErrorCode,
    /** What was wrong, without the code and context the full message adds. */
    readonly detail: string,
    readonly context: LogErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describeContext(context)}`, options);
    this.retriable = RETRIABLE.has(code);
  }
}

export function isLogError(value: unknown): value is LogError {
  return value instanceof LogError;
}

/** Wraps an fs failure as STORAGE_ERROR unless it already is a LogError. */
export function storageError(cause: unknown, detail: string, context: LogErrorContext = {}): LogError {
  if (cause instanceof LogError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new LogError('STORAGE_ERROR', `${detail}: ${reason}`, context, { cause });
}

function describeContext(c: LogErrorContext): string {
  const parts: string[] = [];
  if (c.topic !== undefined) parts.push(c.partition !== undefined ? `${c.topic}-${c.partition}` : `topic ${c.topic}`);
  else if (c.partition !== undefined) parts.push(`partition ${c.partition}`);
  if (c.offset !== undefined) parts.push(`offset ${c.offset}`);
  if (c.file !== undefined) parts.push(c.position !== undefined ? `${c.file}@${c.position}` : c.file);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
