import { z } from 'zod';

/**
 * Every event field is declared once, here, with its physical range, unit and
 * storage type. zod gives validation and the TS type; the same declaration is
 * read back to derive the Arrow/Delta schemas and checked against the .fbs.
 */
export type ColumnType =
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'uint8'
  | 'uint16'
  | 'int64'
  | 'bool'
  | 'string'
  | 'enum';

export interface ColumnMeta {
  readonly type: ColumnType;
  /** Unit of measure, also spelled in the field name where it is one (`_c`, `_kph`, `_ns`). */
  readonly unit?: string;
  /** Enum members, in wire order (FlatBuffers enum value = index). */
  readonly values?: readonly string[];
}

/** Registry from a field's zod schema to its column metadata. */
export const columnRegistry = z.registry<ColumnMeta>();

function withMeta<T extends z.ZodType>(schema: T, description: string, meta: ColumnMeta): T {
  const described = schema.describe(description);
  columnRegistry.add(described, meta);
  return described;
}

export const float64 = (description: string, min: number, max: number, unit?: string) =>
  withMeta(z.number().min(min).max(max), description, { type: 'float64', ...(unit ? { unit } : {}) });

type IntType = 'int8' | 'int16' | 'int32' | 'uint8' | 'uint16';
export const int = (type: IntType, description: string, min: number, max: number, unit?: string) =>
  withMeta(z.int().min(min).max(max), description, { type, ...(unit ? { unit } : {}) });

/** 64-bit integers are bigint: nanosecond timestamps and ids exceed 2^53. */
export const int64 = (description: string, min: bigint, max: bigint, unit?: string) =>
  withMeta(z.bigint().min(min).max(max), description, { type: 'int64', ...(unit ? { unit } : {}) });

export const bool = (description: string) => withMeta(z.boolean(), description, { type: 'bool' });

export const string = (description: string, minLength: number, maxLength: number) =>
  withMeta(z.string().min(minLength).max(maxLength), description, { type: 'string' });

export const enumeration = <const V extends readonly [string, ...string[]]>(description: string, values: V) =>
  withMeta(z.enum(values), description, { type: 'enum', values });

/** Largest value an int64 column holds. */
export const INT64_MAX = 2n ** 63n - 1n;

/** Metadata of one field of an object schema; throws for a field declared without the helpers (a bug). */
export function columnMeta(schema: z.ZodType, field: string): ColumnMeta {
  const meta = columnRegistry.get(schema);
  if (!meta) throw new TypeError(`field ${field} is not declared with a column helper (columns.ts)`);
  return meta;
}
