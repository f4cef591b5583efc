/**
 * Every failure a caller of @lakestream/sim may branch on. Codes are stable
 * (they are part of the API); messages are for people.
 */
export type SimErrorCode = 'INVALID_OPTIONS' | 'OUTPUT_EXISTS' | 'OUTPUT_WRITE_FAILED' | 'CSV_INVALID';

export interface SimErrorContext {
  /** Directory or file the failure is about. */
  readonly path?: string;
  /** Option name for INVALID_OPTIONS. */
  readonly option?: string;
  /** 1-based line for CSV_INVALID. */
  readonly line?: number;
  /** CSV column for CSV_INVALID. */
  readonly column?: string;
}

export abstract class SimError extends Error {
  abstract readonly code: SimErrorCode;
  /** True when the same call may succeed if simply retried. */
  abstract readonly retriable: boolean;

  constructor(
    message: string,
    readonly context: SimErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An options object failed validation (a caller bug or bad CLI input). */
export class InvalidSimOptionsError extends SimError {
  readonly code = 'INVALID_OPTIONS';
  readonly retriable = false;

  constructor(option: string, problem: string) {
    super(`invalid option ${option}: ${problem}`, { option });
  }
}

/** The output directory already holds files and `force` was not given. */
export class OutputExistsError extends SimError {
  readonly code = 'OUTPUT_EXISTS';
  readonly retriable = false;

  /** @param problem what is in the way, e.g. "is not empty (1000 entries)" */
  constructor(readonly dir: string, problem: string) {
    super(`output directory ${dir} ${problem}`, { path: dir });
  }
}

/** The file system refused a write; `cause` is the underlying Node error. */
export class OutputWriteError extends SimError {
  readonly code = 'OUTPUT_WRITE_FAILED';
  readonly retriable: boolean;

  constructor(path: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot write ${path}: ${errno ?? String(cause)}`, { path }, { cause });
    // Full disks and busy files can clear up; permissions and bad paths do not.
    this.retriable = errno === 'ENOSPC' || errno === 'EBUSY' || errno === 'EAGAIN' || errno === 'EMFILE';
  }
}

/** A satellite CSV row was rejected and the caller asked for strictness (see CsvRowError). */
export class SatelliteCsvError extends SimError {
  readonly code = 'CSV_INVALID';
  readonly retriable = false;

  constructor(file: string, line: number, column: string | undefined, problem: string) {
    super(`${file}:${line}: ${column ? `${column}: ` : ''}${problem}`, { path: file, line, ...(column ? { column } : {}) });
  }
}
