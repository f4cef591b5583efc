import type { Table } from 'apache-arrow';
import { SchemaMismatchError, SinkError, withErrorContext } from '../errors.js';
import type { Action, AddAction, MetadataAction, RemoveAction } from '../log/actions.js';
import { upgradeProtocolFor } from '../log/protocol-features.js';
import { checkWritable } from '../log/protocol-check.js';
import type { Snapshot } from '../log/snapshot.js';
import { arrowToDeltaSchema, schemaToString, type DeltaStructType } from '../schema/delta-schema.js';
import { mergeSchemas } from '../schema/merge.js';
import { z } from 'zod';
import { alreadyCommittedTxns, commitDidNotLand, commitTransaction } from './commit.js';
import type { DeltaTable, WriteResult } from './delta-table.js';
import { validate, type TxnId } from './options.js';
import { checkPartitionColumns } from './partition-columns.js';
import { deltaSchemaOf } from './snapshot-schema.js';
import { deleteDataFiles, writeDataFiles } from './write-files.js';

/**
 * A commit with explicit removes, adds and txn ids — what a merge
 * (delete+insert of touched keys) or a schema-replacing overwrite needs:
 *
 *   prepare  check every path in `remove` is an active file of the
 *            snapshot the handle holds; write `data` as new files.
 *   commit   one commit: `remove` (dataChange=true) for each named file,
 *            `add` for the new ones, `txn` for each id — through the
 *            ordinary commit state machine. A concurrent commit that removed
 *            a file we remove (`FILES_REMOVED`), wrote one of our txn appIds
 *            (`TXN_CONFLICT`) or changed metadata is a `CommitConflictError`,
 *            and our new files are deleted. When every txn id is already
 *            recorded at a version ≥ ours, nothing is written (a replay).
 *   done     the handle moves to the committed version.
 *
 * With `overwriteSchema`, `data`'s schema (and `partitionColumns`) replace
 * the table's in the same commit (a `metaData` action): how a rebuilt model
 * with new columns replaces its table. Zero rows and no removes with txn ids
 * commit the txn actions alone.
 */
export interface RewriteOptions {
  /** Log paths of active files to remove. */
  readonly remove?: readonly string[];
  /** Rows to add (may be empty). */
  readonly data?: Table;
  readonly txn?: readonly TxnId[];
  /** Replace the table schema (and partition columns) with `data`'s in this commit. */
  readonly overwriteSchema?: boolean;
  /** With `overwriteSchema`: the new partition columns (default: the table's current ones). */
  readonly partitionColumns?: readonly string[];
  /** commitInfo.operation (default `MERGE`). */
  readonly operation?: string;
  readonly operationParameters?: Readonly<Record<string, string>>;
  readonly targetFileSize?: number;
  readonly encoderThreads?: number;
  readonly maxAttempts?: number;
  readonly retryJitterMs?: number;
}

const txnSchema = z.object({ appId: z.string().min(1), version: z.number().int().nonnegative() });
const rewriteOptionsSchema = z.object({
  remove: z.array(z.string()).default([]),
  txn: z.array(txnSchema).default([]),
  overwriteSchema: z.boolean().default(false),
  partitionColumns: z.array(z.string()).optional(),
  operation: z.string().min(1).default('MERGE'),
  operationParameters: z.record(z.string(), z.string()).default({}),
  targetFileSize: z.number().int().positive().optional(),
  encoderThreads: z.number().int().nonnegative().max(64).optional(),
  maxAttempts: z.number().int().positive().optional(),
  retryJitterMs: z.number().nonnegative().optional(),
});

