/**
 * The stream lib's errors. Callers branch on `code`, never on the message;
 * `retriable` says whether running the same thing again can succeed.
 */
export type StreamErrorCode =
  /** An option is missing or out of range (names the option). */
  | 'INVALID_OPTIONS'
  /** The Kafka client failed (connect, subscribe, fetch offsets); usually retriable. */
  | 'KAFKA_ERROR'
  /** The processor (the caller's transform) threw: a bug in the transform, fatal. */
  | 'PROCESSOR_FAILED'
  /** A Delta commit failed for a reason other than a fence (storage, schema); the batch is not committed. */
  | 'COMMIT_FAILED'
  /** Another writer moved a table's txn for a partition this batch covers: the batch was dropped and re-read. */
  | 'FENCED'
  /** The engine was stopped a second time while a batch was in flight: the batch was abandoned (replayed next start). */
  | 'ABANDONED';

const RETRIABLE: ReadonlySet<StreamErrorCode> = new Set(['KAFKA_ERROR', 'FENCED', 'ABANDONED']);

export interface StreamErrorContext {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: bigint | number;
  /** Logical table name as the processor declared it. */
  readonly table?: string;
  /** Delta version involved. */
  readonly version?: number;
  readonly batchId?: number;
  readonly option?: string;
}

export class StreamError extends Error {
  override readonly name = 'StreamError';
  readonly retriable: boolean;

  constructor(
    readonly code: StreamErrorCode,
    readonly detail: string,
    readonly context: StreamErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describe(context)}`, options);
    this.retriable = RETRIABLE.has(code);
  }
}

export function isStreamError(e: unknown): e is StreamError {
  return e instanceof StreamError;
}

function describe(c: StreamErrorContext): string {
  const parts: string[] = [];
  if (c.table !== undefined) parts.push(`table ${c.table}${c.version === undefined ? '' : ` v${c.version}`}`);
  if (c.topic !== undefined) parts.push(`${c.topic}${c.partition === undefined ? '' : `/${c.partition}`}${c.offset === undefined ? '' : `@${c.offset}`}`);
  if (c.batchId !== undefined) parts.push(`batch ${c.batchId}`);
  if (c.option !== undefined) parts.push(`option ${c.option}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
