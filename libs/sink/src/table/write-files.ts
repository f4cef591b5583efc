import type { Table } from 'apache-arrow';
import { decodeLogPath } from '../data/partitions.js';
import { encodeDataFiles, type DataFile } from '../data/write.js';
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
  // Each file is stored as soon as its thread has encoded it, while the others encode.
  const stored: Promise<void>[] = [];
  const written: Pick<AddAction, 'path'>[] = [];
  const store1 = (file: DataFile): void => void stored.push(store.write(file.relativePath, file.bytes).then(() => void written.push({ path: file.logPath })));
  let files: DataFile[] = [];
  let encodeError: unknown;
  try {
    files = await encodeDataFiles(data, {
      partitionColumns: snapshot.partitionColumns,
      schema,
      ...(options.targetFileSize === undefined ? {} : { targetFileSize: options.targetFileSize }),
      ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
      ...(options.encoderThreads === undefined ? {} : { encoderThreads: options.encoderThreads }),
      onFile: store1,
    });
  } catch (error) {
    encodeError = error ?? new Error('encoding failed');
  }
  // Every store write settles before this returns or throws: none may land after the caller moved on.
  const failed = (await Promise.allSettled(stored)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (encodeError !== undefined || failed) {
    await deleteDataFiles(store, written);
    throw encodeError ?? failed?.reason;
  }
  const adds: AddAction[] = [];
  let rows = 0;
  for (const file of files) {
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
