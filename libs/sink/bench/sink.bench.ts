/**
 * `nx run sink:bench` — appending silver F1 telemetry to a Delta table
 * against DuckDB's Parquet writer in the same run, and snapshot load time
 * of a long log with and without checkpoints. Prints a markdown table with
 * PASS/MISS per goal (issue 4); a MISS is reported, not a failure.
 *
 *   --quick        100k rows, 1,000-commit log (a smoke run)
 *   --rows N       rows to append (default 1,000,000)
 *   --batch N      micro-batch rows (default 10,000)
 *   --commits N    commits in the snapshot-load log (default 10,000)
 *   --phase P      internal: run one phase in this process, print its JSON
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runPhase, type Measurement, type PhaseOptions, type PhaseResult } from './phases.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, rows: { type: 'string' }, batch: { type: 'string' }, commits: { type: 'string' }, phase: { type: 'string' } },
  strict: true,
});
const count = z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().positive());
const flags = z.object({ quick: z.boolean().default(false), rows: count.optional(), batch: count.optional(), commits: count.optional(), phase: z.string().optional() }).parse(values);
const options: PhaseOptions = {
  rows: flags.rows ?? (flags.quick ? 100_000 : 1_000_000),
  batchRows: flags.batch ?? 10_000,
  commits: flags.commits ?? (flags.quick ? 1_000 : 10_000),
};

if (flags.phase) {
  process.stdout.write(`${JSON.stringify(await runPhase(flags.phase, options))}\n`);
} else {
  await orchestrate();
}

function child(phase: string): Promise<PhaseResult> {
  const args = ['--conditions=@lakestream/source', '--import', 'tsx', fileURLToPath(import.meta.url), '--phase', phase, '--rows', String(options.rows), '--batch', String(options.batchRows), '--commits', String(options.commits)];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`bench phase ${phase} exited ${code}`));
      else resolve(JSON.parse(line) as PhaseResult);
    });
  });
}

async function orchestrate(): Promise<void> {
  process.stderr.write(`sink bench: ${options.rows.toLocaleString('en')} silver F1 rows, micro-batches of ${options.batchRows.toLocaleString('en')}, ${options.commits.toLocaleString('en')}-commit log\n`);
  const results: PhaseResult[] = [];
  for (const phase of ['duckdb', 'one-batch', 'micro-batch', 'micro-batch-pipelined', 'micro-batch-unpartitioned', 'snapshot']) {
    process.stderr.write(`  ${phase}…\n`);
    results.push(await child(phase));
  }
  const all = new Map<string, Measurement & { rss: number }>();
  for (const r of results) for (const m of r.measurements) all.set(m.name, { ...m, rss: r.maxRss });
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  const input = results.find((r) => r.inputArrowBytes)?.inputArrowBytes ?? 0;

  const lines = [
    `| run | rows | time (s) | rows/s | Parquet MB | MB/s | files | commits | peak RSS (MB) | note |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---|`,
  ];
  for (const m of all.values()) {
    const rate = m.rows ? Math.round(m.rows / m.seconds).toLocaleString('en') : '';
    const bytes = m.bytes === undefined ? '' : mb(m.bytes);
    const mbs = m.bytes === undefined ? '' : (m.bytes / 1e6 / m.seconds).toFixed(1);
    lines.push(`| ${m.name} | ${m.rows?.toLocaleString('en') ?? ''} | ${m.seconds.toFixed(3)} | ${rate} | ${bytes} | ${mbs} | ${m.files ?? ''} | ${m.commits ?? ''} | ${mb(m.rss)} | ${m.note ?? ''} |`);
  }

  // The baseline is DuckDB's fastest single-file COPY of the run (with 2 cores, one thread often beats two).
  const duck = [all.get('duckdb'), all.get('duckdb-1-thread')].filter((m) => m !== undefined).sort((a, b) => a.seconds - b.seconds)[0];
  const one = all.get('one-batch');
  const micro = all.get('micro-batch');
  const plain = all.get('snapshot-no-checkpoint');
  const cp = all.get('snapshot-checkpoint');
  const goals: string[] = ['', '| goal | target | measured | result |', '|---|---|---|---|'];
  if (duck && one) {
    const ratio = one.seconds / duck.seconds;
    goals.push(`| one-batch append vs DuckDB COPY (its faster run) | ≤ 2.0× DuckDB's time | ${ratio.toFixed(2)}× (${one.seconds.toFixed(2)} s vs ${duck.seconds.toFixed(2)} s) | ${ratio <= 2 ? 'PASS' : 'MISS'} |`);
  }
  if (micro?.rows) {
    const rate = micro.rows / micro.seconds;
    goals.push(`| ${options.batchRows.toLocaleString('en')}-row micro-batches incl. commit, one append at a time | ≥ 500,000 rows/s | ${Math.round(rate).toLocaleString('en')} rows/s | ${rate >= 500_000 ? 'PASS' : 'MISS'} |`);
    const piped = all.get('micro-batch-pipelined');
    if (piped?.rows) {
      const r = piped.rows / piped.seconds;
      goals.push(`| the same through table.pipeline() (a commit per batch, in order) | ≥ 500,000 rows/s | ${Math.round(r).toLocaleString('en')} rows/s | ${r >= 500_000 ? 'PASS' : 'MISS'} |`);
    }
    const flat = all.get('micro-batch-unpartitioned');
    if (flat?.rows) goals.push(`| (same, unpartitioned: one file per commit) | (reported) | ${Math.round(flat.rows / flat.seconds).toLocaleString('en')} rows/s | — |`);
  }
  if (plain && cp) {
    goals.push(`| snapshot load, ${options.commits.toLocaleString('en')} commits | (reported) | ${(plain.seconds * 1000).toFixed(0)} ms without checkpoints, ${(cp.seconds * 1000).toFixed(0)} ms with (${(plain.seconds / cp.seconds).toFixed(1)}× faster) | — |`);
    const refresh = all.get('refresh-one-new-commit');
    if (refresh) goals.push(`| refresh of an open handle after one new commit | (reported) | ${(refresh.seconds * 1000).toFixed(1)} ms | — |`);
  }
  const footer = `\nInput: ${options.rows.toLocaleString('en')} rows, ${mb(input)} MB of Arrow buffers (51 columns, payload columns null outside their event type), partitioned by session_date, car_number (20 partitions, so each micro-batch commits 20 files) unless the run says unpartitioned. Node ${process.version}, ${(await import('node:os')).cpus().length} cores. Each phase runs in its own process; peak RSS is that process's maxRSS and includes the input rows.`;
  process.stdout.write(`${[...lines, ...goals].join('\n')}\n${footer}\n`);
}
