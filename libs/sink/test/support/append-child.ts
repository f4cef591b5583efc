/**
 * Child process for the concurrency test: appends `commits` single-batch
 * commits of 2 rows each (car ids writer*1e6 + i*2 + {0,1}) to the table at
 * `dir`, then prints a JSON summary on stdout.
 */
import { DeltaTable, LocalFileStore } from '../../src/index.js';
import { telemetryRows } from './tables.js';

const [dir, writerArg, commitsArg] = process.argv.slice(2);
const writer = Number(writerArg);
const commits = Number(commitsArg);
const table = await DeltaTable.open(new LocalFileStore(dir ?? '.'));
let retries = 0;
const versions: number[] = [];
for (let i = 0; i < commits; i++) {
  const r = await table.append(telemetryRows(writer * 1_000_000 + i * 2, 2), { maxAttempts: 1000 });
  if (!r.skipped) {
    retries += r.retries;
    versions.push(r.version);
  }
}
process.stdout.write(JSON.stringify({ writer, versions, retries }) + '\n');
