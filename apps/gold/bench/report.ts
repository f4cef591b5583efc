/** The bench's markdown table and pure helpers (median, the CLI's own elapsed time, row diffs). */

export interface Row {
  readonly scenario: string;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly goal: string;
  /** Ratio to the ceiling (full builds) or to the goal (incremental). */
  readonly ratio?: number;
  readonly met?: boolean;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The `(1.91s)` of dbt's `Finished running … (1.91s).` line, when present. */
export function cliSeconds(stdout: string): number | undefined {
  const m = /Finished running .*\((\d+(?:\.\d+)?)s\)\./.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| scenario | rows | seconds | peak RSS MB | goal | ratio |', '|---|---:|---:|---:|---|---:|'];
  for (const r of rows) {
    const verdict = r.met === undefined ? '' : r.met ? ' ✓' : ' ✗';
    const ratio = r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×${verdict}`;
    lines.push(`| ${r.scenario} | ${r.rows.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${Math.round(r.peakRssMb)} | ${r.goal} | ${ratio} |`);
  }
  return lines.join('\n');
}

export interface Diff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Two rows serialized as JSON objects are the same when every field is equal,
 * numbers within a relative 1e-9 (a recomputed average may differ in its last
 * bits with the summation order).
 */
export function sameRow(a: string, b: string): boolean {
  if (a === b) return true;
  const x = JSON.parse(a) as Record<string, unknown>;
  const y = JSON.parse(b) as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) {
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (typeof u === 'number' && typeof v === 'number' && Math.abs(u - v) <= 1e-9 * Math.max(Math.abs(u), Math.abs(v))) continue;
    return false;
  }
  return true;
}

/** Keys added, changed (not `sameRow`) and removed between two keyed snapshots of a table. */
export function diffRows(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Diff {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [k, v] of after) {
    const old = before.get(k);
    if (old === undefined) added.push(k);
    else if (!sameRow(old, v)) changed.push(k);
  }
  for (const k of before.keys()) if (!after.has(k)) removed.push(k);
  return { added, changed, removed };
}
