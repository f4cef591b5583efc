/**
 * dbt's console lines, one START and one result per node:
 *
 *   1 of 7 START sql table model gold.lap_metrics .......................... [RUN]
 *   1 of 7 OK created sql table model gold.lap_metrics ..................... [CREATE TABLE 1234 in 0.52s]
 *   2 of 7 PASS not_null_lap_metrics_lap ..................................... [PASS in 0.03s]
 *   3 of 7 FAIL 2 unique_lap_metrics_lap_id .................................. [FAIL 2 in 0.04s]
 *   4 of 7 SKIP relation gold.session_metrics ................................ [SKIP]
 *
 * Pure.
 */
const WIDTH = 80;

function line(index: number, total: number, text: string, status: string): string {
  const head = `${index} of ${total} ${text} `;
  const dots = '.'.repeat(Math.max(3, WIDTH - head.length));
  return `${head}${dots} [${status}]`;
}

export function describeModel(materialized: string, relation: string): string {
  return `sql ${materialized} model ${relation}`;
}

export function startLine(index: number, total: number, what: string): string {
  return line(index, total, `START ${what}`, 'RUN');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

/** `source freshness` result lines: PASS / WARN / ERROR STALE / ERROR. */
export function freshnessLine(index: number, total: number, status: 'pass' | 'warn' | 'error' | 'runtime error', what: string, ms: number): string {
  const label = { pass: 'PASS', warn: 'WARN', error: 'ERROR STALE', 'runtime error': 'ERROR' }[status];
  const tag = { pass: 'PASS', warn: 'WARN', error: 'ERROR STALE', 'runtime error': 'ERROR' }[status];
  return line(index, total, `${label} ${what}`, `${tag} in ${seconds(ms)}`);
}

export type ResultKind = 'ok' | 'error' | 'skip' | 'pass' | 'warn' | 'fail' | 'no-op';

export function resultLine(index: number, total: number, kind: ResultKind, what: string, detail: { message?: string; failures?: number; ms?: number } = {}): string {
  const t = seconds(detail.ms ?? 0);
  switch (kind) {
    case 'ok': return line(index, total, `OK created ${what}`, `${detail.message ?? 'OK'} in ${t}`);
    case 'no-op': return line(index, total, `OK ${what}`, `${detail.message ?? 'NO-OP'} in ${t}`);
    case 'error': return line(index, total, `ERROR creating ${what}`, `ERROR in ${t}`);
    case 'skip': return line(index, total, `SKIP ${what}`, 'SKIP');
    case 'pass': return line(index, total, `PASS ${what}`, `PASS in ${t}`);
    case 'warn': return line(index, total, `WARN ${detail.failures ?? 0} ${what}`, `WARN ${detail.failures ?? 0} in ${t}`);
    case 'fail': return line(index, total, `FAIL ${detail.failures ?? 0} ${what}`, `FAIL ${detail.failures ?? 0} in ${t}`);
  }
}
