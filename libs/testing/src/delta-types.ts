/**
 * Delta schema (the `metaData.schemaString` JSON) → DuckDB types and SQL
 * literals, written from the Delta protocol text rather than shared with
 * `@lakestream/sink`, so the DuckDB reader checks our writer instead of
 * trusting it.
 */
import { DeltaReadError } from './errors.js';

/** A Delta data type as it appears in `schemaString`. */
export type DeltaType =
  | string
  | { readonly type: 'struct'; readonly fields: readonly DeltaSchemaField[] }
  | { readonly type: 'array'; readonly elementType: DeltaType; readonly containsNull?: boolean }
  | { readonly type: 'map'; readonly keyType: DeltaType; readonly valueType: DeltaType; readonly valueContainsNull?: boolean };

export interface DeltaSchemaField {
  readonly name: string;
  readonly type: DeltaType;
  readonly nullable?: boolean;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const PRIMITIVES: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  long: 'BIGINT',
  integer: 'INTEGER',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  binary: 'BLOB',
  date: 'DATE',
  // Delta `timestamp` is an instant (UTC-adjusted); `timestamp_ntz` is wall-clock.
  timestamp: 'TIMESTAMPTZ',
  timestamp_ntz: 'TIMESTAMP',
};

/** Quotes an identifier for DuckDB SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes a string literal for DuckDB SQL. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The DuckDB type of a Delta type; nested structs, arrays and maps included. */
export function duckdbType(type: DeltaType): string {
  if (typeof type === 'string') {
    const primitive = PRIMITIVES[type];
    if (primitive) return primitive;
    const decimal = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type);
    if (decimal) return `DECIMAL(${decimal[1]}, ${decimal[2]})`;
    if (type === 'decimal') return 'DECIMAL(10, 0)';
    throw new DeltaReadError('DELTA_UNSUPPORTED', `Delta type ${JSON.stringify(type)} has no DuckDB mapping here`, { type });
  }
  switch (type.type) {
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.name)} ${duckdbType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckdbType(type.elementType)}[]`;
    case 'map':
      return `MAP(${duckdbType(type.keyType)}, ${duckdbType(type.valueType)})`;
    default:
      throw new DeltaReadError('DELTA_UNSUPPORTED', `Delta type ${JSON.stringify(type)} has no DuckDB mapping here`, {});
  }
}

/**
 * The SQL literal for a serialized partition value (Delta protocol,
 * "Partition Value Serialization"): null (and the empty string for
 * non-string columns) is NULL; everything else is the text cast to the
 * column's type. Timestamps are serialized without a zone, meaning UTC; the
 * reader's connection runs with `TimeZone = 'UTC'`.
 */
export function partitionLiteral(value: string | null | undefined, type: DeltaType): string {
  const sqlType = duckdbType(type);
  if (value === null || value === undefined) return `NULL::${sqlType}`;
  if (value === '' && type !== 'string') return `NULL::${sqlType}`;
  if (type === 'binary') {
    // Binary partition values are the raw bytes as a string; keep them byte for byte.
    return `encode(${quoteString(value)})`;
  }
  return `CAST(${quoteString(value)} AS ${sqlType})`;
}

/** Parses `metaData.schemaString` into its top-level fields. */
export function parseDeltaSchema(schemaString: string, table: string): readonly DeltaSchemaField[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(schemaString);
  } catch (cause) {
    throw new DeltaReadError('DELTA_LOG_INVALID', `schemaString of ${table} is not JSON`, { table }, { cause });
  }
  const struct = parsed as { type?: unknown; fields?: unknown };
  if (struct.type !== 'struct' || !Array.isArray(struct.fields)) {
    throw new DeltaReadError('DELTA_LOG_INVALID', `schemaString of ${table} is not a struct`, { table, schemaString });
  }
  return struct.fields as DeltaSchemaField[];
}
