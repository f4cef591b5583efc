import type { Table } from 'apache-arrow';
import { InvalidSchemaError } from '../data/errors.js';
import { decodeLogPath } from '../data/partitions.js';
import { includesColumn } from '../schema/column-names.js';
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
  // No rows, no file: an append of zero rows commits its txn actions alone, an overwrite only removes.
  if (data.numRows === 0) return { adds: [], rows: 0 };
  if (schema.fields.length > 0 && schema.fields.every((f) => includesColumn(snapshot.partitionColumns, f.name))) {
    // Spark refuses to create such a table; one made elsewhere would get Parquet files without columns.
    throw new InvalidSchemaError('every column of the table is a partition column: its data files would have no columns', { table: snapshot.table, version: snapshot.version });
  }
  // Each file is stored as soon as its thread has encoded it, while the others encode.
  const storing = storeQueue(store, MAX_STORES_IN_FLIGHT);
  let files: DataFile[] = [];
  let encodeError: unknown;
  try {
    files = await encodeDataFiles(data, {
      partitionColumns: snapshot.partitionColumns,
      schema,
      ...(options.targetFileSize === undefined ? {} : { targetFileSize: options.targetFileSize }),
      ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
      ...(options.encoderThreads === undefined ? {} : { encoderThreads: options.encoderThreads }),
      onFile: (file) => storing.add(file),
    });
  } catch (error) {
    encodeError = error ?? new Error('encoding failed');
  }
  // Every store write settles before this returns or throws: none may land after the caller moved on.
  const { written, error } = await storing.drain();
  if (encodeError !== undefined || error !== undefined) {
    await deleteDataFiles(store, written);
    throw encodeError ?? error;
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

/** Store writes in flight at once: enough to overlap I/O, few enough for any open-files limit. */
const MAX_STORES_IN_FLIGHT = 16;

/**
 * Stores files with at most `limit` writes in flight. The first failure
 * stops it (files not started are dropped) and is reported by `drain`,
 * never left as an unhandled rejection; `written` lists what was stored.
 */
function storeQueue(store: LogStore, limit: number): {
  add(file: DataFile): void;
  drain(): Promise<{ written: Pick<AddAction, 'path'>[]; error: unknown }>;
} {
  const waiting: DataFile[] = [];
  const written: Pick<AddAction, 'path'>[] = [];
  let active = 0;
  let error: unknown;
  let idle: (() => void) | undefined;
  const pump = (): void => {
    while (active < limit && waiting.length > 0 && error === undefined) {
      const file = waiting.shift() as DataFile;
      active++;
      // Through a promise, so a store whose write throws synchronously fails the same way.
      void Promise.resolve()
        .then(() => store.write(file.relativePath, file.bytes))
        .then(
          () => void written.push({ path: file.logPath }),
          (e: unknown) => {
            error ??= e ?? new Error(`storing ${file.relativePath} failed`);
            waiting.length = 0;
          },
        )
        .finally(() => {
          active--;
          pump();
          if (active === 0 && waiting.length === 0) idle?.();
        });
    }
  };
  return {
    add(file) {
      if (error !== undefined) return;
      waiting.push(file);
      pump();
    },
    async drain() {
      if (active > 0 || waiting.length > 0) await new Promise<void>((resolve) => (idle = resolve));
      return { written, error };
    },
  };
}

/**
 * Deletes the data files `adds` name, after a commit that definitely did not
 * land. Best effort: anything left behind is an unreferenced file that vacuum removes.
 */
export async function deleteDataFiles(store: LogStore, adds: readonly Pick<AddAction, 'path'>[]): Promise<void> {
  await Promise.all(adds.map((a) => store.delete(decodeLogPath(a.path)).catch(() => undefined)));
}
