/**
 * Runs the real gold project through @lakestream/models (`gold build`: every
 * model in DAG order, then its tests) over hand-built silver Delta tables, and
 * reads the gold Delta tables back with @lakestream/testing's independent
 * DuckDB reader (the log and Parquet files, not our sink).
 */
import { join } from 'node:path';
import { loadProject, runProject, type RunOutcome } from '@lakestream/models';
import { createDeltaView, type DeltaRow } from '@lakestream/testing';
import { DuckDBInstance } from '@duckdb/node-api';

export const PROJECT_DIR = new URL('../../project/', import.meta.url).pathname;

/** The marts the specs read, each at gold/<name>. */
export const MARTS = ['lap_metrics', 'session_metrics', 'satellite_health', 'pipeline_quality', 'pipeline_expectations'] as const;

export type Query = (sql: string) => Promise<DeltaRow[]>;

/** `gold build` over `tablesRoot`, then `fn` with a query over the gold tables (views named after the marts). */
export async function withGoldTables<T>(tablesRoot: string, fn: (query: Query, outcome: RunOutcome) => Promise<T>): Promise<T> {
  const project = await loadProject(PROJECT_DIR);
  const outcome = await runProject(project, { command: 'build', tablesDir: tablesRoot });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    for (const mart of MARTS) await createDeltaView(connection, mart, join(tablesRoot, 'gold', mart));
    return await fn(async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS(), outcome);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
