import { Table } from 'apache-arrow';
import { z } from 'zod';
import { decodeLogPath } from '../data/partitions.js';
import { readDataFile } from '../data/read.js';
import { DEFAULT_TARGET_FILE_SIZE, encodeDataFiles, estimateBytes } from '../data/write.js';
import type { Action, AddAction } from '../log/actions.js';
import { checkWritable } from '../log/protocol-check.js';
import type { Snapshot } from '../log/snapshot.js';
import type { LogStore } from '../storage/log-store.js';
import { commitDidNotLand, commitTransaction } from '../table/commit.js';
import type { DeltaTable } from '../table/delta-table.js';
import { validate } from '../table/options.js';
import { deleteDataFiles } from '../table/write-files.js';
import { resolvePartitionFilter } from '../table/partition-columns.js';
import { arrowSchemaOf, deltaSchemaOf } from '../table/snapshot-schema.js';
import { planOptimize, type OptimizeBin, type PartitionFilter } from './optimize-plan.js';

/**
 * `optimize`: compaction without changing data, as explicit states.
 *
 *   plan     pick small files per partition and pack them into bins (pure,
 *            `optimize-plan.ts`). No bins → done, no commit.
 *   rewrite  per bin: read the files, concatenate, write target-size files.
 *            The new files are invisible until the commit lands.
 *   commit   one commit: `remove` (dataChange=false) for every rewritten
 *            file and `add` (dataChange=false) for every new one, through the
 *            ordinary commit state machine. A concurrent commit that removed
 *            one of our inputs is a `CommitConflictError` (FILES_REMOVED);
 *            then our new files are deleted. Concurrent appends are fine.
 *   done     the handle is refreshed to the committed version.
 */
export interface OptimizeOptions {
  /** Only partitions whose (serialized) values equal these; `null` for a null partition. */
  readonly where?: PartitionFilter;
  /** Parquet bytes per output file (default 128 MiB, the writer's default). */
  readonly targetFileSize?: number;
  /** Files smaller than this are compacted (default ¾ of `targetFileSize`). */
  readonly minFileSize?: number;
  readonly rowGroupSize?: number;
  readonly maxAttempts?: number;
  readonly retryJitterMs?: number;
}

export interface OptimizeResult {
  /** The OPTIMIZE commit, or `undefined` when there was nothing to compact. */
  readonly version: number | undefined;
  readonly filesRemoved: number;
  readonly filesAdded: number;
  readonly partitionsOptimized: number;
  /** Bytes of the files rewritten. */
  readonly bytesBefore: number;
  /** Bytes of the files that replace them. */
  readonly bytesAfter: number;
  readonly rows: number;
  readonly retries: number;
  /** Set when the commit's post-commit step wrote a checkpoint. */
  readonly checkpoint?: string;
}

const optimizeOptionsSchema = z.object({
  where: z.record(z.string(), z.string().nullable()).optional(),
  targetFileSize: z.number().int().positive().default(DEFAULT_TARGET_FILE_SIZE),
  minFileSize: z.number().int().positive().optional(),
  rowGroupSize: z.number().int().positive().optional(),
  maxAttempts: z.number().int().positive().optional(),
  retryJitterMs: z.number().nonnegative().optional(),
});