export async function rewriteFiles(table: DeltaTable, options: RewriteOptions): Promise<WriteResult> {
  const { data, ...rest } = options;
  const o = validate(rewriteOptionsSchema, rest, table.store.location);
  const base = table.state;
  const at = { table: base.table, version: base.version };
  checkWritable(base.protocol, at);
  if (new Set(o.txn.map((t) => t.appId)).size !== o.txn.length) throw new SinkError('INVALID_OPTIONS', 'an appId appears twice in txn', { ...at, option: 'txn' });
  const replayed = alreadyCommittedTxns({ txns: o.txn }, base);
  if (replayed !== undefined) return { skipped: true, version: base.version, reason: replayed };

  const removed: AddAction[] = [];
  for (const path of new Set(o.remove)) {
    const file = base.files.get(path);
    if (!file) throw new SinkError('INVALID_OPTIONS', `${path} is not an active file of version ${base.version}`, { ...at, file: path, option: 'remove' });
    removed.push(file);
  }
  const { snapshot: target, metadataAction, schema } = plan(base, data, o.overwriteSchema, o.partitionColumns);
  const written = data === undefined
    ? { adds: [] as AddAction[], rows: 0 }
    : await writeDataFiles(table.store, target, data, schema, {
      ...(o.targetFileSize === undefined ? {} : { targetFileSize: o.targetFileSize }),
      ...(o.encoderThreads === undefined ? {} : { encoderThreads: o.encoderThreads }),
    }).catch((e: unknown) => {
      throw withErrorContext(e, at);
    });

  const now = Date.now();
  const protocol = metadataAction ? upgradeProtocolFor(base.protocol, schema) : undefined;
  const actions: Action[] = [
    ...(protocol ? [{ protocol }] : []),
    ...(metadataAction ? [{ metaData: metadataAction }] : []),
    ...o.txn.map((t) => ({ txn: { appId: t.appId, version: t.version, lastUpdated: now } })),
    ...removed.map((f): { remove: RemoveAction } => ({
      remove: {
        path: f.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size,
        ...(f.stats == null ? {} : { stats: f.stats }),
      },
    })),
    ...written.adds.map((add) => ({ add })),
  ];
  let result;
  try {
    result = await commitTransaction(table.store, base, {
      actions,
      operation: o.operation,
      operationParameters: { ...o.operationParameters },
      operationMetrics: {
        numRemovedFiles: String(removed.length), numAddedFiles: String(written.adds.length), numOutputRows: String(written.rows),
        numOutputBytes: String(written.adds.reduce((n, a) => n + a.size, 0)),
      },
      appIds: o.txn.map((t) => t.appId),
      txns: o.txn.map((t) => ({ appId: t.appId, version: t.version })),
      readFiles: new Set(removed.map((f) => f.path)),
      changesMetadata: metadataAction !== undefined,
      isBlindAppend: removed.length === 0 && metadataAction === undefined,
    }, {
      ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
      ...(o.retryJitterMs === undefined ? {} : { retryJitterMs: o.retryJitterMs }),
    });
  } catch (error) {
    if (commitDidNotLand(error)) await deleteDataFiles(table.store, written.adds);
    throw error;
  }
  await table.refresh();
  if (result.alreadyCommitted !== undefined) {
    await deleteDataFiles(table.store, written.adds);
    return { skipped: true, version: result.version, reason: result.alreadyCommitted };
  }
  return {
    skipped: false, version: result.version, filesAdded: written.adds.length, filesRemoved: removed.length, rows: written.rows, retries: result.retries,
    ...(result.checkpoint === undefined ? {} : { checkpoint: result.checkpoint }),
    ...(result.postCommitError === undefined ? {} : { postCommitError: result.postCommitError }),
  };
}

/** The schema the new files are written with and, when it changes, the metaData action (written against `snapshot`). */
function plan(
  base: Snapshot, data: Table | undefined, overwriteSchema: boolean, partitionColumns: readonly string[] | undefined,
): { snapshot: Snapshot; metadataAction?: MetadataAction; schema: DeltaStructType } {
  const at = { table: base.table, version: base.version };
  const current = deltaSchemaOf(base);
  if (data === undefined) return { snapshot: base, schema: current };
  let incoming: DeltaStructType;
  try {
    incoming = arrowToDeltaSchema(data.schema);
  } catch (error) {
    throw withErrorContext(error, at);
  }
  if (overwriteSchema) {
    const parts = checkPartitionColumns(incoming, partitionColumns ?? base.partitionColumns, base.table);
    const same = schemaToString(incoming) === base.metadata.schemaString && JSON.stringify(parts) === JSON.stringify(base.partitionColumns);
    if (same) return { snapshot: base, schema: current };
    // Same metaData id: the table stays the same one, with a new schema.
    const metadataAction: MetadataAction = { ...base.metadata, schemaString: schemaToString(incoming), partitionColumns: parts };
    return { snapshot: { ...base, partitionColumns: parts, metadata: metadataAction }, metadataAction, schema: incoming };
  }
  if (partitionColumns !== undefined && JSON.stringify([...partitionColumns]) !== JSON.stringify(base.partitionColumns)) {
    throw new SinkError('INVALID_OPTIONS', 'partitionColumns can change only with overwriteSchema', { ...at, option: 'partitionColumns' });
  }
  const merged = mergeSchemas(current, incoming, { mergeSchema: false });
  if (!merged.ok) throw new SchemaMismatchError(merged.message, { ...at, columns: merged.columns });
  return { snapshot: base, schema: current };
}

/** What changed in the active files between two versions of a table. */
export interface FileChanges {
  readonly from: number;
  readonly to: number;
  /** Active at `to`, not at `from`. */
  readonly added: readonly AddAction[];
  /** Active at `from`, not at `to`. */
  readonly removed: readonly AddAction[];
}

/**
 * The change of active files from `fromVersion` to the handle's version (or
 * `toVersion`): Delta's "files added since v". `VERSION_NOT_FOUND` when the
 * log no longer reconstructs `fromVersion` (cleaned up); callers then
 * re-read everything.
 */
export async function filesChangedSince(table: DeltaTable, fromVersion: number, toVersion?: number): Promise<FileChanges> {
  const to = toVersion === undefined ? table.state : await table.snapshot({ version: toVersion });
  const from = fromVersion === to.version ? to : await table.snapshot({ version: fromVersion });
  const added = [...to.files.values()].filter((f) => !from.files.has(f.path));
  const removed = [...from.files.values()].filter((f) => !to.files.has(f.path));
  return { from: from.version, to: to.version, added, removed };
}
