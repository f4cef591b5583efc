/**
 * Expectations read off libs/schema's declarations, so a range, an enum or a
 * length is declared once (in the zod field) and never written again here:
 * - a number's min/max → `expect_column_values_to_be_between` (int64 bounds
 *   beyond 2^53 as decimal text; a bound equal to the Arrow type's own limit
 *   is left out, it cannot fail);
 * - an enum → `expect_column_values_to_be_in_set`;
 * - a string's min/max length → `expect_column_value_lengths_to_be_between`;
 * - a required field → `expect_column_values_to_not_be_null`;
 * - a table's Arrow schema → `expect_table_columns_to_match_set` and one
 *   `expect_column_values_to_be_of_type` per column.
 * Fields are read from the zod schema itself (`minValue`, `maxLength`,
 * `options`), so declarations made with the column helpers and plain zod
 * fields (`F1Session`) both work.
 */
import type { Schema } from 'apache-arrow';
import type { z } from 'zod';
import { columnRegistry, INT64_MAX } from '@lakestream/schema';
import type { Expectation, Severity, Suite } from './expectation.js';

/** A zod object shape (`SatelliteSample.shape`, `F1_COMMON_FIELDS`, `F1_PAYLOAD_FIELDS.tire`). */
export type FieldShape = Readonly<Record<string, z.ZodType>>;

export interface FieldExpectationOptions {
  /** Add not-null for every field (true), for these fields, or none (false, the default: value checks only). */
  readonly required?: boolean | readonly string[];
  /** Severity of every derived expectation (default: error). */
  readonly severity?: Severity;
}

/** Introspected zod field: what the expectations need. */
interface ZodIntrospect {
  readonly def?: { readonly type?: string };
  readonly minValue?: number | bigint | null;
  readonly maxValue?: number | bigint | null;
  readonly minLength?: number | null;
  readonly maxLength?: number | null;
  readonly options?: readonly unknown[];
}

/** Expectations of each field of `shape`, in field order: not-null (when required), then its value check. */
export function expectationsFromFields(shape: FieldShape, options: FieldExpectationOptions = {}): Expectation[] {
  const out: Expectation[] = [];
  const required = options.required ?? false;
  const sev = options.severity ? { severity: options.severity } : {};
  for (const [column, schema] of Object.entries(shape)) {
    if (required === true || (Array.isArray(required) && required.includes(column))) out.push({ type: 'expect_column_values_to_not_be_null', column, ...sev });
    const value = valueExpectation(column, schema);
    if (value) out.push({ ...value, ...sev });
  }
  return out;
}

function valueExpectation(column: string, schema: z.ZodType): Expectation | undefined {
  const field = schema as unknown as ZodIntrospect;
  const meta = columnRegistry.get(schema);
  const kind = field.def?.type;
  if (meta?.values || kind === 'enum') {
    const values = meta?.values ?? (field.options ?? []).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    return { type: 'expect_column_values_to_be_in_set', column, value_set: [...values] };
  }
  if (kind === 'string') {
    const min = field.minLength ?? null;
    const max = field.maxLength ?? null;
    if (min === null && max === null) return undefined;
    return { type: 'expect_column_value_lengths_to_be_between', column, ...(min !== null ? { min_value: min } : {}), ...(max !== null ? { max_value: max } : {}) };
  }
  if (kind === 'number' || kind === 'bigint') {
    const min = bound(field.minValue, kind === 'bigint' ? -INT64_MAX - 1n : -Number.MAX_VALUE);
    const max = bound(field.maxValue, kind === 'bigint' ? INT64_MAX : Number.MAX_VALUE);
    if (min === undefined && max === undefined) return undefined;
    return { type: 'expect_column_values_to_be_between', column, ...(min !== undefined ? { min_value: min } : {}), ...(max !== undefined ? { max_value: max } : {}) };
  }
  return undefined;
}

/** A declared bound as a suite holds it; undefined when there is none or it is the type's own limit. */
function bound(v: number | bigint | null | undefined, limit: number | bigint): number | string | undefined {
  if (v === null || v === undefined || v === limit || (typeof v === 'number' && !Number.isFinite(v))) return undefined;
  if (typeof v === 'number') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** The table's columns, exactly, and each column's Arrow type. */
export function expectationsFromArrowSchema(schema: Schema, options: { readonly exact?: boolean; readonly types?: boolean } = {}): Expectation[] {
  const out: Expectation[] = [
    { type: 'expect_table_columns_to_match_set', column_set: schema.fields.map((f) => f.name), exact_match: options.exact ?? true },
  ];
  if (options.types ?? true) for (const f of schema.fields) out.push({ type: 'expect_column_values_to_be_of_type', column: f.name, type_: String(f.type) });
  return out;
}

/** Not-null for every non-nullable column of an Arrow schema (the table declaration's required fields). */
export function notNullFromArrowSchema(schema: Schema, options: { readonly severity?: Severity } = {}): Expectation[] {
  return schema.fields
    .filter((f) => !f.nullable)
    .map((f) => ({ type: 'expect_column_values_to_not_be_null', column: f.name, ...(options.severity ? { severity: options.severity } : {}) }));
}

export interface SuiteFromSchemaOptions extends FieldExpectationOptions {
  /** Suite meta (notes shown in the Data Docs). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Hand-written expectations appended after the derived ones. */
  readonly extra?: readonly Expectation[];
}

/**
 * A suite from a zod object shape: each field's value check (and not-null
 * for required fields — by default all of them, as in an event schema where
 * every field is required), then `extra`.
 */
export function suiteFromSchema(name: string, shape: FieldShape, options: SuiteFromSchemaOptions = {}): Suite {
  return {
    name,
    expectations: [...expectationsFromFields(shape, { ...options, required: options.required ?? true }), ...(options.extra ?? [])],
    ...(options.meta ? { meta: options.meta } : {}),
  };
}
