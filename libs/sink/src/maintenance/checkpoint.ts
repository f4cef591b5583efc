import { writeCheckpoint } from '../log/checkpoint-write.js';
import { checkWritable } from '../log/protocol-check.js';
import type { DeltaTable } from '../table/delta-table.js';

export interface CheckpointResult {
  readonly version: number;
  /** `_delta_log/<20-digit version>.checkpoint.parquet` */
  readonly path: string;
  /** Action rows in the checkpoint. */
  readonly rows: number;
}

/**
 * Write a classic checkpoint at the latest version now (the CLI's
 * `delta checkpoint`), with the same writer the commit path uses every
 * `delta.checkpointInterval` commits, and point `_last_checkpoint` at it.
 * Rewriting an existing checkpoint of the same version is harmless: the
 * store replaces it atomically with the same state.
 */
export async function checkpoint(table: DeltaTable): Promise<CheckpointResult> {
  const snapshot = await table.refresh();
  checkWritable(snapshot.protocol, { table: snapshot.table, version: snapshot.version });
  const { path, rows } = await writeCheckpoint(table.store, snapshot);
  return { version: snapshot.version, path, rows };
}
