/** Opening a table for a subcommand, and giving every failure the table, version and file. */
import type { Table } from 'apache-arrow';
import { withErrorContext } from '../errors.js';
import { decodeLogPath } from '../data/partitions.js';
import { readDataFile } from '../data/read.js';
import type { AddAction } from '../log/actions.js';
import type { Snapshot } from '../log/snapshot.js';
import { LocalFileStore } from '../storage/local-file-store.js';
import { DeltaTable } from '../table/delta-table.js';
import type { VersionSelector } from '../table/options.js';
import { arrowSchemaOf } from '../table/snapshot-schema.js';

export async function openTable(path: string, at: VersionSelector = {}): Promise<DeltaTable> {
  return DeltaTable.open(new LocalFileStore(path), at);
}

/**
 * Reads one live file of `snapshot` into Arrow (partition columns
 * materialized); a failure is re-thrown with the table, version and file.
 */
export async function readFile(table: DeltaTable, snapshot: Snapshot, add: AddAction, columns?: readonly string[]): Promise<Table> {
  try {
    const bytes = await table.store.read(decodeLogPath(add.path));
    return readDataFile(bytes, {
      schema: arrowSchemaOf(snapshot),
      partitionColumns: snapshot.partitionColumns,
      partitionValues: add.partitionValues,
      file: add.path,
      ...(columns ? { columns } : {}),
    });
  } catch (error) {
    throw withErrorContext(error, { table: snapshot.table, version: snapshot.version, file: add.path });
  }
}
