/** The consumer app's own failures (the libs bring theirs: SinkError, QualityError, CodecError, the engine's). */
export type ConsumerErrorCode =
  | 'USAGE'
  /** A table the command needs is missing or unreadable. */
  | 'TABLE_UNAVAILABLE'
  /** Writing an output (the Data Docs page) failed. */
  | 'OUTPUT_FAILED'
  /** The metrics server could not listen (port in use, permission). */
  | 'METRICS_SERVER'
  /** No Kafka broker answered (retriable: start again when it is up). */
  | 'KAFKA_UNAVAILABLE'
  /** The run failed for a reason the engine reports (commit failure, a lib error). */
  | 'RUN_FAILED';

export abstract class ConsumerAppError extends Error {
  abstract readonly code: ConsumerErrorCode;
  abstract readonly retriable: boolean;
  /** Process exit code for this failure. */
  abstract readonly exitCode: number;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(message: string, context: Readonly<Record<string, unknown>> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** Bad flags or env; printed with a pointer to --help, exit 2. The message names the flag or env var. */
export class UsageError extends ConsumerAppError {
  readonly code = 'USAGE';
  readonly retriable = false;
  readonly exitCode = 2;
}

/** Any other failure of the app, exit 1. */
export class ConsumerError extends ConsumerAppError {
  readonly code: Exclude<ConsumerErrorCode, 'USAGE'>;
  readonly retriable: boolean;
  readonly exitCode = 1;

  constructor(
    code: Exclude<ConsumerErrorCode, 'USAGE'>,
    message: string,
    context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(message, context, options);
    this.code = code;
    this.retriable = options?.retriable ?? false;
  }
}

export function isConsumerAppError(error: unknown): error is ConsumerAppError {
  return error instanceof ConsumerAppError;
}
