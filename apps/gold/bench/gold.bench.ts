/**
 * `nx run gold:bench` — the gold app against the ceiling (issue 11, "Benchmark").
 *
 *   node --conditions=@lakestream/source --import tsx apps/gold/bench/gold.bench.ts \
 *     [--rows 10000000] [--reps n] [--keep] [--cpu-prof] [--out data/reports/gold-bench.md]
 *
 * 1. Generates N silver F1 rows (+ N/10 satellite samples, small quality and
 *    quarantine tables) as Delta tables with @lakestream/sink (not timed;
 *    `--keep` caches them under $TMPDIR/lakestream-gold-bench/rows-N/base).
 * 2. Full refresh, `--reps` times (median), interleaved: the ceiling (DuckDB
 *    running `gold compile`'s SQL over the same Parquet files, ceiling.ts), the
 *    real CLI's `gold build --full-refresh` (5 models, 46 tests, Delta writes)
 *    and `gold run --full-refresh` (models only). Wall seconds of each child
 *    process, peak RSS from /proc/<pid>/status VmHWM.
 * 3. Incremental: +100k silver rows (new laps of 10 cars of the race, one
 *    append), then `gold run -s lap_metrics` (the incremental model alone;
 *    the goal's figure), checking that only the new laps' keys (and the lap
 *    before them) changed; then +100k more and a whole `gold build` (lap_metrics
 *    incremental, the table models rebuilt, every test).
 * 4. Prints the markdown table and writes it to `--out`.
 */
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { CeilingResult } from './ceiling.js';
import { appendNewLaps, generate } from './generate.js';
import { f1Plan, SESSIONS, CARS } from './f1-rows.js';
import { loadAverage, runNode, type Ran } from './procs.js';
import { cliSeconds, diffRows, markdownTable, median, type Row } from './report.js';

const ROOT = process.cwd();
const GOLD = join(ROOT, 'apps/gold/dist/main.js');
const PROJECT = join(ROOT, 'apps/gold/project');
const CEILING = join(ROOT, 'apps/gold/bench/ceiling.ts');
const NEW_ROWS = 100_000;

