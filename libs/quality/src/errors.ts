/**
 * The quality lib's error types. Bad data is never an error (it is a
 * result); these are for bad suites and misuse. Callers branch on `code`.
 */
export type QualityErrorCode =
  /** A suite (TS value or JSON) is not valid: `context.path` is the JSON path of the mistake. */
  | 'INVALID_SUITE'
  /** A stored validation result does not match the documented shape. */
  | 'INVALID_RESULT'
  /** `validate` was called with options out of range. */
  | 'INVALID_OPTIONS';

export interface QualityErrorContext {
  /** JSON path of the mistake, e.g. `expectations[3].min_value`. */
  readonly path?: string;
  readonly suite?: string;
  /** Index of the expectation in its suite. */
  readonly expectation?: number;
  readonly option?: string;
}

export class QualityError extends Error {
  override readonly name: string = 'QualityError';
  readonly retriable = false;

  constructor(
    readonly code: QualityErrorCode,
    /** What was wrong, without the code and context the full message adds. */
    readonly detail: string,
    readonly context: QualityErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describe(context)}`, options);
  }
}

/** A suite refused by `parseSuite`: every issue with its JSON path. */
export class SuiteError extends QualityError {
  override readonly name = 'SuiteError';
  constructor(
    detail: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[],
    context: QualityErrorContext = {},
  ) {
    super('INVALID_SUITE', detail, { ...(issues[0] ? { path: issues[0].path } : {}), ...context });
  }
}

function describe(context: QualityErrorContext): string {
  const parts = Object.entries(context)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
