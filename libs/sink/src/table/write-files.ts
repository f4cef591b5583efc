import type { Table } from 'apache-arrow';
import { decodeLogPath } from '../data/partitions.js';
import { planDataFiles } from '../data/write.js';
import type { AddAction } from '../log/actions.js';
import type { Snapshot } from '../log/snapshot.js';
import type { DeltaStructType } from '../schema/delta-schema.js';
import type { LogStore } from '../storage/log-store.js';
import type { WriteFileOptions } from './options.js';

/**
 * The prepare state of a write: encode Parquet files (pure, data layer),
 * store them, and describe each as an `add`. Nothing here is visible to
 * readers until the commit lands; files of a failed commit are orphans that
 * vacuum removes.
 */
export async function writeDataFiles(
  store: LogStore,
  snapshot: Snapshot,
  data: Table,
  schema: DeltaStructType,
  options: WriteFileOptions,
): Promise<{ adds: AddAction[]; rows: number }> {
  const files = planDataFiles(data, {
    partitionColumns: snapshot.partitionColumns,
    schema,
    ...(options.targetFileSize === undefined ? {} : { targetFileSize: options.targetFileSize }),
    ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
  });
  const adds: AddAction[] = [];
  let rows = 0;
  for (const file of files) {
    await store.write(file.relativePath, file.bytes);
    rows += file.numRecords;
    adds.push({
      path: file.logPath,
      partitionValues: { ...file.partitionValues },
      size: file.bytes.byteLength,
      modificationTime: file.modificationTime,
      dataChange: true,
      stats: file.statsJson,
    });
  }
  return { adds, rows };
}

/**
 * Deletes the data files `adds` name, after a commit that definitely did not
 * land. Best effort: anything left behind is an unreferenced file that vacuum removes.
 */
export async function deleteDataFiles(store: LogStore, adds: readonly Pick<AddAction, 'path'>[]): Promise<void> {
  await Promise.all(adds.map((a) => store.delete(decodeLogPath(a.path)).catch(() => undefined)));
}
