/** The bench's markdown report: one table of throughput rows and the latency line, goals marked PASS/MISS. */

export interface Row {
  readonly scenario: string;
  readonly events: number;
  readonly seconds: number;
  /** Shown as events/s; `overall` adds the whole-run rate in brackets. */
  readonly rate: number;
  readonly overall?: number;
  readonly peakRssMb?: number;
  readonly goal?: string;
  readonly ratio?: string;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtRate = (n: number) => (Number.isFinite(n) ? fmtInt(n) : 'n/a');

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

export function ratio(a: number | undefined, b: number | undefined, label: string): string {
  if (a === undefined || b === undefined || !(b > 0)) return '';
  return `${(a / b).toFixed(2)}× ${label}`;
}

export function markdownTable(rows: readonly Row[]): string {
  const out = ['| scenario | events | seconds | events/s | peak RSS MB | goal | ratio to baseline |', '|---|---:|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const rate = r.overall === undefined ? fmtRate(r.rate) : `${fmtRate(r.rate)} (overall ${fmtRate(r.overall)})`;
    out.push(`| ${r.scenario} | ${fmtInt(r.events)} | ${r.seconds.toFixed(2)} | ${rate} | ${r.peakRssMb === undefined ? '' : r.peakRssMb.toFixed(0)} | ${r.goal ?? ''} | ${r.ratio ?? ''} |`);
  }
  return out.join('\n');
}
