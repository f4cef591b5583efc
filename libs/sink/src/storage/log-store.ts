/**
 * The narrow storage interface the Delta log and the table sit on, after
 * delta-rs's `LogStore`: read, list, put-if-absent, write, delete. Paths are
 * `/`-separated and relative to the table root. Anything that can implement
 * these five calls (local disk, S3 with `If-None-Match: *`) can hold a table.
 */
export interface FileInfo {
  /** Path relative to the table root, `/`-separated. */
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly modificationTime: number;
}

/** Outcome of a conditional create: losing the race is a value, not an exception. */
export type PutIfAbsentResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'EXISTS' };

export interface LogStore {
  /** Human-readable location, used in error context (a directory or a URI). */
  readonly location: string;
  /**
   * Files whose path starts with `prefix` (a directory such as `_delta_log/`
   * lists that directory recursively), in lexicographic path order.
   * A missing prefix directory lists as empty. With `startAfter`, only
   * paths greater than it (S3's `StartAfter`; a store may ignore it, callers
   * filter again).
   */
  list(prefix: string, options?: { readonly startAfter?: string }): Promise<FileInfo[]>;
  /** Whole file; throws `StorageError` with code `NOT_FOUND` when absent. */
  read(path: string): Promise<Uint8Array>;
  /** Size and modification time; `undefined` when absent. */
  head(path: string): Promise<FileInfo | undefined>;
  /**
   * Atomically create `path` with `bytes` unless it exists. Readers never see
   * a partial file and an existing file is never replaced: this is the commit.
   */
  putIfAbsent(path: string, bytes: Uint8Array): Promise<PutIfAbsentResult>;
  /** Atomically create or replace `path` (data files, checkpoints, `_last_checkpoint`). */
  write(path: string, bytes: Uint8Array): Promise<void>;
  /** Remove `path`; absent is fine. */
  delete(path: string): Promise<void>;
}
