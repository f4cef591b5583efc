/**
 * Typed failures of the test fixtures. Tests branch on `code`; `retriable`
 * says whether running the same thing again may help (e.g. a slow machine).
 */
export type TestingErrorCode =
  | 'TOOL_MISSING'
  | 'MOCK_CLUSTER_START_FAILED'
  | 'MOCK_CLUSTER_TIMEOUT'
  | 'KCAT_FAILED'
  | 'KCAT_TIMEOUT'
  | 'KCAT_OUTPUT_INVALID'
  | 'DELTA_LOG_INVALID'
  | 'DELTA_UNSUPPORTED'
  | 'DUCKDB_QUERY_FAILED'
  | 'APP_START_FAILED'
  | 'APP_TIMEOUT'
  | 'APP_EXITED';

export interface TestingErrorContext {
  readonly command?: string;
  readonly bootstrap?: string;
  readonly topic?: string;
  readonly stderr?: string;
  readonly [key: string]: unknown;
}

export abstract class TestingError extends Error {
  abstract readonly code: TestingErrorCode;
  abstract readonly retriable: boolean;
  readonly context: TestingErrorContext;

  constructor(message: string, context: TestingErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** A required external tool (kcat, flatc, ...) is not installed; raised under CI instead of skipping. */
export class ToolMissingError extends TestingError {
  readonly code = 'TOOL_MISSING';
  readonly retriable = false;
}

/** kcat's mock cluster did not come up (exited, or never logged its bootstrap address). */
export class MockClusterError extends TestingError {
  readonly code: 'MOCK_CLUSTER_START_FAILED' | 'MOCK_CLUSTER_TIMEOUT';
  readonly retriable: boolean;

  constructor(code: 'MOCK_CLUSTER_START_FAILED' | 'MOCK_CLUSTER_TIMEOUT', message: string, context: TestingErrorContext = {}, options?: { cause?: unknown }) {
    super(message, context, options);
    this.code = code;
    this.retriable = code === 'MOCK_CLUSTER_TIMEOUT';
  }
}

/** A kcat run failed, timed out, or printed something the record parser cannot read. */
export class KcatError extends TestingError {
  readonly code: 'KCAT_FAILED' | 'KCAT_TIMEOUT' | 'KCAT_OUTPUT_INVALID';
  readonly retriable: boolean;

  constructor(code: 'KCAT_FAILED' | 'KCAT_TIMEOUT' | 'KCAT_OUTPUT_INVALID', message: string, context: TestingErrorContext = {}, options?: { cause?: unknown }) {
    super(message, context, options);
    this.code = code;
    this.retriable = code === 'KCAT_TIMEOUT';
  }
}

/**
 * The independent DuckDB Delta reader could not read a table: a broken or
 * missing log (`DELTA_LOG_INVALID`), a feature it does not implement
 * (`DELTA_UNSUPPORTED`: deletion vectors, column mapping, multi-part
 * checkpoints), or DuckDB refused a query (`DUCKDB_QUERY_FAILED`, with the SQL).
 */
export class DeltaReadError extends TestingError {
  readonly code: 'DELTA_LOG_INVALID' | 'DELTA_UNSUPPORTED' | 'DUCKDB_QUERY_FAILED';
  readonly retriable = false;

  constructor(code: 'DELTA_LOG_INVALID' | 'DELTA_UNSUPPORTED' | 'DUCKDB_QUERY_FAILED', message: string, context: TestingErrorContext = {}, options?: { cause?: unknown }) {
    super(message, context, options);
    this.code = code;
  }
}

/**
 * A spawned app (broker, producer, consumer) did not start, did not print an
 * expected line in time, or exited unexpectedly. The context carries the
 * command and the captured stdout/stderr tails so a failing test shows why.
 */
export class AppProcessError extends TestingError {
  readonly code: 'APP_START_FAILED' | 'APP_TIMEOUT' | 'APP_EXITED';
  readonly retriable: boolean;

  constructor(code: 'APP_START_FAILED' | 'APP_TIMEOUT' | 'APP_EXITED', message: string, context: TestingErrorContext = {}, options?: { cause?: unknown }) {
    super(message, context, options);
    this.code = code;
    this.retriable = code === 'APP_TIMEOUT';
  }
}
