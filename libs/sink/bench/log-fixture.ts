/**
 * A table with `commits` tiny commits written straight to `_delta_log`
 * (valid protocol/metaData at 0, then one `add` with stats per commit):
 * building it through `append` would take minutes, and the snapshot load
 * being measured never opens the data files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commitPath, encodeCommit, loadSnapshot, LocalFileStore, schemaToString, writeCheckpoint, type Action } from '../src/index.js';

const SCHEMA = { type: 'struct', fields: [{ name: 'car', type: 'long', nullable: true, metadata: {} }, { name: 'speed', type: 'double', nullable: true, metadata: {} }] } as const;

export async function writeLog(dir: string, commits: number, checkpointInterval: number): Promise<void> {
  await mkdir(join(dir, '_delta_log'), { recursive: true });
  const t0 = 1_767_225_600_000;
  const first: Action[] = [
    { commitInfo: { timestamp: t0, operation: 'CREATE TABLE' } },
    { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
    { metaData: { id: '00000000-0000-4000-8000-000000000000', format: { provider: 'parquet', options: {} }, schemaString: schemaToString(SCHEMA), partitionColumns: [], configuration: { 'delta.checkpointInterval': String(checkpointInterval) }, createdTime: t0 } },
  ];
  await writeFile(join(dir, commitPath(0)), encodeCommit(first));
  const batch: Promise<void>[] = [];
  for (let v = 1; v < commits; v++) {
    const stats = JSON.stringify({ numRecords: 10, minValues: { car: v, speed: 1.5 }, maxValues: { car: v + 9, speed: 320.5 }, nullCount: { car: 0, speed: 0 } });
    const actions: Action[] = [
      { commitInfo: { timestamp: t0 + v * 1000, operation: 'STREAMING UPDATE', operationParameters: { outputMode: 'Append' } } },
      { txn: { appId: 'f1-telemetry-0', version: v, lastUpdated: t0 + v * 1000 } },
      { add: { path: `part-${String(v).padStart(5, '0')}-00000000-0000-4000-8000-000000000000-c000.snappy.parquet`, partitionValues: {}, size: 1234, modificationTime: t0 + v * 1000, dataChange: true, stats } },
    ];
    batch.push(writeFile(join(dir, commitPath(v)), encodeCommit(actions)));
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
  // The checkpoints a writer with this interval would have left: only the newest one matters to a reader.
  const last = Math.floor((commits - 1) / checkpointInterval) * checkpointInterval;
  if (last > 0 && last < commits) {
    const store = new LocalFileStore(dir);
    await writeCheckpoint(store, await loadSnapshot(store, { version: last }));
  }
}
