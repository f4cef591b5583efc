/**
 * `gold report --out <file>`: the entry point the CLI calls. Reads the gold tables,
 * builds the charts and writes one self-contained HTML page (uPlot inlined).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pointCount, reportCharts } from './charts.js';
import { loadReportTables } from './load.js';
import { renderReport, type UplotAssets } from './render.js';

export interface WriteGoldReportOptions {
  /** The Delta root (`--tables`, default data/delta-tables). */
  readonly tablesRoot: string;
  /** Output file (`--out`); default `data/reports/gold-report.html`. */
  readonly out?: string;
  readonly title?: string;
  readonly now?: Date;
}

export interface GoldReportResult {
  readonly path: string;
  readonly bytes: number;
  /** Chart name → data points drawn (leaderboards: rows). */
  readonly charts: Readonly<Record<string, number>>;
}

export const DEFAULT_REPORT_PATH = 'data/reports/gold-report.html';

/** uPlot's minified IIFE build and stylesheet from the installed package. */
export function uplotAssets(): UplotAssets {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
  return { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
}

export async function writeGoldReport(options: WriteGoldReportOptions): Promise<GoldReportResult> {
  const tables = await loadReportTables(options.tablesRoot);
  const charts = reportCharts(tables);
  const html = renderReport(charts, tables.sessionMetrics, {
    generatedAt: options.now ?? new Date(),
    tablesRoot: options.tablesRoot,
    uplot: uplotAssets(),
    ...(options.title ? { title: options.title } : {}),
  });
  const path = resolve(options.out ?? DEFAULT_REPORT_PATH);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
  const counts: Record<string, number> = Object.fromEntries(charts.map((c) => [c.name, pointCount(c)]));
  for (const s of new Set(tables.sessionMetrics.map((r) => String(r['session_id'])))) counts[`leaderboard-${s}`] = tables.sessionMetrics.filter((r) => r['session_id'] === s).length;
  return { path, bytes: Buffer.byteLength(html), charts: counts };
}
