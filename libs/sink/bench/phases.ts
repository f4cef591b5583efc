/**
 * The measured phases of sink.bench.ts, each run in its own process so its
 * peak RSS (`process.resourceUsage().maxRSS`) is its own. Every phase builds
 * its rows first (untimed) and times only the work named in its result.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays } from 'apache-arrow';
import { encodeParquet } from '../src/data/parquet.js';
import { DeltaTable, LocalFileStore } from '../src/index.js';
import { writeLog } from './log-fixture.js';
import { PARTITION_COLUMNS, SCHEMA, silverRows } from './rows.js';

export interface Measurement {
  readonly name: string;
  readonly seconds: number;
  readonly rows?: number;
  /** Parquet bytes written. */
  readonly bytes?: number;
  readonly files?: number;
  readonly commits?: number;
  readonly note?: string;
}

export interface PhaseResult {
  readonly phase: string;
  readonly measurements: Measurement[];
  /** Peak resident set of the phase's process, bytes. */
  readonly maxRss: number;
  readonly inputArrowBytes?: number;
}

export interface PhaseOptions {
  readonly rows: number;
  readonly batchRows: number;
  readonly commits: number;
}

async function tempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sink-bench-${name}-`));
}

async function parquetBytes(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.parquet') || entry.parentPath.includes('_delta_log')) continue;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
    files++;
  }
  return { bytes, files };
}

function arrowBytes(table: ReturnType<typeof silverRows>): number {
  return table.data.reduce((n, d) => n + d.byteLength, 0);
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;

export async function runPhase(phase: string, o: PhaseOptions): Promise<PhaseResult> {
  switch (phase) {
    case 'duckdb': return duckdbPhase(o);
    case 'one-batch': return appendPhase(o, false);
    case 'micro-batch': return appendPhase(o, true);
    case 'micro-batch-unpartitioned': return appendPhase(o, true, []);
    case 'micro-batch-pipelined': return pipelinedPhase(o);
    case 'snapshot': return snapshotPhase(o);
    default: throw new Error(`unknown bench phase ${phase}`);
  }
}

/**
 * DuckDB's own writer on the same rows: they are written once as Parquet
 * and loaded into a DuckDB table (untimed); only `COPY t TO … (FORMAT
 * parquet, COMPRESSION snappy)` from that in-memory table is timed — the
 * counterpart of our append from an in-memory Arrow table.
 */
async function duckdbPhase(o: PhaseOptions): Promise<PhaseResult> {
  const dir = await tempDir('duckdb');
  try {
    const rows = silverRows(o.rows);
    const input = join(dir, 'input.parquet');
    await writeFile(input, encodeParquet(rows, { rowGroupSize: 128 * 1024 }));
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${input}')`);
    const threads = Number((await db.runAndReadAll(`SELECT current_setting('threads') AS n`)).getRowObjectsJson()[0]?.['n'] ?? 0);
    const measurements: Measurement[] = [];
    const copy = async (name: string, target: string, extra: string, note: string): Promise<void> => {
      const t0 = performance.now();
      await db.run(`COPY t TO '${target}' (FORMAT parquet, COMPRESSION snappy${extra})`);
      const s = seconds(t0);
      const out = extra ? await parquetBytes(target) : { bytes: (await stat(target)).size, files: 1 };
      measurements.push({ name, seconds: s, rows: o.rows, ...out, note });
    };
    await copy('duckdb', join(dir, 'x.parquet'), '', `COPY to one file, ${threads} threads`);
    await copy('duckdb-partitioned', join(dir, 'parts'), ', PARTITION_BY (session_date, car_number)', `COPY … PARTITION_BY (session_date, car_number), ${threads} threads`);
    await db.run('SET threads = 1');
    await copy('duckdb-1-thread', join(dir, 'x1.parquet'), '', 'COPY to one file, 1 thread');
    db.closeSync();
    return { phase: 'duckdb', measurements, maxRss: process.resourceUsage().maxRSS * 1024, inputArrowBytes: arrowBytes(rows) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `DeltaTable.append` of all rows at once, or in `batchRows` slices (one
 * commit each, commit included); partitioned as the silver table unless
 * `partitionColumns` says otherwise (the unpartitioned run shows what the
 * file fan-out of 20 partitions per micro-batch costs).
 */
async function appendPhase(o: PhaseOptions, micro: boolean, partitionColumns: readonly string[] = PARTITION_COLUMNS): Promise<PhaseResult> {
  const dir = await tempDir(micro ? 'micro' : 'one');
  try {
    const rows = silverRows(o.rows);
    // Untimed warm-up: the first threaded write of a process starts the encoder threads
    // (and compiles parquet-wasm in each); reported on its own, as a once-per-process cost.
    const warm = await DeltaTable.create(new LocalFileStore(join(dir, 'warm-up')), { schema: SCHEMA, partitionColumns: PARTITION_COLUMNS });
    const w0 = performance.now();
    await warm.append(rows.slice(0, 4096));
    const warmUp: Measurement = { name: 'encoder threads start (once per process)', seconds: seconds(w0), note: 'first threaded append of 4,096 rows, untimed elsewhere' };
    await rm(join(dir, 'warm-up'), { recursive: true, force: true });
    const table = await DeltaTable.create(new LocalFileStore(dir), { schema: SCHEMA, partitionColumns });
    let commits = 0;
    const t0 = performance.now();
    if (micro) {
      for (let start = 0; start < o.rows; start += o.batchRows) {
        await table.append(rows.slice(start, Math.min(o.rows, start + o.batchRows)), { txn: [{ appId: 'bench', version: commits }] });
        commits++;
      }
    } else {
      await table.append(rows);
      commits = 1;
    }
    const s = seconds(t0);
    const out = await parquetBytes(dir);
    const name = (micro ? 'micro-batch' : 'one-batch') + (partitionColumns.length === 0 ? '-unpartitioned' : '');
    const layout = partitionColumns.length === 0 ? ', unpartitioned' : '';
    const note = micro ? `${commits} commits of ${o.batchRows} rows, txn per commit, checkpoint every 10${layout}` : `one commit${layout}`;
    return { phase: name, measurements: [{ name, seconds: s, rows: o.rows, ...out, commits, note }, ...(micro ? [] : [warmUp])], maxRss: process.resourceUsage().maxRSS * 1024, inputArrowBytes: arrowBytes(rows) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The same 10k-row micro-batches through `table.pipeline()`: each batch
 * still commits on its own with its txn version, in order, but the next
 * batches encode while one commits. Timed until the last commit landed.
 */
async function pipelinedPhase(o: PhaseOptions): Promise<PhaseResult> {
  const dir = await tempDir('pipelined');
  try {
    const rows = silverRows(o.rows);
    const warm = await DeltaTable.create(new LocalFileStore(join(dir, 'warm-up')), { schema: SCHEMA, partitionColumns: PARTITION_COLUMNS });
    await warm.append(rows.slice(0, 4096));
    await rm(join(dir, 'warm-up'), { recursive: true, force: true });
    const table = await DeltaTable.create(new LocalFileStore(dir), { schema: SCHEMA, partitionColumns: PARTITION_COLUMNS });
    const pipeline = table.pipeline({ depth: 3 });
    const results: Promise<unknown>[] = [];
    const t0 = performance.now();
    for (let start = 0, v = 0; start < o.rows; start += o.batchRows, v++) {
      results.push(pipeline.append(rows.slice(start, Math.min(o.rows, start + o.batchRows)), { txn: [{ appId: 'bench', version: v }] }));
    }
    await Promise.all(results);
    const s = seconds(t0);
    const out = await parquetBytes(dir);
    const name = 'micro-batch-pipelined';
    const note = `${results.length} commits of ${o.batchRows} rows through table.pipeline({ depth: 3 }), txn per commit, checkpoint every 10`;
    return { phase: name, measurements: [{ name, seconds: s, rows: o.rows, ...out, commits: results.length, note }], maxRss: process.resourceUsage().maxRSS * 1024, inputArrowBytes: arrowBytes(rows) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `DeltaTable.open` (latest snapshot) of a `commits`-commit log, without and with checkpoints (interval 10); best of 3. */
async function snapshotPhase(o: PhaseOptions): Promise<PhaseResult> {
  const without = await tempDir('log-plain');
  const withCp = await tempDir('log-cp');
  try {
    await writeLog(without, o.commits, 1_000_000_000);
    await writeLog(withCp, o.commits, 10);
    const measurements: Measurement[] = [];
    for (const [name, dir, note] of [['snapshot-no-checkpoint', without, 'replays every JSON commit'], ['snapshot-checkpoint', withCp, 'checkpoint + commits after it']] as const) {
      let best = Infinity;
      let files = 0;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const table = await DeltaTable.open(new LocalFileStore(dir));
        best = Math.min(best, seconds(t0));
        files = table.state.files.size;
      }
      measurements.push({ name, seconds: best, commits: o.commits, files, note });
    }
    // A reader polling the long log: refresh() after one more commit applies just that commit.
    const reader = await DeltaTable.open(new LocalFileStore(withCp));
    const writer = await DeltaTable.open(new LocalFileStore(withCp));
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      await writer.append(tableFromArrays({ car: BigInt64Array.from([1n]), speed: Float64Array.from([1.5]) }));
      const t0 = performance.now();
      await reader.refresh();
      best = Math.min(best, seconds(t0));
    }
    measurements.push({ name: 'refresh-one-new-commit', seconds: best, commits: o.commits, files: reader.state.files.size, note: 'refresh() of an open handle after one commit (best of 3)' });
    return { phase: 'snapshot', measurements, maxRss: process.resourceUsage().maxRSS * 1024 };
  } finally {
    await rm(without, { recursive: true, force: true });
    await rm(withCp, { recursive: true, force: true });
  }
}
