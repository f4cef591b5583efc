/**
 * The sink lib's error types. Callers branch on `code` (stable) or on the
 * subclass, never on the message. Every error carries what a person needs to
 * find the problem: table root, version, file, line.
 */
export type SinkErrorCode =
  /** A path the store was asked to read does not exist. */
  | 'NOT_FOUND'
  /** The file system / object store failed (permissions, disk full, I/O). */
  | 'STORAGE_ERROR'
  /** There is no `_delta_log` (or no commit) at the table root. */
  | 'TABLE_NOT_FOUND'
  /** `create` found a table that already has a version 0. */
  | 'TABLE_EXISTS'
  /** A commit file or checkpoint is not valid Delta (bad JSON, missing fields). */
  | 'INVALID_LOG'
  /** Log versions are not contiguous (a commit is missing). */
  | 'VERSION_GAP'
  /** Time travel asked for a version/timestamp the log cannot reconstruct. */
  | 'VERSION_NOT_FOUND'
  /** The table needs a reader/writer version or table feature this lib does not implement. */
  | 'UNSUPPORTED_PROTOCOL'
  /** A concurrent commit changed something this transaction depends on. */
  | 'COMMIT_CONFLICT'
  /** Lost the commit race more times than allowed; trying again later can succeed. */
  | 'COMMIT_RETRIES_EXHAUSTED'
  /** An earlier write of the same append pipeline failed; this one was not committed and its files were deleted. */
  | 'PIPELINE_ABORTED'
  /** Appended data does not fit the table schema (new columns without mergeSchema, type change). */
  | 'SCHEMA_MISMATCH'
  /** An option is missing or out of range. */
  | 'INVALID_OPTIONS'
  // Data layer (src/data, src/schema): types, partition values, Parquet, predicates.
  | 'UNSUPPORTED_TYPE'
  | 'INVALID_SCHEMA'
  | 'INVALID_PARTITION_VALUE'
  | 'PARQUET_WRITE_FAILED'
  | 'PARQUET_READ_FAILED'
  | 'INVALID_PREDICATE';

const RETRIABLE: ReadonlySet<SinkErrorCode> = new Set<SinkErrorCode>([
  'STORAGE_ERROR',
  'COMMIT_RETRIES_EXHAUSTED',
]);

export interface SinkErrorContext {
  /** Table root (directory or URI). */
  readonly table?: string;
  readonly version?: number;
  /** File involved, relative to the table root or the store. */
  readonly file?: string;
  /** 1-based line in a commit file. */
  readonly line?: number;
  /** Column at fault (data layer). */
  readonly column?: string;
  /** Columns at fault (schema errors). */
  readonly columns?: readonly string[];
  /** Option at fault. */
  readonly option?: string;
  /** Delta txn appId at fault (a fenced commit). */
  readonly appId?: string;
  /** The txn version of `appId` the commit expected (`null`: no txn for it yet). */
  readonly expectedTxnVersion?: number | null;
  /** The txn version of `appId` the table held instead (`null`: none). */
  readonly foundTxnVersion?: number | null;
}

export class SinkError extends Error {
  override readonly name: string = 'SinkError';
  readonly retriable: boolean;

  constructor(
    readonly code: SinkErrorCode,
    /** What was wrong, without the code and context the full message adds. */
    readonly detail: string,
    readonly context: SinkErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describe(context)}`, options);
    this.retriable = RETRIABLE.has(code);
  }
}

/** Storage-level failures (`NOT_FOUND`, `STORAGE_ERROR`). */
export class StorageError extends SinkError {
  override readonly name = 'StorageError';
}

/** The log cannot be read as Delta (`INVALID_LOG`, `VERSION_GAP`, `TABLE_NOT_FOUND`, `VERSION_NOT_FOUND`). */
export class DeltaLogError extends SinkError {
  override readonly name = 'DeltaLogError';
}

/** The table requires a protocol version or feature we do not implement. */
export class UnsupportedProtocolError extends SinkError {
  override readonly name = 'UnsupportedProtocolError';
  constructor(detail: string, context: SinkErrorContext = {}) {
    super('UNSUPPORTED_PROTOCOL', detail, context);
  }
}

/**
 * Why a concurrent winner invalidated our transaction. `TXN_FENCED`: the
 * table's txn version of an appId is not the one the write expected
 * (`expectTxn`, a compare-and-set): another writer moved it, e.g. this one is
 * a zombie after a rebalance; context names `appId`, `expectedTxnVersion`, `foundTxnVersion`.
 */
export type ConflictReason = 'METADATA_CHANGED' | 'PROTOCOL_CHANGED' | 'TXN_CONFLICT' | 'TXN_FENCED' | 'FILES_REMOVED' | 'FILES_ADDED';

/** A concurrent commit made ours invalid; re-read the table and decide again. */
export class CommitConflictError extends SinkError {
  override readonly name = 'CommitConflictError';
  constructor(
    readonly reason: ConflictReason,
    detail: string,
    context: SinkErrorContext = {},
  ) {
    super('COMMIT_CONFLICT', `${reason}: ${detail}`, context);
  }
}

/** Data does not fit the table schema. */
export class SchemaMismatchError extends SinkError {
  override readonly name = 'SchemaMismatchError';
  constructor(detail: string, context: SinkErrorContext = {}) {
    super('SCHEMA_MISMATCH', detail, context);
  }
}

export function isSinkError(value: unknown): value is SinkError {
  return value instanceof SinkError;
}

/**
 * `error` with the missing parts of its context (table, version, file…)
 * filled in from `context` by a layer that knows them; what the error
 * already names wins. Class, code, cause and stack are kept. Anything that
 * is not a `SinkError` is returned as it is (a bug must surface as one).
 */
export function withErrorContext(error: unknown, context: SinkErrorContext): unknown {
  if (!(error instanceof SinkError)) return error;
  const merged: SinkErrorContext = { ...context, ...Object.fromEntries(Object.entries(error.context).filter(([, v]) => v !== undefined)) };
  if (Object.keys(merged).every((k) => (error.context as Record<string, unknown>)[k] !== undefined)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as SinkError;
  const message = `${error.code}: ${error.detail}${describe(merged)}`;
  Object.defineProperty(copy, 'context', { value: merged, enumerable: true, configurable: true });
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true });
  if (error.stack !== undefined) Object.defineProperty(copy, 'stack', { value: error.stack.replace(error.message, message), writable: true, configurable: true });
  return copy;
}

function describe(context: SinkErrorContext): string {
  const parts = Object.entries(context)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
