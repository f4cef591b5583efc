import { CommitConflictError, DeltaTable, LocalFileStore, rewriteFiles, type TxnId, type WriteResult } from '@lakestream/sink';
import type { Table } from 'apache-arrow';
import { join } from 'node:path';
import { RunError } from '../errors.js';
import type { ModelNode } from '../project/types.js';
import { goldPath, openDelta, type RunContext } from './context.js';

/**
 * Replaces a gold table with `data` in one commit (creating it first when
 * absent): every active file removed, the new ones added, schema and
 * partition columns taken from the model (a rebuilt model may change them),
 * and the given txn ids recorded.
 */
export async function replaceGoldTable(ctx: RunContext, model: ModelNode, data: Table, txn: readonly TxnId[] = []): Promise<WriteResult> {
  return replaceDeltaTable(ctx.tablesDir, goldPath(model), data, {
    partitionColumns: model.config.partitionBy ?? [], name: model.name, txn,
    ...(model.description ? { description: model.description } : {}),
  }, { node: model.uniqueId, file: model.file });
}

/** The same for any table under the Delta root (audit tables of `store_failures`). */
export async function replaceDeltaTable(
  tablesDir: string, path: string, data: Table,
  options: { partitionColumns: readonly string[]; name: string; description?: string; txn?: readonly TxnId[] },
  at: { node: string; file: string },
): Promise<WriteResult> {
  const dir = join(tablesDir, path);
  const context = { ...at, table: path };
  const partitionColumns = options.partitionColumns;
  const txn = options.txn ?? [];
  try {
    let table = await openDelta(dir);
    if (!table) table = await DeltaTable.create(new LocalFileStore(dir), { schema: data.schema, partitionColumns, name: options.name, ...(options.description ? { description: options.description } : {}) });
    // A txn already at (or past) the version we read needs no action; the sink would take the write for a replay.
    const moving = txn.filter((t) => (table.txnVersion(t.appId) ?? -1) < t.version);
    return await rewriteFiles(table, {
      remove: [...table.state.files.keys()], data, txn: moving, overwriteSchema: true, partitionColumns,
      operation: 'CREATE OR REPLACE TABLE AS SELECT', operationParameters: { model: options.name },
    });
  } catch (cause) {
    throw deltaWriteFailed(cause, context);
  }
}

export function deltaWriteFailed(cause: unknown, context: { node: string; file: string; table: string }): RunError {
  if (cause instanceof RunError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new RunError('DELTA_WRITE_FAILED', `writing ${context.table} failed: ${message}`, context, { cause, retriable: cause instanceof CommitConflictError });
}
