/**
 * Child process for the crash-safety test: appends ROWS_PER_COMMIT rows per
 * commit (two partitions, so two data files per commit) to the table at
 * `dir` forever, printing `{"version":v,"rows":n}` after each commit lands,
 * i.e. only what was acknowledged. The parent kills it with SIGKILL.
 *
 * The store stands in for an object store with commit latency: before each
 * commit (put-if-absent) it prints `{"staging":v}` and waits STAGE_MS, so the
 * window in which data files exist but are not committed is real and the
 * parent can aim a kill at it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeltaTable, LocalFileStore, type LogStore, type PutIfAbsentResult } from '../../src/index.js';
import { telemetryRows } from '../support/tables.js';

const ROWS_PER_COMMIT = 6;
const STAGE_MS = 40;

class SlowCommitStore extends LocalFileStore {
  override async putIfAbsent(path: string, bytes: Uint8Array): Promise<PutIfAbsentResult> {
    if (path.endsWith('.json')) {
      process.stdout.write(JSON.stringify({ staging: Number(path.slice(-25, -5)) }) + '\n');
      await sleep(STAGE_MS);
    }
    return super.putIfAbsent(path, bytes);
  }
}

const dir = process.argv[2] ?? '.';
const store: LogStore = new SlowCommitStore(dir);
const table = await DeltaTable.open(store);
process.stdout.write(JSON.stringify({ ready: table.version }) + '\n');
for (let i = table.version * ROWS_PER_COMMIT; ; i += ROWS_PER_COMMIT) {
  const r = await table.append(telemetryRows(i, ROWS_PER_COMMIT, ['s1', 's2']));
  if (!r.skipped) process.stdout.write(JSON.stringify({ version: r.version, rows: r.rows }) + '\n');
}
