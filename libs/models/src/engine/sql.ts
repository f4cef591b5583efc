/**
 * SQL text for DuckDB: identifier and literal quoting, Delta types as DuckDB
 * types, and Delta partition values (PROTOCOL.md "Partition Value
 * Serialization") as typed SQL literals. Pure.
 */
import type { DeltaDataType } from '@lakestream/sink';

/** `"name"` with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'` with embedded quotes doubled. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A dotted relation name (`gold.lap_metrics`) quoted part by part. */
export function quoteRelation(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
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

/** The DuckDB type of a Delta type, nested types included; `undefined` for one DuckDB cannot hold. */
export function duckdbType(type: DeltaDataType): string | undefined {
  if (typeof type === 'string') {
    const primitive = PRIMITIVES[type];
    if (primitive !== undefined) return primitive;
    const decimal = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type);
    return decimal ? `DECIMAL(${decimal[1]}, ${decimal[2]})` : undefined;
  }
  if (type.type === 'struct') {
    const fields = type.fields.map((f) => [f.name, duckdbType(f.type)] as const);
    if (fields.some(([, t]) => t === undefined)) return undefined;
    return `STRUCT(${fields.map(([n, t]) => `${quoteIdent(n)} ${String(t)}`).join(', ')})`;
  }
  if (type.type === 'array') {
    const element = duckdbType(type.elementType);
    return element === undefined ? undefined : `${element}[]`;
  }
  const key = duckdbType(type.keyType);
  const value = duckdbType(type.valueType);
  return key === undefined || value === undefined ? undefined : `MAP(${key}, ${value})`;
}

/**
 * The SQL literal of a serialized partition value: null, and the empty
 * string of a non-string column, are NULL; anything else is the text cast
 * to the column's type (timestamps are UTC: the engine's connections run
 * with `TimeZone = 'UTC'`).
 */
export function partitionLiteral(value: string | null | undefined, type: DeltaDataType): string {
  const sqlType = duckdbType(type) ?? 'VARCHAR';
  if (value === null || value === undefined || (value === '' && type !== 'string')) return `NULL::${sqlType}`;
  return `CAST(${quoteString(value)} AS ${sqlType})`;
}
