/**
 * The Data Docs' view of a list of stored results: suites (by name) with
 * their runs in time order (`runAt`, then `runId`, then input order), and per
 * expectation (by its stable name) the series of its pass rates over those
 * runs — what the index, the suite pages and the trend charts show.
 */
import type { ExpectationResult, StoredValidationResult } from '../result.js';
import { passRate, rowPassRate } from './format.js';

export interface RunView {
  /** Position in the input: the run's anchor is `run-<index>`. */
  readonly index: number;
  readonly result: StoredValidationResult;
  /** Percent of rows that passed every `error` expectation. */
  readonly rowPassRate: number;
}

export interface TrendPoint {
  /** Position of the run in its suite's `runs`. */
  readonly run: number;
  readonly runId: string;
  readonly runAt: string;
  readonly passRate: number;
  readonly success: boolean;
}

export interface ExpectationTrend {
  readonly name: string;
  /** The latest run's result of this expectation. */
  readonly latest: ExpectationResult;
  /** One point per run that evaluated this expectation, in time order. */
  readonly points: readonly TrendPoint[];
}

export interface SuiteView {
  /** Position in name order: the suite's anchor is `suite-<index>`. */
  readonly index: number;
  readonly name: string;
  /** Content hashes seen, oldest first (a new hash = a new version of the suite). */
  readonly hashes: readonly string[];
  /** Oldest first. */
  readonly runs: readonly RunView[];
  readonly trends: readonly ExpectationTrend[];
}

export interface DocsModel {
  readonly suites: readonly SuiteView[];
  /** Every run, newest first (the index page's order, as GE's). */
  readonly runs: readonly RunView[];
}

function timeOf(r: StoredValidationResult): number {
  const t = Date.parse(r.runAt);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function chronological(a: RunView, b: RunView): number {
  const ta = timeOf(a.result);
  const tb = timeOf(b.result);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.result.runId !== b.result.runId) return a.result.runId < b.result.runId ? -1 : 1;
  return a.index - b.index;
}

export function buildModel(results: readonly StoredValidationResult[]): DocsModel {
  const all: RunView[] = results.map((result, index) => ({ index, result, rowPassRate: rowPassRate(result.rowCount, result.passedRows) }));
  const byName = new Map<string, RunView[]>();
  for (const run of all) {
    const list = byName.get(run.result.suite.name);
    if (list) list.push(run);
    else byName.set(run.result.suite.name, [run]);
  }
  const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const suites = names.map((name, index): SuiteView => {
    const runs = (byName.get(name) ?? []).sort(chronological);
    const hashes: string[] = [];
    for (const run of runs) if (!hashes.includes(run.result.suite.hash)) hashes.push(run.result.suite.hash);
    return { index, name, hashes, runs, trends: trendsOf(runs) };
  });
  return { suites, runs: [...all].sort(chronological).reverse() };
}

function trendsOf(runs: readonly RunView[]): ExpectationTrend[] {
  const trends = new Map<string, { latest: ExpectationResult; points: TrendPoint[] }>();
  runs.forEach((run, position) => {
    for (const r of run.result.results) {
      const point: TrendPoint = { run: position, runId: run.result.runId, runAt: run.result.runAt, passRate: passRate(r), success: r.success };
      const trend = trends.get(r.name);
      if (!trend) trends.set(r.name, { latest: r, points: [point] });
      else {
        trend.latest = r;
        // A name twice in one run (a suite mistake) keeps its last result for that run.
        if (trend.points.at(-1)?.run === position) trend.points[trend.points.length - 1] = point;
        else trend.points.push(point);
      }
    }
  });
  // Suite order of the latest run first, then expectations only older runs had.
  return [...trends.entries()]
    .map(([name, t]) => ({ name, latest: t.latest, points: t.points }))
    .sort((a, b) => (b.points.at(-1)?.run ?? 0) - (a.points.at(-1)?.run ?? 0) || a.latest.id - b.latest.id);
}
