/**
 * Fixtures for the gold report's end-to-end test (gold-report.spec.ts): the
 * gold CLI (`apps/gold/dist/main.js`) and the satellite simulator CLI as child
 * processes, the Delta tables under a root, and what a page of the report
 * drew, measured in the browser (each `data-chart` container's declared
 * points, its series as embedded in the page, and the coloured pixels of its
 * uPlot canvas — uPlot paints grid, ticks and labels in greys, series in the
 * palette's colours, so coloured pixels mean data was drawn).
 *
 * Build first: `npx nx run-many -t build -p broker producer consumer gold sim`
 * (a missing dist/main.js fails with APP_START_FAILED naming the command).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppProcessError, spawnApp, type AppProcess } from '@lakestream/testing';
import type { Page } from 'playwright-core';
import { inWorkspace, WORKSPACE_ROOT } from '../workspace.js';

export const GOLD_MAIN = inWorkspace('apps', 'gold', 'dist', 'main.js');
export const SIM_CLI = inWorkspace('libs', 'sim', 'dist', 'cli.js');

/** The gold tables the shipped project builds (apps/gold/project/models/marts). */
export const GOLD_MARTS = ['lap_metrics', 'session_metrics', 'satellite_health', 'pipeline_quality', 'pipeline_expectations'] as const;

/** Runs a CLI (gold or sim) to its exit; resolves with the process whatever the exit code. */
export async function runCli(main: string, name: string, args: readonly string[], timeoutMs = 120_000): Promise<AppProcess> {
  const app = spawnApp(main, args, { name, cwd: WORKSPACE_ROOT });
  await app.waitForExit(timeoutMs);
  return app;
}

/** Runs a CLI and rejects (with its output) unless it exits 0. */
export async function runCliOk(main: string, name: string, args: readonly string[], timeoutMs = 120_000): Promise<AppProcess> {
  const app = await runCli(main, name, args, timeoutMs);
  const exit = await app.exited;
  if (exit.code !== 0) throw new AppProcessError('APP_EXITED', `${name} ${args.join(' ')} failed\n${app.describe()}`, { exit });
  return app;
}

/** Every Delta table (a directory holding `_delta_log`) under `dir`, relative to it, sorted. */
export async function deltaTablesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.includes('_delta_log')) return [prefix];
  const found: string[] = [];
  for (const e of entries.sort()) {
    const path = join(dir, e);
    if ((await stat(path)).isDirectory()) found.push(...(await deltaTablesUnder(path, prefix ? `${prefix}/${e}` : e)));
  }
  return found;
}

/** One series of a chart as embedded in the page's `#chart-data` JSON. */
export interface DrawnSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/** What one `data-chart` container of the page holds and drew. */
export interface DrawnChart {
  readonly name: string;
  /** `data-points` as rendered. */
  readonly points: number;
  /** uPlot canvases inside the container (0 for the leaderboard tables). */
  readonly canvases: number;
  /** Pixels of the canvas whose colour is not a grey (series strokes / bars). */
  readonly colouredPixels: number;
  /** Non-null values of the series embedded for this chart (absent for tables). */
  readonly embeddedPoints?: number;
  readonly x?: readonly number[];
  readonly series?: readonly DrawnSeries[];
  /** Leaderboards: the rows as shown, cell texts. */
  readonly rows?: readonly { readonly car: string; readonly cells: readonly string[] }[];
}

/**
 * Reads every chart of the report page: attributes, embedded data and canvas
 * pixels. Runs in the browser; waits for the page's `data-rendered` marker.
 */
export async function drawnCharts(page: Page): Promise<DrawnChart[]> {
  await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
  return page.evaluate(() => {
    interface Spec { id: string; x: number[]; series: { label: string; values: (number | null)[] }[] }
    const specs = JSON.parse(document.getElementById('chart-data')?.textContent ?? '[]') as Spec[];
    const byId = new Map(specs.map((s) => [s.id, s]));
    return Array.from(document.querySelectorAll<HTMLElement>('[data-chart]')).map((el) => {
      let coloured = 0;
      const canvases = Array.from(el.querySelectorAll('canvas'));
      for (const canvas of canvases) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
        const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < px.length; i += 4) {
          const r = px[i] ?? 0, g = px[i + 1] ?? 0, b = px[i + 2] ?? 0, a = px[i + 3] ?? 0;
          if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
        }
      }
      const spec = byId.get(el.getAttribute('data-chart-id') ?? '');
      const rows = Array.from(el.querySelectorAll<HTMLTableRowElement>('tr[data-car]')).map((tr) => ({
        car: tr.getAttribute('data-car') ?? '',
        cells: Array.from(tr.cells).map((td) => td.innerText.trim()),
      }));
      return {
        name: el.getAttribute('data-chart') ?? '',
        points: Number(el.getAttribute('data-points')),
        canvases: canvases.length,
        colouredPixels: coloured,
        ...(spec ? { x: spec.x, series: spec.series, embeddedPoints: spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0) } : {}),
        ...(rows.length > 0 ? { rows } : {}),
      };
    });
  });
}

/** A number from DuckDB (bigint, number, Date → epoch seconds, decimal) as a JS number; null stays null. */
export function asNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime() / 1000;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
