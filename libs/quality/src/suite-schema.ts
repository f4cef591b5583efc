/**
 * The zod schema of a suite in our flat shape: one strict object per
 * expectation kind (a typo in a keyword is refused, not ignored), a union
 * discriminated on `type`, ranges checked (mostly in [0, 1], min ≤ max,
 * regexes that compile). `parseSuite` (suite-parse.ts) also accepts Great
 * Expectations' `{ type | expectation_type, kwargs, meta }` shape and
 * normalizes it to this one before validating.
 */
import { z } from 'zod';
import type { Expectation, Suite } from './expectation.js';

const column = z.string().min(1, 'a column name is not empty');
const columns = z.array(column);

const base = {
  name: z.string().min(1).optional(),
  mostly: z.number().min(0).max(1).optional(),
  severity: z.enum(['error', 'warn']).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** A bound: a finite number, an integer as decimal text (int64 beyond 2^53), an ISO-8601 date/time (timestamp columns), or null (unbounded). */
const bound = z
  .union([
    z.number(),
    z.string().refine((s) => /^-?\d+$/.test(s) || (ISO_TIME.test(s) && !Number.isNaN(Date.parse(s))), 'a bound given as text is an integer in decimal (int64 beyond 2^53) or an ISO-8601 date/time'),
    z.null(),
  ])
  .optional();
const count = z.number().int().nonnegative().nullable().optional();

const boundsShape = { min_value: bound, max_value: bound, strict_min: z.boolean().optional(), strict_max: z.boolean().optional() };

type Bounded = { min_value?: number | string | null; max_value?: number | string | null; strict_min?: boolean; strict_max?: boolean };

/** min ≤ max when both are given (compared exactly: decimal text as bigint), at least one given, and a non-empty range. */
function checkBounds(value: Bounded, ctx: z.RefinementCtx): void {
  const min = numeric(value.min_value);
  const max = numeric(value.max_value);
  if (min === INVALID || max === INVALID) return; // the bound's own issue says why
  if (min === undefined && max === undefined) {
    ctx.addIssue({ code: 'custom', message: 'give min_value or max_value (or both)', path: ['min_value'] });
    return;
  }
  if (min === undefined || max === undefined) return;
  if (isIso(value.min_value) !== isIso(value.max_value)) return; // an ISO time and a number in the column's unit: compared by validate
  if (min > max) ctx.addIssue({ code: 'custom', message: `min_value ${String(value.min_value)} is above max_value ${String(value.max_value)}`, path: ['min_value'] });
  else if (min == max && (value.strict_min === true || value.strict_max === true))
    ctx.addIssue({ code: 'custom', message: `min_value equals max_value with a strict side: no value can pass`, path: ['min_value'] });
}

const INVALID = Symbol('invalid bound');
const isIso = (v: unknown): boolean => typeof v === 'string' && !/^-?\d+$/.test(v);

function numeric(v: unknown): number | bigint | undefined | typeof INVALID {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : INVALID;
  if (typeof v !== 'string') return INVALID;
  if (/^-?\d+$/.test(v)) return BigInt(v);
  const ms = Date.parse(v);
  return ISO_TIME.test(v) && !Number.isNaN(ms) ? ms : INVALID;
}

const literal = z.union([z.string(), z.number(), z.boolean()]);

const notNull = z.strictObject({ type: z.literal('expect_column_values_to_not_be_null'), column, ...base });
const between = z.strictObject({ type: z.literal('expect_column_values_to_be_between'), column, ...boundsShape, ...base }).superRefine(checkBounds);
const inSet = z.strictObject({ type: z.literal('expect_column_values_to_be_in_set'), column, value_set: z.array(literal), ...base });
const notInSet = z.strictObject({ type: z.literal('expect_column_values_to_not_be_in_set'), column, value_set: z.array(literal), ...base });
const matchRegex = z.strictObject({
  type: z.literal('expect_column_values_to_match_regex'),
  column,
  regex: z.string().superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
    }
  }),
  ...base,
});
const lengthsBetween = z
  .strictObject({ type: z.literal('expect_column_value_lengths_to_be_between'), column, min_value: count, max_value: count, ...base })
  .superRefine(checkBounds);
