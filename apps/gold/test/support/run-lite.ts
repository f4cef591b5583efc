/**
 * TEMPORARY stand-in for @lakestream/models' runner while it is being built: renders
 * the project's models with a minimal subset of the template language (config, ref,
 * source, this, is_incremental — full runs only) and creates each model as a DuckDB
 * view over the sources' Delta tables (read by @lakestream/testing's independent
 * Delta reader). The model specs switch to the real runner once it lands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createDeltaView, type DeltaRow } from '@lakestream/testing';
import { DuckDBInstance } from '@duckdb/node-api';

export const PROJECT_DIR = new URL('../../project/', import.meta.url).pathname;

/** Source (source name, table) → Delta path under the root, as models/sources.yml declares. */
export const SOURCES: Readonly<Record<string, string>> = {
  'silver.telemetry_enriched': 'silver/telemetry_enriched',
  'silver.satellite_samples': 'silver/satellite_samples',
  'quality.validation_results': 'quality/validation_results',
  'quality.quarantine_f1': 'quarantine/f1',
  'quality.quarantine_satellite': 'quarantine/satellite',
};

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sqlFiles(join(dir, e.name)) : e.name.endsWith('.sql') ? [join(dir, e.name)] : []));
}

export function renderLite(raw: string): { sql: string; refs: string[] } {
  const refs: string[] = [];
  const sql = raw
    .replace(/\{\{\s*config\([\s\S]*?\)\s*\}\}/g, '')
    .replace(/\{%\s*if is_incremental\(\)\s*%\}[\s\S]*?(?:\{%\s*else\s*%\}([\s\S]*?))?\{%\s*endif\s*%\}/g, (_m, otherwise: string | undefined) => otherwise ?? '')
    .replace(/\{\{\s*ref\('([^']+)'\)\s*\}\}/g, (_m, name: string) => {
      refs.push(name);
      return `"${name}"`;
    })
    .replace(/\{\{\s*source\('([^']+)',\s*'([^']+)'\)\s*\}\}/g, (_m, s: string, t: string) => `"src_${s}_${t}"`);
  if (/\{\{|\{%/.test(sql)) throw new Error(`run-lite cannot render: ${sql.slice(sql.search(/\{\{|\{%/), 80)}`);
  return { sql, refs };
}

export type Query = (sql: string) => Promise<DeltaRow[]>;

/** Builds every model as a view, then hands a query function over them (and the sources) to `fn`. */
export async function withProjectViews<T>(tablesRoot: string, fn: (query: Query) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    for (const [name, path] of Object.entries(SOURCES)) await createDeltaView(connection, `src_${name.replace('.', '_')}`, join(tablesRoot, path));
    const models = new Map(sqlFiles(join(PROJECT_DIR, 'models')).map((f) => [basename(f, '.sql'), renderLite(readFileSync(f, 'utf8'))]));
    const done = new Set<string>();
    while (done.size < models.size) {
      const before = done.size;
      for (const [name, m] of models) {
        if (done.has(name) || !m.refs.every((r) => done.has(r))) continue;
        await connection.run(`CREATE VIEW "${name}" AS ${m.sql}`);
        done.add(name);
      }
      if (done.size === before) throw new Error('run-lite: cycle or unknown ref');
    }
    return await fn(async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS());
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
