/**
 * A DuckDB relation as an Arrow table for @lakestream/sink. DuckDB types map
 * to the Delta types a gold table can hold: integers keep their width
 * (UINTEGER → BIGINT; HUGEINT/UBIGINT → BIGINT, an overflow is a DuckDB
 * error), DECIMAL → DOUBLE, FLOAT/DOUBLE, VARCHAR (UUID/ENUM as text), BLOB,
 * BOOLEAN, DATE, TIMESTAMP → timestamp_ntz, TIMESTAMPTZ → timestamp
 * (microseconds; other precisions cast). Nested and INTERVAL columns are
 * refused naming the column (cast them in the model). Fixed-width columns are
 * built straight into typed arrays, so 64-bit values and microsecond
 * timestamps stay exact.
 */
import type { DuckDBConnection, JS } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { RunError, type ModelsErrorContext } from '../errors.js';
import { query, sqlFailed } from './engine.js';
import { quoteIdent } from './sql.js';

type Kind = 'bool' | 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'utf8' | 'binary' | 'date' | 'ts' | 'tstz';

export interface ColumnPlan {
  readonly name: string;
  readonly kind: Kind;
  /** SELECT expression producing the value in the form `kind` expects. */
  readonly expr: string;
}

/** How each DuckDB column type is exported; `undefined` for types a gold table cannot hold. Pure. */
export function planColumn(name: string, duckType: string): ColumnPlan | undefined {
  const c = quoteIdent(name);
  const t = duckType.toUpperCase();
  const same = (kind: Kind): ColumnPlan => ({ name, kind, expr: c });
  if (t === 'BOOLEAN') return same('bool');
  if (t === 'TINYINT') return same('i8');
  if (t === 'SMALLINT' || t === 'UTINYINT') return { name, kind: 'i16', expr: `CAST(${c} AS SMALLINT)` };
  if (t === 'INTEGER' || t === 'USMALLINT') return { name, kind: 'i32', expr: `CAST(${c} AS INTEGER)` };
  if (t === 'BIGINT' || t === 'UINTEGER' || t === 'UBIGINT' || t === 'HUGEINT' || t === 'UHUGEINT') return { name, kind: 'i64', expr: `CAST(${c} AS BIGINT)` };
  if (t === 'FLOAT') return same('f32');
  if (t === 'DOUBLE' || t.startsWith('DECIMAL')) return { name, kind: 'f64', expr: `CAST(${c} AS DOUBLE)` };
  if (t === 'VARCHAR' || t === 'UUID' || t.startsWith('ENUM')) return { name, kind: 'utf8', expr: `CAST(${c} AS VARCHAR)` };
  if (t === 'BLOB') return same('binary');
  if (t === 'DATE') return { name, kind: 'date', expr: `CAST(${c} - DATE '1970-01-01' AS INTEGER)` };
  if (t === 'TIMESTAMP' || t === 'TIMESTAMP_S' || t === 'TIMESTAMP_MS' || t === 'TIMESTAMP_NS') return { name, kind: 'ts', expr: `epoch_us(CAST(${c} AS TIMESTAMP))` };
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return { name, kind: 'tstz', expr: `epoch_us(${c})` };
  return undefined;
}

/** Rows of `relation` (a table/view name, quoted, or `(SELECT …)`) as one Arrow table. */
export async function relationToArrow(connection: DuckDBConnection, relation: string, context: ModelsErrorContext = {}): Promise<arrow.Table> {
  const described = await query(connection, `DESCRIBE SELECT * FROM ${relation}`, context);
  const plans = described.map((r) => {
    const name = String(r['column_name']);
    const type = String(r['column_type']);
    const plan = planColumn(name, type);
    if (!plan) throw new RunError('SQL_FAILED', `column ${name} has type ${type}, which a gold Delta table cannot hold here; cast it in the model`, context);
    return plan;
  });
  const sql = `SELECT ${plans.map((p) => `${p.expr} AS ${quoteIdent(p.name)}`).join(', ')} FROM ${relation}`;
  let columns: JS[][];
  try {
    columns = (await connection.runAndReadAll(sql)).getColumnsJS();
  } catch (cause) {
    throw sqlFailed(cause, sql, context);
  }
  const vectors: Record<string, arrow.Vector> = {};
  plans.forEach((p, i) => {
    vectors[p.name] = buildVector(p.kind, columns[i] ?? []);
  });
  if (plans.length === 0) return new arrow.Table();
  // Every gold column is nullable: a later incremental run may bring nulls the first one did not have.
  const table = new arrow.Table(vectors);
  return new arrow.Table(new arrow.Schema(table.schema.fields.map((f) => f.clone({ nullable: true }))), table.batches);
}

/** One Arrow vector from exported JS values (`null` = null). Pure. */
export function buildVector(kind: Kind, values: readonly JS[]): arrow.Vector {
  switch (kind) {
    case 'bool': return arrow.vectorFromArray(values as (boolean | null)[], new arrow.Bool());
    case 'utf8': return arrow.vectorFromArray(values as (string | null)[], new arrow.Utf8());
    case 'binary': return arrow.vectorFromArray(values as (Uint8Array | null)[], new arrow.Binary());
    case 'i8': return fixed(new arrow.Int8(), new Int8Array(values.length), values, Number);
    case 'i16': return fixed(new arrow.Int16(), new Int16Array(values.length), values, Number);
    case 'i32': return fixed(new arrow.Int32(), new Int32Array(values.length), values, Number);
    case 'date': return fixed(new arrow.DateDay(), new Int32Array(values.length), values, Number);
    case 'f32': return fixed(new arrow.Float32(), new Float32Array(values.length), values, Number);
    case 'f64': return fixed(new arrow.Float64(), new Float64Array(values.length), values, Number);
    case 'i64': return fixed(new arrow.Int64(), new BigInt64Array(values.length), values, BigInt);
    case 'ts': return fixed(new arrow.TimestampMicrosecond(), new BigInt64Array(values.length), values, BigInt);
    case 'tstz': return fixed(new arrow.TimestampMicrosecond('UTC'), new BigInt64Array(values.length), values, BigInt);
  }
}

function fixed<T extends arrow.DataType, A extends Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array>(
  type: T, data: A, values: readonly JS[], convert: (v: never) => number | bigint,
): arrow.Vector<T> {
  const n = values.length;
  let nullCount = 0;
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nullCount++;
      continue;
    }
    (data as unknown as (number | bigint)[])[i] = convert(v as never);
    bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
  }
  // makeData's overloads are keyed on the concrete type; the props are right for every fixed-width T.
  return arrow.makeVector(arrow.makeData({ type, length: n, nullCount, ...(nullCount > 0 ? { nullBitmap: bitmap } : {}), data } as never)) as unknown as arrow.Vector<T>;
}
