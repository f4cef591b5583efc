/**
 * The write ceiling, run as its own process so its RSS is its own:
 * `node --conditions=@lakestream/source --import tsx sink-append.ts <source table> <new table> [batch rows]`
 * reads the source Delta table (the consumer's silver) with @lakestream/sink,
 * creates a fresh table with the same schema, partitioning and properties,
 * and times appending the rows in slices of `batch rows` (default 10,000),
 * one commit each, no Kafka. Prints one JSON line: rows, batches, seconds.
 */
import { DeltaTable, LocalFileStore } from '@lakestream/sink';

const [source, target, batchArg] = process.argv.slice(2);
if (!source || !target) {
  process.stderr.write('usage: sink-append.ts <source table> <new table> [batch rows]\n');
  process.exit(2);
}
const BATCH = Number(batchArg ?? 10_000);
const src = await DeltaTable.open(new LocalFileStore(source));
const rows = await src.read();
const configuration = Object.fromEntries(Object.entries(src.state.configuration).filter((e): e is [string, string] => e[1] !== null));
const dst = await DeltaTable.create(new LocalFileStore(target), { schema: src.schema, partitionColumns: src.state.partitionColumns, configuration });
const t0 = performance.now();
let batches = 0;
for (let i = 0; i < rows.numRows; i += BATCH) {
  await dst.append(rows.slice(i, Math.min(rows.numRows, i + BATCH)));
  batches++;
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ rows: rows.numRows, batches, seconds, version: dst.version })}\n`);
