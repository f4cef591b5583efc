/**
 * `source freshness`: the newest `loaded_at_field` of each source that
 * declares freshness, against now — dbt's rule: age past `error_after` →
 * error, past `warn_after` → warn, else pass; no rows (or a query that
 * fails) → runtime error. `loaded_at_field` is an SQL expression, as in
 * dbt, cast to TIMESTAMPTZ.
 */
import type { Duration, Project, SourceNode } from '../project/types.js';
import { Engine, query } from '../engine/engine.js';
import { sourceRelation } from './compile.js';
import { attachSources, createSchemas, type RunContext } from './context.js';
import { freshnessLine, startLine } from './progress.js';

export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

export interface FreshnessResult {
  readonly uniqueId: string;
  readonly status: FreshnessStatus;
  /** Newest loaded_at value (ISO), when there is one. */
  readonly maxLoadedAt?: string;
  readonly snapshottedAt: string;
  readonly ageSeconds?: number;
  readonly criteria: { warnAfter?: Duration; errorAfter?: Duration };
  readonly message?: string;
  readonly executionTime: number;
}

const PERIOD_SECONDS = { minute: 60, hour: 3600, day: 86_400 } as const;

export function durationSeconds(d: Duration): number {
  return d.count * PERIOD_SECONDS[d.period];
}

/** Pure: the status of a source whose newest row is `ageSeconds` old. */
export function freshnessStatus(ageSeconds: number, criteria: { warnAfter?: Duration; errorAfter?: Duration }): 'pass' | 'warn' | 'error' {
  if (criteria.errorAfter && ageSeconds > durationSeconds(criteria.errorAfter)) return 'error';
  if (criteria.warnAfter && ageSeconds > durationSeconds(criteria.warnAfter)) return 'warn';
  return 'pass';
}

export async function checkFreshness(ctx: RunContext, source: SourceNode, now: Date): Promise<FreshnessResult> {
  const started = Date.now();
  const criteria = { ...(source.freshness?.warnAfter ? { warnAfter: source.freshness.warnAfter } : {}), ...(source.freshness?.errorAfter ? { errorAfter: source.freshness.errorAfter } : {}) };
  const base = { uniqueId: source.uniqueId, snapshottedAt: now.toISOString(), criteria };
  if (source.loadedAtField === undefined) {
    return { ...base, status: 'runtime error', message: 'no loaded_at_field', executionTime: (Date.now() - started) / 1000 };
  }
  try {
    const filter = source.freshness?.filter ? ` WHERE ${source.freshness.filter}` : '';
    const rows = await query(ctx.engine.main, `SELECT epoch_ms(max(CAST(${source.loadedAtField} AS TIMESTAMPTZ))) AS ms FROM ${sourceRelation(source.source, source.name)}${filter}`, { node: source.uniqueId, file: source.file });
    const ms = rows[0]?.['ms'];
    if (ms === null || ms === undefined) return { ...base, status: 'runtime error', message: 'the source has no rows', executionTime: (Date.now() - started) / 1000 };
    const ageSeconds = (now.getTime() - Number(ms)) / 1000;
    return { ...base, status: freshnessStatus(ageSeconds, criteria), maxLoadedAt: new Date(Number(ms)).toISOString(), ageSeconds, executionTime: (Date.now() - started) / 1000 };
  } catch (error) {
    return { ...base, status: 'runtime error', message: error instanceof Error ? error.message : String(error), executionTime: (Date.now() - started) / 1000 };
  }
}

export interface FreshnessOutcome {
  readonly results: FreshnessResult[];
  readonly elapsed: number;
  /** dbt's: 1 when any source is past error_after or could not be checked, else 0. */
  readonly exitCode: 0 | 1;
}

/** `source freshness` over the selected sources that declare freshness (all of them by default). */
export async function runSourceFreshness(
  project: Project,
  options: { readonly tablesDir: string; readonly selected?: readonly string[]; readonly log?: (line: string) => void; readonly now?: () => Date },
): Promise<FreshnessOutcome> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const sources = [...project.sources.values()].filter((s) => s.freshness !== undefined && (options.selected === undefined || options.selected.includes(s.uniqueId)));
  const engine = await Engine.open();
  const ctx: RunContext = { project, engine, tablesDir: options.tablesDir, fullRefresh: false, sourceTables: new Map() };
  const results: FreshnessResult[] = [];
  try {
    await createSchemas(engine.main);
    let n = 0;
    for (const source of sources) {
      const what = `freshness of ${source.source}.${source.name}`;
      log(startLine(++n, sources.length, what));
      let r: FreshnessResult;
      try {
        await attachSources(ctx, engine.main, [source]);
        r = await checkFreshness(ctx, source, (options.now ?? (() => new Date()))());
      } catch (error) {
        r = { uniqueId: source.uniqueId, status: 'runtime error', snapshottedAt: new Date().toISOString(), criteria: {}, message: error instanceof Error ? error.message : String(error), executionTime: 0 };
      }
      results.push(r);
      log(freshnessLine(n, sources.length, r.status, what, r.executionTime * 1000));
    }
  } finally {
    engine.close();
  }
  return { results, elapsed: (Date.now() - started) / 1000, exitCode: results.some((r) => r.status === 'error' || r.status === 'runtime error') ? 1 : 0 };
}
