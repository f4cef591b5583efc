/**
 * The medallion lib's only error type. Bad data is never an error here (a
 * record that fails decoding or expectations is a quarantine row, a bad
 * session message is a `SessionApplyResult` value); these are for misuse:
 * options out of range, a seed table without the key columns. Retrying the
 * same call cannot succeed, so `retriable` is always false.
 */
export type MedallionErrorCode =
  /** An option is out of range (dedup window, counts). */
  | 'INVALID_OPTIONS'
  /** `DedupIndex.seed` got a table that lacks a key or coordinate column. */
  | 'INVALID_SEED'
  /** A session message is not valid F1Session JSON (carried in `SessionApplyResult`, never thrown by `apply`). */
  | 'INVALID_SESSION';

export interface MedallionErrorContext {
  readonly option?: string;
  readonly column?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: bigint;
  readonly sessionId?: string;
}

export class MedallionError extends Error {
  override readonly name = 'MedallionError';
  readonly retriable = false;

  constructor(
    readonly code: MedallionErrorCode,
    /** What was wrong, without the code and context the full message adds. */
    readonly detail: string,
    readonly context: MedallionErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describe(context)}`, options);
  }
}

export function isMedallionError(value: unknown): value is MedallionError {
  return value instanceof MedallionError;
}

function describe(context: MedallionErrorContext): string {
  const parts = Object.entries(context)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
