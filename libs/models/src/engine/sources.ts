/**
 * A Delta table as a DuckDB view, read through @lakestream/sink's snapshot
 * (no DuckDB delta extension): `read_parquet` over the active files with
 * `union_by_name` (files written before a schema change may lack columns),
 * partition values from the log injected as typed columns, every column
 * cast to its Delta type, in schema order. An empty file list is an empty
 * view with the schema's columns. `files` narrows the scan (an incremental
 * run reads only the files added since the version it last consumed).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseSchemaString, type AddAction, type DeltaField, type Snapshot } from '@lakestream/sink';
import { join } from 'node:path';
import { RunError, type ModelsErrorContext } from '../errors.js';
import { exec, query } from './engine.js';
import { duckdbType, partitionLiteral, quoteIdent, quoteString } from './sql.js';

export interface DeltaViewSpec {
  /** View to create (or replace), unquoted; may be `schema.name`. */
  readonly view: string;
  /** Absolute directory of the Delta table. */
  readonly tableDir: string;
  readonly snapshot: Snapshot;
  /** Files to scan (default: every active file of the snapshot). */
  readonly files?: readonly AddAction[];
  /** Also expose each row's data file as this column (its `add.path`), for merges that rewrite files. */
  readonly fileColumn?: string;
}

/** Partition groups up to this many become one `read_parquet` each with literal columns; more use a join on the file name. */
const MAX_LITERAL_GROUPS = 128;

export async function createDeltaView(connection: DuckDBConnection, spec: DeltaViewSpec, context: ModelsErrorContext = {}): Promise<void> {
  const { snapshot } = spec;
  const files = spec.files ?? [...snapshot.files.values()];
  const fields = parseSchemaString(snapshot.metadata.schemaString).fields;
  const typeOf = (f: DeltaField): string => {
    const t = duckdbType(f.type);
    if (t === undefined) throw new RunError('SOURCE_NOT_FOUND', `column ${f.name} has a Delta type DuckDB cannot read`, { ...context, version: snapshot.version });
    return t;
  };
  const partitions = new Set(snapshot.partitionColumns);
  const view = spec.view.split('.').map(quoteIdent).join('.');
  const fileCol = spec.fileColumn === undefined ? undefined : quoteIdent(spec.fileColumn);
  if (files.length === 0) {
    const columns = [...fields.map((f) => `NULL::${typeOf(f)} AS ${quoteIdent(f.name)}`), ...(fileCol ? [`NULL::VARCHAR AS ${fileCol}`] : [])].join(', ');
    await exec(connection, `CREATE OR REPLACE VIEW ${view} AS SELECT ${columns} WHERE false`, context);
    return;
  }
  const paths = files.map((f) => join(spec.tableDir, decodeLogPath(f.path)));
  const list = (ps: readonly string[]): string => `[${ps.map(quoteString).join(', ')}]`;
  const present = new Set(
    (await query(connection, `DESCRIBE SELECT * FROM read_parquet(${list(paths)}, union_by_name = true, hive_partitioning = false)`, context)).map((r) => String(r['column_name'])),
  );
  const partFields = fields.filter((f) => partitions.has(f.name));
  const dataColumns = [...present].filter((c) => !partitions.has(c));
  // Every column but the partition ones, whichever of them a group's files hold (union_by_name fills the rest).
  const dataList = partFields.length === 0 ? '*' : `COLUMNS(c -> c NOT IN (${partFields.map((p) => quoteString(p.name)).join(', ')}))`;
  const groups = new Map<string, { values: Readonly<Record<string, string | null>>; paths: string[] }>();
  files.forEach((f, i) => {
    const key = JSON.stringify(partFields.map((p) => f.partitionValues[p.name] ?? null));
    const g = groups.get(key) ?? { values: f.partitionValues, paths: [] };
    g.paths.push(paths[i] ?? '');
    groups.set(key, g);
  });

  let from: string;
  if (partFields.length === 0 || groups.size <= MAX_LITERAL_GROUPS) {
    const scans = [...groups.values()].map((g) => {
      const lits = partFields.map((p) => `${partitionLiteral(g.values[p.name], p.type)} AS ${quoteIdent(p.name)}`);
      const cols = [dataList, ...lits].filter((s) => s.length > 0).join(', ');
      return `SELECT ${cols}${fileCol ? ', filename AS __filename' : ''} FROM read_parquet(${list(g.paths)}, union_by_name = true, hive_partitioning = false${fileCol ? ', filename = true' : ''})`;
    });
    from = scans.length === 1 ? `(${scans[0]})` : `(${scans.join('\nUNION ALL BY NAME\n')})`;
  } else {
    const partsTable = quoteIdent(`__parts_${spec.view.replace(/\W/g, '_')}`);
    await exec(connection, `CREATE OR REPLACE TABLE ${partsTable} (filename VARCHAR, ${partFields.map((p) => `${quoteIdent(p.name)} ${typeOf(p)}`).join(', ')})`, context);
    const entries = [...groups.values()].flatMap((g) => g.paths.map((p) => `(${[quoteString(p), ...partFields.map((f) => partitionLiteral(g.values[f.name], f.type))].join(', ')})`));
    for (let i = 0; i < entries.length; i += 500) await exec(connection, `INSERT INTO ${partsTable} VALUES ${entries.slice(i, i + 500).join(', ')}`, context);
    const dataCols = dataColumns.map((c) => `d.${quoteIdent(c)}`);
    const partCols = partFields.map((p) => `parts.${quoteIdent(p.name)}`);
    from = `(SELECT ${[...dataCols, ...partCols, ...(fileCol ? ['d.filename AS __filename'] : [])].join(', ')} FROM read_parquet(${list(paths)}, filename = true, union_by_name = true, hive_partitioning = false) AS d JOIN ${partsTable} AS parts ON parts.filename = d.filename)`;
  }
  const columns = fields.map((f) => {
    const name = quoteIdent(f.name);
    if (partitions.has(f.name) || present.has(f.name)) return `CAST(${name} AS ${typeOf(f)}) AS ${name}`;
    return `NULL::${typeOf(f)} AS ${name}`;
  });
  if (fileCol) {
    // Absolute file name → the file's log path, so a merge can name the files to remove.
    const map = files.map((f, i) => `(${quoteString(paths[i] ?? '')}, ${quoteString(f.path)})`);
    const mapTable = quoteIdent(`__files_${spec.view.replace(/\W/g, '_')}`);
    await exec(connection, `CREATE OR REPLACE TABLE ${mapTable} (filename VARCHAR, log_path VARCHAR)`, context);
    for (let i = 0; i < map.length; i += 500) await exec(connection, `INSERT INTO ${mapTable} VALUES ${map.slice(i, i + 500).join(', ')}`, context);
    columns.push(`(SELECT log_path FROM ${mapTable} WHERE ${mapTable}.filename = __filename) AS ${fileCol}`);
  }
  await exec(connection, `CREATE OR REPLACE VIEW ${view} AS SELECT ${columns.join(', ')} FROM ${from}`, context);
}

/** `%XX` escapes of an `add.path` decoded as UTF-8 (malformed runs kept). */
export function decodeLogPath(logPath: string): string {
  return logPath.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return run;
    }
  });
}
