/**
 * Child process of the crash test: appends batches in a loop with flush
 * 'always' and prints `<batch index> <baseOffset> <lastOffset>` for each
 * acknowledged append, until the parent kills it with SIGKILL.
 * argv: <data dir> <first batch index>
 */
import { PartitionLog } from '../src/partition-log.js';
import { CRASH_CONFIG, crashBatch } from './crash-batches.js';

const [dir, first] = process.argv.slice(2);
if (dir === undefined || first === undefined) throw new Error('usage: crash-child <dir> <first index>');
const log = await PartitionLog.open({ dir, topic: 'crash', partition: 0, config: CRASH_CONFIG });
process.stdout.write(`open ${log.logEndOffset}\n`);
for (let i = Number(first); ; i++) {
  const r = await log.append(crashBatch(i));
  // stdout to a pipe is synchronous on Linux: a printed line was acknowledged before the kill.
  process.stdout.write(`${i} ${r.baseOffset} ${r.lastOffset}\n`);
}
