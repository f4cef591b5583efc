/**
 * DuckDB views over Delta tables, built only from DuckDB and the Delta
 * protocol (see delta-log.ts): an independent checker for what our writer and
 * the consumer commit.
 *
 * ```ts
 * const n = await withDeltaViews({ silver: join(tables, 'silver/telemetry_enriched') }, async (query) => {
 *   const [row] = await query('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM silver');
 *   return row;
 * });
 * const offsets = await deltaTxnVersions(join(tables, 'silver/telemetry_enriched')); // appId → last offset
 * ```
 */
import { DuckDBInstance, type DuckDBConnection, type JS } from '@duckdb/node-api';
import { DeltaReadError } from './errors.js';
import { deltaLogVersion, readDeltaLog, type DeltaLogState } from './delta-log.js';
import { duckdbType, partitionLiteral, quoteIdent, quoteString } from './delta-types.js';

/** A result row: DuckDB's JS values (BIGINT → bigint, DATE/TIMESTAMP → Date, DECIMAL → number). */
export type DeltaRow = Record<string, JS>;
export type DeltaQuery = (sql: string) => Promise<DeltaRow[]>;

export interface DeltaViewsContext {
  /** The replayed log of each view, by view name. */
  readonly tables: Readonly<Record<string, DeltaLogState>>;
  /** The DuckDB connection (TimeZone = UTC), for anything `query` does not cover. */
  readonly connection: DuckDBConnection;
}

/**
 * Opens an in-memory DuckDB, replays each table's log, creates one view per
 * entry of `tables` (view name → table directory) with the table's columns in
 * schema order (partition values injected as typed columns), runs `fn`, and
 * closes DuckDB whatever happens.
 */
export async function withDeltaViews<T>(tables: Readonly<Record<string, string>>, fn: (query: DeltaQuery, context: DeltaViewsContext) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await runSql(connection, "SET TimeZone = 'UTC'", 'setup');
    const states: Record<string, DeltaLogState> = {};
    for (const [view, dir] of Object.entries(tables)) {
      states[view] = await createDeltaView(connection, view, dir);
    }
    const query: DeltaQuery = (sql) => runSql(connection, sql, Object.values(tables).join(', '));
    return await fn(query, { tables: states, connection });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Creates (or replaces) the view `view` over the Delta table at `dir` on an
 * existing connection and returns the replayed log. An empty table (no active
 * files) becomes an empty view with the schema's columns.
 */
export async function createDeltaView(connection: DuckDBConnection, view: string, dir: string): Promise<DeltaLogState> {
  const state = await readDeltaLog(connection, dir);
  const partitionColumns = new Set(state.partitionColumns);
  const schemaNames = new Set(state.schema.map((f) => f.name));
  for (const p of partitionColumns) {
    if (!schemaNames.has(p)) throw new DeltaReadError('DELTA_LOG_INVALID', `${dir}: partition column ${p} is not in the schema`, { table: dir });
  }
  const name = quoteIdent(view);
  if (state.files.length === 0) {
    const columns = state.schema.map((f) => `NULL::${duckdbType(f.type)} AS ${quoteIdent(f.name)}`).join(', ');
    await runSql(connection, `CREATE OR REPLACE VIEW ${name} AS SELECT ${columns} WHERE false`, dir);
    return state;
  }
  const fileList = `[${state.files.map((f) => quoteString(f.absolutePath)).join(', ')}]`;
  const scan = `read_parquet(${fileList}, filename = true, union_by_name = true, hive_partitioning = false)`;
  // Columns physically present in the data files (files written before a schema change may lack some).
  const present = new Set((await runSql(connection, `DESCRIBE SELECT * FROM ${scan}`, dir)).map((r) => String(r['column_name'])));

  let partsJoin = '';
  if (partitionColumns.size > 0) {
    const partsTable = quoteIdent(`__delta_parts_${view}`);
    const partFields = state.schema.filter((f) => partitionColumns.has(f.name));
    await runSql(connection, `CREATE OR REPLACE TEMP TABLE ${partsTable} (filename VARCHAR, ${partFields.map((f) => `${quoteIdent(f.name)} ${duckdbType(f.type)}`).join(', ')})`, dir);
    for (let i = 0; i < state.files.length; i += 500) {
      const values = state.files.slice(i, i + 500).map((file) => `(${[quoteString(file.absolutePath), ...partFields.map((f) => partitionLiteral(file.partitionValues[f.name], f.type))].join(', ')})`);
      await runSql(connection, `INSERT INTO ${partsTable} VALUES ${values.join(', ')}`, dir);
    }
    partsJoin = ` JOIN ${partsTable} AS parts ON parts.filename = data.filename`;
  }
  const columns = state.schema.map((f) => {
    const col = quoteIdent(f.name);
    if (partitionColumns.has(f.name)) return `parts.${col} AS ${col}`;
    if (present.has(f.name)) return `CAST(data.${col} AS ${duckdbType(f.type)}) AS ${col}`;
    return `NULL::${duckdbType(f.type)} AS ${col}`;
  });
  await runSql(connection, `CREATE OR REPLACE VIEW ${name} AS SELECT ${columns.join(', ')} FROM ${scan} AS data${partsJoin}`, dir);
  return state;
}

/** The table's `txn` actions (appId → version), from the checkpoint and the commits after it. */
export async function deltaTxnVersions(dir: string): Promise<Map<string, number>> {
  return withConnection(async (connection) => new Map((await readDeltaLog(connection, dir)).txns));
}

/** The table's latest version; -1 when it has no commit (no `_delta_log` yet). */
export function deltaVersion(dir: string): Promise<number> {
  return deltaLogVersion(dir);
}

/** The replayed log (active files, schema, txns) without creating a view. */
export async function readDeltaState(dir: string): Promise<DeltaLogState> {
  return withConnection((connection) => readDeltaLog(connection, dir));
}

async function withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function runSql(connection: DuckDBConnection, sql: string, table: string): Promise<DeltaRow[]> {
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } catch (cause) {
    throw new DeltaReadError('DUCKDB_QUERY_FAILED', `DuckDB failed on ${table}: ${(cause as Error).message}`, { table, sql: sql.slice(0, 2000) }, { cause });
  }
}
