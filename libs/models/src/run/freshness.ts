/**
 * `source freshness`: the newest `loaded_at_field` of each source that
 * declares freshness, against now — dbt's rule: age past `error_after` →
 * error, past `warn_after` → warn, else pass; no rows (or a query that
 * fails) → runtime error. `loaded_at_field` is an SQL expression, as in
 * dbt, cast to TIMESTAMPTZ.
 */
import type { Duration, SourceNode } from '../project/types.js';
import { query } from '../engine/engine.js';
import { sourceRelation } from './compile.js';
import type { RunContext } from './context.js';

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
