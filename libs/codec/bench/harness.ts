/** Timing and reporting for codec.bench.ts. */
export interface Row {
  readonly name: string;
  readonly eventsPerSec: number;
  readonly mbPerSec: number;
  readonly ratio: number;
  readonly bytesPerEvent: number;
}

/** Calls `fn` repeatedly; returns the best calls per second over `runs` runs of about `runMs` each, after a warm-up. */
export function measure(fn: () => void, runMs: number, runs: number, warmUp = true): number {
  const warmUntil = performance.now() + (warmUp ? runMs / 2 : 0);
  while (performance.now() < warmUntil) fn();
  let best = 0;
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < runMs) {
      fn();
      calls++;
      now = performance.now();
    }
    best = Math.max(best, (calls * 1000) / (now - start));
  }
  return best;
}

/** Times `a` and `b` in alternating runs, so background load hits both alike; returns the best calls/s of each. */
export function measurePair(a: () => void, b: () => void, runMs: number, runs: number): [number, number] {
  let bestA = 0;
  let bestB = 0;
  measure(a, runMs / 2, 0);
  measure(b, runMs / 2, 0);
  for (let r = 0; r < runs; r++) {
    bestA = Math.max(bestA, measure(a, runMs, 1, false));
    bestB = Math.max(bestB, measure(b, runMs, 1, false));
  }
  return [bestA, bestB];
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function printTable(rows: readonly Row[], meta: { node: string; notes: readonly string[] }): void {
  console.log(`\n## codec benchmark (node ${meta.node})\n`);
  console.log('| case | events/s | MB/s | ratio vs JSON | bytes/event |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const ratio = r.ratio === 1 ? '1.00 (baseline)' : `${fmt(r.ratio, 2)}×`;
    console.log(`| ${r.name} | ${fmt(r.eventsPerSec)} | ${fmt(r.mbPerSec, 1)} | ${ratio} | ${fmt(r.bytesPerEvent, 1)} |`);
  }
  console.log('');
  for (const n of meta.notes) console.log(`- ${n}`);
}
