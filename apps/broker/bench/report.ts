/** The benchmark's markdown report: one table of runs, the environment, and the goals. */
import type { Sample } from './runners.js';

export type CaseName = 'kafkajs produce' | 'kafkajs consume' | 'kcat produce' | 'kcat consume';

export interface Leg {
  /** Column text, e.g. "lakestream (4 partitions)". */
  readonly label: string;
  readonly kind: 'mock' | 'ours';
  readonly partitions: number;
  /** Compared with the mock partition for partition (the like-for-like ratio the goals use). */
  readonly likeForLike: boolean;
}

export interface Row {
  readonly caseName: CaseName;
  readonly leg: Leg;
  readonly workload: string;
  /** Best run first; every run's sample, for the spread. */
  readonly samples: readonly Sample[];
}

const MB = 1e6;
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');

export const rate = (s: Sample) => s.messages / s.seconds;

export function best(samples: readonly Sample[]): Sample {
  return samples.reduce((a, b) => (rate(b) > rate(a) ? b : a));
}

export function ratioToMock(rows: readonly Row[], row: Row): number | undefined {
  if (row.leg.kind === 'mock') return undefined;
  const mock = rows.find((r) => r.caseName === row.caseName && r.leg.kind === 'mock');
  return mock ? rate(best(row.samples)) / rate(best(mock.samples)) : undefined;
}

export function printTable(rows: readonly Row[]): void {
  console.log('| case | broker | workload | msgs | seconds | msgs/s | MB/s | broker CPU s | client CPU s | ratio ours/mock |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const s = best(row.samples);
    const ratio = ratioToMock(rows, row);
    const ratioText = ratio === undefined ? '1.00 (baseline)' : `${fmt(ratio, 2)}${row.leg.likeForLike ? '' : ' ¹'}`;
    const spread = row.samples.length > 1 ? ` (runs: ${row.samples.map((x) => fmt(rate(x))).join(', ')})` : '';
    console.log(
      `| ${row.caseName} | ${row.leg.label} | ${row.workload} | ${fmt(s.messages)} | ${fmt(s.seconds, 2)} | ${fmt(rate(s))}${spread} | ${fmt(s.payloadBytes / MB / s.seconds, 1)} | ${fmt(s.brokerCpuSeconds, 2)} | ${fmt(s.clientCpuSeconds, 2)} | ${ratioText} |`,
    );
  }
}

export interface Goal {
  readonly text: string;
  readonly pass: boolean;
  readonly detail: string;
}

export function printGoals(goals: readonly Goal[]): void {
  for (const g of goals) console.log(`- **${g.pass ? 'PASS' : 'MISS'}** ${g.text}: ${g.detail}`);
}

export { fmt };
