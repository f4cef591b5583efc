/** The gold app's own failures; exit codes follow dbt's: 0 ok, 1 a node failed, 2 usage or an unhandled error. */
export type GoldErrorCode = 'USAGE' | 'PROJECT_INVALID' | 'RUN_FAILED' | 'OUTPUT_FAILED';

export abstract class GoldAppError extends Error {
  abstract readonly code: GoldErrorCode;
  abstract readonly exitCode: 1 | 2;
  abstract readonly retriable: boolean;
}

/** A bad flag or command (exit 2, as dbt). */
export class UsageError extends GoldAppError {
  override readonly name = 'UsageError';
  readonly code = 'USAGE' as const;
  readonly exitCode = 2 as const;
  readonly retriable = false;
}

/** Anything else the app reports itself. */
export class GoldError extends GoldAppError {
  override readonly name = 'GoldError';
  readonly retriable: boolean;

  constructor(
    readonly code: Exclude<GoldErrorCode, 'USAGE'>,
    message: string,
    readonly exitCode: 1 | 2 = 1,
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(message, options);
    this.retriable = options?.retriable ?? false;
  }
}

export function isGoldAppError(e: unknown): e is GoldAppError {
  return e instanceof GoldAppError;
}
