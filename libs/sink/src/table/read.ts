import { Table, type Schema } from 'apache-arrow';
import { SinkError, withErrorContext } from '../errors.js';
import { decodeLogPath } from '../data/partitions.js';
import { readDataFile } from '../data/read.js';
import { columnTypesOf, fileMatches, type Predicate } from '../data/skipping.js';
import { parseStats } from '../data/stats.js';
import type { AddAction } from '../log/actions.js';
import type { Snapshot } from '../log/snapshot.js';
import type { LogStore } from '../storage/log-store.js';
import { arrowSchemaOf, deltaSchemaOf } from './snapshot-schema.js';
import { includesColumn } from '../schema/column-names.js';

export type FilePredicate = Predicate;

export interface ReadOptions {
  /** Only these columns (partition columns included by name). */
  readonly columns?: readonly string[];
  /** Skip files whose partition values or min/max stats cannot match (file-level pruning). */
  readonly filter?: FilePredicate;
  /**
   * Only the most recently added files (by `modificationTime`) that together
   * hold at least this many rows (whole files, so the result may hold more),
   * returned oldest first: a bounded read of the recent past, e.g. to rebuild
   * streaming state without reading a table's whole history.
   */
  readonly newestRows?: number;
}

/** The newest files (by modificationTime, ties by path) holding at least `rows` rows, oldest first; a file without stats counts as 0 rows. */
export function newestFiles(files: readonly AddAction[], rows: number): AddAction[] {
  if (!Number.isInteger(rows) || rows < 0) throw new SinkError('INVALID_OPTIONS', `newestRows must be a whole number ≥ 0, got ${rows}`, { option: 'newestRows' });
  const byAge = [...files].sort((a, b) => b.modificationTime - a.modificationTime || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  const out: AddAction[] = [];
  let held = 0;
  for (const add of byAge) {
    if (held >= rows) break;
    out.push(add);
    held += parseStats(add.stats)?.numRecords ?? 0;
  }
  return out.reverse();
}

/** The live files `filter` does not rule out. */
export function selectFiles(snapshot: Snapshot, filter?: FilePredicate): AddAction[] {
  const files = [...snapshot.files.values()];
  if (!filter) return files;
  const types = columnTypesOf(deltaSchemaOf(snapshot));
  return files.filter((add) => fileMatches({ partitionValues: add.partitionValues, stats: parseStats(add.stats) }, filter, types));
}

/** Read the selected files of a snapshot into one Arrow table with partition columns materialized. */
export async function readTable(store: LogStore, snapshot: Snapshot, options: ReadOptions = {}): Promise<Table> {
  const at = { table: snapshot.table, version: snapshot.version };
  let schema: Schema;
  let files: AddAction[];
  try {
    schema = arrowSchemaOf(snapshot);
    files = selectFiles(snapshot, options.filter);
    if (options.newestRows !== undefined) files = newestFiles(files, options.newestRows);
  } catch (error) {
    throw withErrorContext(error, at);
  }
  const parts: Table[] = [];
  for (const add of files) {
    try {
      const bytes = await store.read(decodeLogPath(add.path));
      parts.push(
        readDataFile(bytes, {
          schema,
          partitionColumns: snapshot.partitionColumns,
          partitionValues: add.partitionValues,
          file: add.path,
          ...(options.columns ? { columns: options.columns } : {}),
        }),
      );
    } catch (error) {
      // Every failure names the table, the version read and the file (its log path).
      throw withErrorContext(error, { ...at, file: add.path });
    }
  }
  if (parts.length === 0) {
    const fields = options.columns ? schema.fields.filter((f) => includesColumn(options.columns ?? [], f.name)) : schema.fields;
    return new Table(schema.select(fields.map((f) => f.name)));
  }
  return parts.length === 1 && parts[0] ? parts[0] : new Table(parts.flatMap((p) => p.batches));
}