const Args = z.object({
  rows: z.coerce.number().int().min(40_000).default(10_000_000),
  reps: z.coerce.number().int().min(1).max(10).optional(),
  keep: z.boolean().default(false),
  'cpu-prof': z.boolean().default(false),
  out: z.string().default('data/reports/gold-bench.md'),
});

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, reps: { type: 'string' }, keep: { type: 'boolean' }, 'cpu-prof': { type: 'boolean' }, out: { type: 'string' } } });
  const args = Args.parse({ ...values, rows: values.rows ?? process.env['GOLD_BENCH_ROWS'] });
  const reps = args.reps ?? (args.rows <= 2_000_000 ? 3 : 1);
  if (!(await exists(GOLD))) throw new Error(`${GOLD} is missing: run npx nx run gold:build first`);

  // 1. Silver tables (cached by N with --keep).
  const cacheDir = join(tmpdir(), 'lakestream-gold-bench', `rows-${args.rows}`);
  const base = join(cacheDir, 'base');
  let generationSeconds: number | undefined;
  if (!(args.keep && (await exists(join(base, '.complete'))))) {
    await rm(base, { recursive: true, force: true });
    await mkdir(base, { recursive: true });
    log(`generating ${args.rows.toLocaleString('en-US')} silver F1 rows under ${base}`);
    generationSeconds = (await generate(base, args.rows, log)).seconds;
    await writeFile(join(base, '.complete'), new Date().toISOString());
  } else log(`reusing the silver tables in ${base}`);
  const work = await mkdtemp(join(cacheDir, 'work-'));
  const tables = join(work, 'tables');
  const target = join(work, 'target');
  await cp(base, tables, { recursive: true });
  const plan = f1Plan(args.rows);
  const satRows = Math.max(60_000, Math.round(args.rows / 10));
  const profDir = resolve('data/reports/gold-bench-prof');
  const gold = (cmd: readonly string[]): Promise<Ran> =>
    runNode([...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), GOLD, ...cmd, '--tables', tables, '--project-dir', PROJECT, '--target-path', target]);
  const load: number[] = [loadAverage()];

  // 2. Full refresh: ceiling, gold build, gold run — interleaved, `reps` times.
  await gold(['compile']);
  const compiled = join(target, 'compiled', 'gold');
  const ceiling: { ran: Ran; result: CeilingResult }[] = [];
  const builds: Ran[] = [];
  const runs: Ran[] = [];
  for (let r = 0; r < reps; r++) {
    const c = await runNode(['--conditions=@lakestream/source', '--import', 'tsx', CEILING, '--tables', tables, '--compiled', compiled, '--project-dir', PROJECT]);
    ceiling.push({ ran: c, result: JSON.parse(c.stdout.trim().split('\n').at(-1) ?? '{}') as CeilingResult });
    runs.push(await gold(['run', '--full-refresh']));
    builds.push(await gold(['build', '--full-refresh']));
    load.push(loadAverage());
    log(`  rep ${r + 1}/${reps}: ceiling ${ceiling.at(-1)?.result.seconds.toFixed(2)} s (process ${c.seconds.toFixed(2)} s), gold run ${runs.at(-1)?.seconds.toFixed(2)} s, gold build ${builds.at(-1)?.seconds.toFixed(2)} s`);
  }
  const ceilingS = median(ceiling.map((c) => c.result.seconds));
  const buildS = median(builds.map((b) => b.seconds));
  const runS = median(runs.map((b) => b.seconds));
  const peak = (xs: readonly Ran[]): number => Math.max(...xs.map((x) => x.peakRssMb));

  // 3. Incremental: +100k rows, `gold run -s lap_metrics`, only the new keys change.
  const lapTable = join(tables, 'gold', 'lap_metrics');
  const before = await keyedRows(lapTable);
  const versionBefore = (await DeltaTable.open(new LocalFileStore(lapTable))).version;
  const added = await appendNewLaps(tables, plan, NEW_ROWS, 0);
  const incRun = await gold(['run', '-s', 'lap_metrics']);
  const after = await keyedRows(lapTable);
  const versionAfter = (await DeltaTable.open(new LocalFileStore(lapTable))).version;
  const diff = diffRows(before, after);
  const race = SESSIONS[1].id;
  const expectedNew = new Set<string>();
  const allowedChange = new Set<string>();
  for (let car = 0; car < added.cars; car++) {
    for (let lap = added.firstLap; lap <= added.lastLap; lap++) expectedNew.add(`${race}/${CARS[car]}/${lap}`);
    allowedChange.add(`${race}/${CARS[car]}/${added.firstLap - 1}`);
  }
  const problems: string[] = [];
  if (diff.removed.length > 0) problems.push(`${diff.removed.length} keys removed`);
  const missing = [...expectedNew].filter((k) => !after.has(k));
  if (missing.length > 0) problems.push(`${missing.length} new lap keys missing (e.g. ${missing[0]})`);
  const unexpected = [...diff.added, ...diff.changed].filter((k) => !expectedNew.has(k) && !allowedChange.has(k));
  if (unexpected.length > 0) {
    const k = unexpected[0] ?? '';
    problems.push(`${unexpected.length} keys outside the new laps changed (e.g. ${k})`);
    log(`  ${k} before: ${before.get(k) ?? '(absent)'}\n  ${k} after:  ${after.get(k) ?? '(absent)'}`);
  }
  if (versionAfter !== versionBefore + 1) problems.push(`lap_metrics moved ${versionAfter - versionBefore} versions (expected one MERGE commit)`);
  const merge = (await (await DeltaTable.open(new LocalFileStore(lapTable))).history(1))[0]?.commitInfo;
  const mergeNote = `lap_metrics commit v${versionAfter}: ${merge?.operation ?? '?'} ${JSON.stringify(merge?.operationMetrics ?? {})}; CLI: ${incRun.stdout.split('\n').find((l) => / OK .*lap_metrics/.test(l))?.replace(/^\S+\s+/, '').replace(/\s*\.{3,}\s*/, ' ') ?? '?'}`;
  const check = problems.length === 0
    ? `only the new keys changed: ${diff.added.length} added, ${diff.changed.length} changed (the lap before the new ones), 0 removed, one commit (v${versionBefore} → v${versionAfter})`
    : `CHECK FAILED: ${problems.join('; ')}`;
  log(`  incremental run: ${incRun.seconds.toFixed(2)} s; ${check}\n  ${mergeNote}`);

  // +100k more, then the whole DAG (incremental lap_metrics, table models rebuilt, tests).
  const added2 = await appendNewLaps(tables, plan, NEW_ROWS, 1);
  const incBuild = await gold(['build']);
  load.push(loadAverage());

  // 4. The table.
  const goal = 1.5;
  const baseRows = plan.rows + satRows;
  const table: Row[] = [
    { scenario: 'ceiling: DuckDB, compiled SQL over the same Parquet (no Delta writes, no tests)', rows: baseRows, seconds: ceilingS, peakRssMb: peak(ceiling.map((c) => c.ran)), goal: '—', ratio: 1 },
    { scenario: '`gold build --full-refresh` (5 models + 46 tests, Delta writes)', rows: baseRows, seconds: buildS, peakRssMb: peak(builds), goal: `≤ ${goal}× ceiling`, ratio: buildS / ceilingS, met: buildS <= goal * ceilingS },
    { scenario: '`gold run --full-refresh` (5 models, Delta writes)', rows: baseRows, seconds: runS, peakRssMb: peak(runs), goal: `≤ ${goal}× ceiling`, ratio: runS / ceilingS, met: runS <= goal * ceilingS },
    { scenario: 'incremental: `gold run -s lap_metrics` after +100k rows', rows: added.rows, seconds: incRun.seconds, peakRssMb: incRun.peakRssMb, goal: '≤ 1 s', ratio: incRun.seconds / 1, met: incRun.seconds <= 1 },
    { scenario: 'incremental: `gold build` after +100k more (lap_metrics merge, 4 tables rebuilt, 46 tests)', rows: added2.rows, seconds: incBuild.seconds, peakRssMb: incBuild.peakRssMb, goal: '—' },
  ];
  const perModel = ceiling[0]?.result.models.map((m) => `${m.name} ${m.seconds.toFixed(2)} s (${m.rows} rows)`).join(', ') ?? '';
  const md = [
    `## gold bench — ${new Date().toISOString()}`,
    '',
    markdownTable(table),
    '',
    `- Silver: ${plan.rows.toLocaleString('en-US')} F1 rows (2 sessions × 20 cars, ${plan.perLap} events per lap, ~50 laps) + ${satRows.toLocaleString('en-US')} satellite samples + 360 validation results + 1,200 quarantined records; ${generationSeconds === undefined ? 'cached tables (--keep)' : `generated in ${generationSeconds.toFixed(1)} s (not timed)`}.`,
    `- Seconds: wall time of each child process (node start-up included), median of ${reps}; peak RSS: max VmHWM. The CLI's own "Finished running" figures: build ${median(builds.map((b) => cliSeconds(b.stdout) ?? Number.NaN)).toFixed(2)} s, run ${median(runs.map((b) => cliSeconds(b.stdout) ?? Number.NaN)).toFixed(2)} s, incremental run ${cliSeconds(incRun.stdout)?.toFixed(2) ?? '?'} s, incremental build ${cliSeconds(incBuild.stdout)?.toFixed(2) ?? '?'} s.`,
    `- Ceiling: DuckDB instance + source views (read_parquet over the snapshot's active files, hive partitioning) + CREATE TABLE AS per model in DAG order; the Delta log reads happen before its clock; process wall ${median(ceiling.map((c) => c.ran.seconds)).toFixed(2)} s. Per model: ${perModel}.`,
    `- Incremental check (lap_metrics, keys session/car/lap): ${check}. New rows: ${added.cars} cars of the race, laps ${added.firstLap}..${added.lastLap}, one append. ${mergeNote}.`,
    `- Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average during the run ${load.map((l) => l.toFixed(1)).join(' → ')} (other jobs share the VM; figures are noisy).`,
    ...(args['cpu-prof'] ? [`- CPU profiles of the gold processes: ${profDir}`] : []),
    '',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  await mkdir(dirname(resolve(args.out)), { recursive: true });
  await writeFile(resolve(args.out), md);
  await rm(work, { recursive: true, force: true });
  if (!args.keep) await rm(cacheDir, { recursive: true, force: true });
  if (problems.length > 0) process.exitCode = 1;
}

/** lap_metrics rows keyed by lap_key (session/car/lap), each as its JSON (bigints as strings). */
async function keyedRows(dir: string): Promise<Map<string, string>> {
  const t = await (await DeltaTable.open(new LocalFileStore(dir))).read();
  const out = new Map<string, string>();
  for (const row of t.toArray() as Record<string, unknown>[]) {
    const json = JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    out.set(String(row['lap_key']), json);
  }
  return out;
}

await main();
