/** The producer app's own failures (the libs bring theirs: PublisherError, SimError, CodecError). */
export type ProducerErrorCode = 'USAGE' | 'SAMPLES_NOT_FOUND' | 'BAD_ROW' | 'SOURCE_FAILED';

export abstract class ProducerError extends Error {
  abstract readonly code: ProducerErrorCode;
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

/** Bad flags or env; printed with a pointer to --help, exit 2. */
export class UsageError extends ProducerError {
  readonly code = 'USAGE';
  readonly retriable = false;
  readonly exitCode = 2;
}

/** --samples-dir is missing or holds no sat*.csv. */
export class SamplesNotFoundError extends ProducerError {
  readonly code = 'SAMPLES_NOT_FOUND';
  readonly retriable = false;
  readonly exitCode = 1;
}

/** A bad CSV row under --strict. */
export class BadRowError extends ProducerError {
  readonly code = 'BAD_ROW';
  readonly retriable = false;
  readonly exitCode = 1;
}

/** A source broke (a worker thread died, a file could not be read). */
export class SourceError extends ProducerError {
  readonly code = 'SOURCE_FAILED';
  readonly retriable = false;
  readonly exitCode = 1;
}
