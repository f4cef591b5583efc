/**
 * The ceiling: DuckDB running the gold models' compiled SQL directly over the
 * same Parquet files, without Delta writes, tests or the runner. Run as a
 * child of the bench (its peak RSS is sampled from /proc):
 *
 *   node --conditions=@lakestream/source --import tsx apps/gold/bench/ceiling.ts \
 *     --tables <delta root> --compiled <target>/compiled/gold --project-dir apps/gold/project
 *
 * Each source becomes a view `src."<source>__<table>"` over
 * `read_parquet([active files of the Delta snapshot], hive_partitioning = true,
 * hive_types = {partition columns with their Delta types})`; then, in DAG
 * order, each non-ephemeral model's compiled SQL (ephemeral models are
 * already inlined as CTEs by `gold compile`) runs as `CREATE TABLE gold."<m>"
 * AS …` (`CREATE VIEW` for views) in one DuckDB in-memory database. Prints one
 * JSON line: seconds (DuckDB instance + views + every model), per model seconds
 * and rows. The file lists (the Delta log read) are gathered before the clock starts.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { buildGraph, createDeltaView, loadProject } from '@lakestream/models';
import { loadSnapshot, LocalFileStore, parseSchemaString, type DeltaDataType, type Snapshot } from '@lakestream/sink';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const PRIMITIVE: Readonly<Record<string, string>> = {
  string: 'VARCHAR', long: 'BIGINT', integer: 'INTEGER', short: 'SMALLINT', byte: 'TINYINT', double: 'DOUBLE', float: 'FLOAT',
  boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMPTZ', timestamp_ntz: 'TIMESTAMP', binary: 'BLOB',
};
const q = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const id = (s: string): string => `"${s.replaceAll('"', '""')}"`;

export interface CeilingResult {
  readonly mode: 'hive' | 'engine';
  readonly seconds: number;
  readonly models: readonly { readonly name: string; readonly seconds: number; readonly rows: number }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tables: { type: 'string' }, compiled: { type: 'string' }, 'project-dir': { type: 'string' }, views: { type: 'string' } } });
  const mode = values.views === 'engine' ? 'engine' : 'hive';
  const tables = resolve(values.tables ?? 'data/delta-tables');
  const compiled = resolve(values.compiled ?? 'apps/gold/project/target/compiled/gold');
  const project = await loadProject(resolve(values['project-dir'] ?? 'apps/gold/project'));
  const graph = buildGraph(project);

  // Not timed: the Delta log reads that give each source's active files.
  const views: string[] = [];
  const snapshots: { view: string; dir: string; snapshot: Snapshot }[] = [];
  for (const source of project.sources.values()) {
    const dir = join(tables, source.deltaPath);
    const snapshot = await loadSnapshot(new LocalFileStore(dir));
    const files = [...snapshot.files.values()].map((f) => join(dir, decodeURIComponent(f.path)));
    const fields = parseSchemaString(snapshot.metadata.schemaString).fields;
    const hiveTypes = snapshot.partitionColumns.map((c) => {
      const type: DeltaDataType | undefined = fields.find((f) => f.name === c)?.type;
      return `${q(c)}: ${typeof type === 'string' ? (PRIMITIVE[type] ?? 'VARCHAR') : 'VARCHAR'}`;
    });
    const scan = hiveTypes.length > 0
      ? `read_parquet([${files.map(q).join(', ')}], hive_partitioning = true, hive_types = {${hiveTypes.join(', ')}})`
      : `read_parquet([${files.map(q).join(', ')}], hive_partitioning = false)`;
    snapshots.push({ view: `src.${source.source}__${source.name}`, dir, snapshot });
    views.push(`CREATE VIEW src.${id(`${source.source}__${source.name}`)} AS SELECT * FROM ${scan}`);
  }
  const order = graph.order().map((u) => project.models.get(u)).filter((m) => m !== undefined && m.config.materialized !== 'ephemeral');
  const sql = new Map<string, string>();
  for (const m of order) if (m) sql.set(m.name, await readFile(join(compiled, `${m.name}.sql`), 'utf8'));

  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'; CREATE SCHEMA src; CREATE SCHEMA gold;");
  if (mode === 'hive') for (const v of views) await connection.run(v);
  else for (const s of snapshots) await createDeltaView(connection, { view: s.view, tableDir: s.dir, snapshot: s.snapshot });
  const models: { name: string; seconds: number; rows: number }[] = [];
  for (const m of order) {
    if (!m) continue;
    const t = performance.now();
    const kind = m.config.materialized === 'view' ? 'VIEW' : 'TABLE';
    await connection.run(`CREATE ${kind} gold.${id(m.name)} AS ${sql.get(m.name) ?? ''}`);
    models.push({ name: m.name, seconds: (performance.now() - t) / 1000, rows: 0 });
  }
  const seconds = (performance.now() - t0) / 1000;
  // Row counts after the clock stops.
  for (const m of models) {
    if (project.models.get(`model.${m.name}`)?.config.materialized === 'view') continue;
    m.rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM gold.${id(m.name)}`)).getRows()[0]?.[0] ?? 0);
  }
  connection.closeSync();
  const result: CeilingResult = { mode, seconds, models };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