const unique = z.strictObject({ type: z.literal('expect_column_values_to_be_unique'), column, ...base });
const increasing = z.strictObject({
  type: z.literal('expect_column_values_to_be_increasing'),
  column,
  strictly: z.boolean().optional(),
  group_by: columns.optional(),
  ...base,
});
const fresh = z.strictObject({
  type: z.literal('expect_column_values_to_be_fresh'),
  column,
  max_age_ms: z.number().nonnegative().optional(),
  max_future_ms: z.number().nonnegative().optional(),
  unit: z.enum(['s', 'ms', 'us', 'ns']).optional(),
  ...base,
});
const compoundUnique = z.strictObject({ type: z.literal('expect_compound_columns_to_be_unique'), column_list: columns.min(1), ...base });
const pairGreater = z.strictObject({
  type: z.literal('expect_column_pair_values_A_to_be_greater_than_B'),
  column_A: column,
  column_B: column,
  or_equal: z.boolean().optional(),
  ...base,
});
const ofType = z.strictObject({ type: z.literal('expect_column_values_to_be_of_type'), column, type_: z.string().min(1), ...base });
const meanBetween = z.strictObject({ type: z.literal('expect_column_mean_to_be_between'), column, ...boundsShape, ...base }).superRefine(checkBounds);
const minBetween = z.strictObject({ type: z.literal('expect_column_min_to_be_between'), column, ...boundsShape, ...base }).superRefine(checkBounds);
const maxBetween = z.strictObject({ type: z.literal('expect_column_max_to_be_between'), column, ...boundsShape, ...base }).superRefine(checkBounds);
const rowCount = z
  .strictObject({ type: z.literal('expect_table_row_count_to_be_between'), min_value: count, max_value: count, ...base })
  .superRefine(checkBounds);
const columnsMatchSet = z.strictObject({
  type: z.literal('expect_table_columns_to_match_set'),
  column_set: columns,
  exact_match: z.boolean().optional(),
  ...base,
});

/** One schema per expectation kind, by its Great Expectations name. */
export const EXPECTATION_SCHEMAS = {
  expect_column_values_to_not_be_null: notNull,
  expect_column_values_to_be_between: between,
  expect_column_values_to_be_in_set: inSet,
  expect_column_values_to_not_be_in_set: notInSet,
  expect_column_values_to_match_regex: matchRegex,
  expect_column_value_lengths_to_be_between: lengthsBetween,
  expect_column_values_to_be_unique: unique,
  expect_column_values_to_be_increasing: increasing,
  expect_column_values_to_be_fresh: fresh,
  expect_compound_columns_to_be_unique: compoundUnique,
  expect_column_pair_values_A_to_be_greater_than_B: pairGreater,
  expect_column_values_to_be_of_type: ofType,
  expect_column_mean_to_be_between: meanBetween,
  expect_column_min_to_be_between: minBetween,
  expect_column_max_to_be_between: maxBetween,
  expect_table_row_count_to_be_between: rowCount,
  expect_table_columns_to_match_set: columnsMatchSet,
} as const satisfies Record<Expectation['type'], z.ZodType>;

export const EXPECTATION_TYPES = Object.keys(EXPECTATION_SCHEMAS) as Expectation['type'][];

export function isExpectationType(type: unknown): type is Expectation['type'] {
  return typeof type === 'string' && Object.hasOwn(EXPECTATION_SCHEMAS, type);
}

/** Any expectation in the flat shape (`{ type, column, min_value, …, mostly, severity, meta }`). */
export const expectationSchema = z.discriminatedUnion('type', [
  notNull,
  between,
  inSet,
  notInSet,
  matchRegex,
  lengthsBetween,
  unique,
  increasing,
  fresh,
  compoundUnique,
  pairGreater,
  ofType,
  meanBetween,
  minBetween,
  maxBetween,
  rowCount,
  columnsMatchSet,
]);

/** A suite in the flat shape. */
export const suiteSchema = z.strictObject({
  name: z.string().min(1, 'a suite has a name'),
  expectations: z.array(expectationSchema),
  meta: z.record(z.string(), z.unknown()).optional(),
});

// The schema's output is a Suite (a compile-time check, no runtime cost).
type Assignable<A, B> = [A] extends [B] ? true : false;
const outputIsSuite: Assignable<z.output<typeof suiteSchema>, Suite> = true;
void outputIsSuite;
