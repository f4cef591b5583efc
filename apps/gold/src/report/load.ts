/**
 * Reads what the report draws: the gold Delta tables (and silver satellite samples,
 * decimated) through @lakestream/sink's snapshot reader. Timestamps become epoch
 * seconds, 64-bit integers numbers. A table that does not exist yet reads as empty.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { DataType, type Table } from 'apache-arrow';
import type { GoldRow, ReportTables } from './charts.js';

/** Where each table lives under the Delta root (gold tables at gold/<model>, as the catalog names them). */
export const REPORT_TABLE_PATHS = {
  lapMetrics: 'gold/lap_metrics',
  sessionMetrics: 'gold/session_metrics',
  satelliteHealth: 'gold/satellite_health',
  pipelineQuality: 'gold/pipeline_quality',
  pipelineExpectations: 'gold/pipeline_expectations',
  satelliteSamples: 'silver/satellite_samples',
} as const satisfies Record<keyof ReportTables, string>;

/** Raw satellite samples kept per satellite (evenly strided). */
export const MAX_SAMPLES_PER_SATELLITE = 720;

export function arrowRows(table: Table): GoldRow[] {
  const fields = table.schema.fields;
  const columns = fields.map((f) => table.getChild(f.name));
  const rows: GoldRow[] = [];
  const numRows = table.numRows;
  for (let i = 0; i < numRows; i++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, k) => {
      const v: unknown = columns[k]?.get(i);
      if (v === null || v === undefined) row[f.name] = null;
      // arrow-js hands timestamps as epoch milliseconds (number or bigint by unit); the report wants seconds
      else if (DataType.isTimestamp(f.type)) row[f.name] = Number(v) / 1000;
      else if (DataType.isDate(f.type)) row[f.name] = new Date(Number(v)).toISOString().slice(0, 10);
      else row[f.name] = typeof v === 'bigint' ? Number(v) : v;
    });
    rows.push(row);
  }
  return rows;
}

async function readRows(dir: string, columns?: readonly string[]): Promise<GoldRow[]> {
  if (!existsSync(join(dir, '_delta_log'))) return [];
  const table = await DeltaTable.open(new LocalFileStore(dir));
  return arrowRows(await table.read(columns ? { columns } : {}));
}

export function decimate(rows: readonly GoldRow[], max: number): GoldRow[] {
  const bySatellite = new Map<string, GoldRow[]>();
  for (const r of rows) {
    const key = String(r['satellite']);
    const list = bySatellite.get(key) ?? [];
    list.push(r);
    bySatellite.set(key, list);
  }
  return [...bySatellite.values()].flatMap((list) => {
    const sorted = [...list].sort((a, b) => Number(a['event_time']) - Number(b['event_time']));
    const stride = Math.max(1, Math.ceil(sorted.length / max));
    return sorted.filter((_, i) => i % stride === 0);
  });
}

export async function loadReportTables(tablesRoot: string): Promise<ReportTables> {
  const p = (k: keyof ReportTables): string => join(tablesRoot, REPORT_TABLE_PATHS[k]);
  const samples = await readRows(p('satelliteSamples'), ['satellite', 'event_time', 'temp_c', 'battery_charge_pct', 'altitude', 'sensor1', 'sensor2', 'sensor3']);
  return {
    lapMetrics: await readRows(p('lapMetrics')),
    sessionMetrics: await readRows(p('sessionMetrics')),
    satelliteHealth: await readRows(p('satelliteHealth')),
    pipelineQuality: await readRows(p('pipelineQuality')),
    pipelineExpectations: await readRows(p('pipelineExpectations')),
    satelliteSamples: decimate(samples, MAX_SAMPLES_PER_SATELLITE),
  };
}
