/**
 * What `validate` returns, as values. `ValidationResult` without its `verdict`
 * is the stored, documented JSON shape (`validationResultSchema`, zod): the
 * consumer keeps it in `quality/validation_results`, Data Docs render it.
 */
import { z } from 'zod';

/** GE's result formats, each adding to the one before. */
export const RESULT_FORMATS = ['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** A cell as JSON carries it: int64 beyond 2^53 as its decimal text, timestamps as ISO text, binary as base64. */
const jsonCell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type JsonCell = z.infer<typeof jsonCell>;

export const expectationResultSchema = z.object({
  /** Index of the expectation in its suite (what row verdicts carry). */
  id: z.number().int().nonnegative(),
  name: z.string(),
  type: z.string(),
  /** Column(s) the expectation reads, for display. */
  columns: z.array(z.string()),
  severity: z.enum(['error', 'warn']),
  mostly: z.number().min(0).max(1),
  success: z.boolean(),
  /** Rows evaluated: non-null rows for value expectations; all rows for not-null; rows for aggregates. */
  evaluated: z.number().int().nonnegative(),
  unexpected: z.number().int().nonnegative(),
  /** 100 × unexpected / evaluated (0 when nothing was evaluated). */
  unexpectedPercent: z.number().min(0).max(100),
  /** Null rows (not evaluated by value expectations). */
  missing: z.number().int().nonnegative(),
  /** Aggregates: the statistic (mean, min, max, row count, the column's type or columns). */
  observed: z.union([jsonCell, z.array(z.string())]).optional(),
  /** BASIC and up: up to 20 unexpected values, in row order. */
  partialUnexpectedList: z.array(jsonCell).optional(),
  /** SUMMARY and up: counts of the unexpected values, most frequent first (up to 20). */
  partialUnexpectedCounts: z.array(z.object({ value: jsonCell, count: z.number().int().positive() })).optional(),
  /** COMPLETE: every unexpected row index. */
  unexpectedIndexList: z.array(z.number().int().nonnegative()).optional(),
  /** The expectation could not be evaluated (a missing column, a type it does not apply to): it failed, and this says why. */
  error: z.string().optional(),
});
export type ExpectationResult = z.infer<typeof expectationResultSchema>;

export const validationResultSchema = z.object({
  /** Version of this shape; bumped on incompatible change. */
  format: z.literal(1),
  suite: z.object({ name: z.string(), hash: z.string() }),
  /** Caller's identity of the run (e.g. `sat-data batch 42`), shown in the Data Docs. */
  runId: z.string(),
  /** The `now` the run was validated against, ISO-8601. */
  runAt: z.string(),
  resultFormat: z.enum(RESULT_FORMATS),
  rowCount: z.number().int().nonnegative(),
  /** True when every expectation succeeded (warn ones included, as GE). */
  success: z.boolean(),
  /** Rows that pass every `error` expectation (what the consumer keeps). */
  passedRows: z.number().int().nonnegative(),
  statistics: z.object({
    evaluated: z.number().int().nonnegative(),
    successful: z.number().int().nonnegative(),
    unsuccessful: z.number().int().nonnegative(),
    successPercent: z.number().min(0).max(100),
  }),
  results: z.array(expectationResultSchema),
});
export type StoredValidationResult = z.infer<typeof validationResultSchema>;

/**
 * Which rows pass, for the consumer. `passed` is an Arrow-style validity
 * bitmap (LSB first): bit i set = row i passed every `error` expectation.
 * For failing rows, the ids of the expectations they failed, in CSR form:
 * row `failedRows[k]` failed `failedIds[failedOffsets[k] .. failedOffsets[k+1])`.
 */
export interface RowVerdict {
  readonly rowCount: number;
  readonly passed: Uint8Array;
  readonly passedCount: number;
  /** Rows that failed at least one row expectation of either severity, ascending. */
  readonly failedRows: Int32Array;
  readonly failedOffsets: Int32Array;
  readonly failedIds: Uint16Array;
  /** The quarantine reason of a row: `tire.pressure_psi between 10 and 40 (got 57.3); event_id increasing`; '' when it passed everything. */
  reason(row: number): string;
}

export interface ValidationResult extends StoredValidationResult {
  /** Row-level outcome; not part of the stored JSON. */
  readonly verdict: RowVerdict;
}