export async function optimize(table: DeltaTable, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const o = validate(optimizeOptionsSchema, options, table.store.location);
  const base = await table.refresh();
  checkWritable(base.protocol, { table: base.table, version: base.version });
  const where = o.where && resolvePartitionFilter(o.where, base.partitionColumns, { table: base.table, version: base.version });
  const minFileSize = o.minFileSize ?? Math.max(1, Math.floor((o.targetFileSize * 3) / 4));

  // plan
  const plan = planOptimize(base, { ...(where ? { where } : {}), targetFileSize: o.targetFileSize, minFileSize });
  if (plan.bins.length === 0) {
    return { version: undefined, filesRemoved: 0, filesAdded: 0, partitionsOptimized: 0, bytesBefore: 0, bytesAfter: 0, rows: 0, retries: 0 };
  }

  // rewrite
  const written: AddAction[] = [];
  let rows = 0;
  try {
    for (const bin of plan.bins) {
      const out = await rewriteBin(table.store, base, bin, o.targetFileSize, o.rowGroupSize);
      written.push(...out.adds);
      rows += out.rows;
    }
  } catch (error) {
    await deleteDataFiles(table.store, written);
    throw error;
  }

  // commit
  const now = Date.now();
  const removed = plan.bins.flatMap((b) => b.files);
  const bytesBefore = removed.reduce((n, f) => n + f.size, 0);
  const bytesAfter = written.reduce((n, f) => n + f.size, 0);
  const actions: Action[] = [
    ...removed.map((f) => ({
      remove: {
        path: f.path, deletionTimestamp: now, dataChange: false, extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size,
        ...(f.stats == null ? {} : { stats: f.stats }),
      },
    })),
    ...written.map((add) => ({ add })),
  ];
  let result;
  try {
    result = await commitTransaction(table.store, base, {
      actions,
      operation: 'OPTIMIZE',
      operationParameters: { predicate: JSON.stringify(describeWhere(where)), zOrderBy: '[]', targetSize: String(o.targetFileSize) },
      operationMetrics: {
        numRemovedFiles: String(removed.length), numAddedFiles: String(written.length),
        numRemovedBytes: String(bytesBefore), numAddedBytes: String(bytesAfter), numOutputRows: String(rows),
        numPartitionsOptimized: String(plan.partitions),
      },
      appIds: [],
      readFiles: new Set(removed.map((f) => f.path)),
      changesMetadata: false,
      isBlindAppend: false,
    }, {
      ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
      ...(o.retryJitterMs === undefined ? {} : { retryJitterMs: o.retryJitterMs }),
    });
  } catch (error) {
    // Only a definite "not committed" lets us delete; when the put itself failed the commit may have landed, and vacuum reclaims orphans.
    if (commitDidNotLand(error)) await deleteDataFiles(table.store, written);
    throw error;
  }

  // done
  await table.refresh();
  return {
    version: result.version, filesRemoved: removed.length, filesAdded: written.length, partitionsOptimized: plan.partitions,
    bytesBefore, bytesAfter, rows, retries: result.retries,
    ...(result.checkpoint === undefined ? {} : { checkpoint: result.checkpoint }),
  };
}

async function rewriteBin(store: LogStore, snapshot: Snapshot, bin: OptimizeBin, targetFileSize: number, rowGroupSize: number | undefined): Promise<{ adds: AddAction[]; rows: number }> {
  const schema = arrowSchemaOf(snapshot);
  const parts: Table[] = [];
  for (const file of bin.files) {
    const bytes = await store.read(decodeLogPath(file.path));
    parts.push(readDataFile(bytes, { schema, partitionColumns: snapshot.partitionColumns, partitionValues: file.partitionValues, file: file.path }));
  }
  const data = new Table(schema, ...parts.flatMap((p) => p.batches));
  // encodeDataFiles splits by in-memory Arrow bytes; scale the Parquet target by this bin's Arrow/Parquet ratio.
  const ratio = bin.bytes > 0 ? Math.max(1, estimateBytes(data) / bin.bytes) : 1;
  const files = await encodeDataFiles(data, {
    partitionColumns: snapshot.partitionColumns,
    schema: deltaSchemaOf(snapshot),
    targetFileSize: Math.max(1, Math.floor(targetFileSize * ratio)),
    ...(rowGroupSize === undefined ? {} : { rowGroupSize }),
  });
  const adds: AddAction[] = [];
  try {
    for (const file of files) {
      await store.write(file.relativePath, file.bytes);
      adds.push({
        path: file.logPath,
        // Keep the partition values exactly as logged; re-serializing could change their text (e.g. Spark's timestamp format).
        partitionValues: { ...bin.partitionValues },
        size: file.bytes.byteLength,
        modificationTime: file.modificationTime,
        dataChange: false,
        stats: file.statsJson,
      });
    }
  } catch (error) {
    await deleteDataFiles(store, adds);
    throw error;
  }
  return { adds, rows: data.numRows };
}

/** Spark logs the OPTIMIZE predicate as a JSON array of SQL strings. */
function describeWhere(where: PartitionFilter | undefined): string[] {
  if (!where) return [];
  return Object.entries(where).map(([c, v]) => (v === null ? `${c} IS NULL` : `${c} = '${v.replace(/'/g, "''")}'`));
}
