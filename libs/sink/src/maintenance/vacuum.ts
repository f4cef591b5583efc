import { z } from 'zod';
import { decodeLogPath } from '../data/partitions.js';
import { LOG_DIR } from '../log/commit-file.js';
import { checkWritable } from '../log/protocol-check.js';
import type { Snapshot } from '../log/snapshot.js';
import type { FileInfo } from '../storage/log-store.js';
import type { DeltaTable } from '../table/delta-table.js';
import { validate } from '../table/options.js';
import { DEFAULT_VACUUM_RETENTION_HOURS, HOUR_MS, RetentionTooShortError, deletedFileRetentionMs, toEpochMs } from './retention.js';

/**
 * `vacuum`: delete files in the table directory that the latest snapshot does
 * not reference and that no reader within the retention window can need.
 *
 *   scan     latest snapshot (live files, tombstones) + listing of the table
 *            directory outside `_delta_log/` and other hidden directories.
 *   select   a file is deleted when it is not live and either
 *              - a tombstone (`remove`) whose deletionTimestamp is older than
 *                the retention (files removed recently stay, for time travel), or
 *              - untracked (orphan of a failed or crashed write, a leftover
 *                temp file) with a modificationTime older than the retention.
 *   verify   re-read the latest snapshot and keep anything it references (a
 *            commit may have landed while we listed).
 *   delete   unless `dryRun`.
 *
 * Never touches `_delta_log/`. Directories left empty stay (the LogStore has
 * no directory operations; object stores have no directories).
 */
export interface VacuumOptions {
  /** Keep files removed (or written) less than this many hours ago (default 168 = 7 days). */
  readonly retentionHours?: number;
  /** List what would be deleted without deleting. */
  readonly dryRun?: boolean;
  /**
   * Refuse a retention shorter than the table's `delta.deletedFileRetentionDuration`
   * (default true). Turning this off can delete files a concurrent writer is about to commit.
   */
  readonly enforceRetention?: boolean;
  /** Clock (Date or epoch ms), for tests. */
  readonly now?: Date | number;
}

export interface VacuumResult {
  readonly dryRun: boolean;
  /** Paths relative to the table root (not URI-encoded), sorted. */
  readonly filesDeleted: string[];
  /** Total size of `filesDeleted`. */
  readonly bytes: number;
  /** The snapshot version the decision was made against. */
  readonly version: number;
}

const vacuumOptionsSchema = z.object({
  retentionHours: z.number().nonnegative().default(DEFAULT_VACUUM_RETENTION_HOURS),
  dryRun: z.boolean().default(false),
  enforceRetention: z.boolean().default(true),
  now: z.union([z.date(), z.number()]).optional(),
});

export async function vacuum(table: DeltaTable, options: VacuumOptions = {}): Promise<VacuumResult> {
  const o = validate(vacuumOptionsSchema, options, table.store.location);
  const store = table.store;
  // scan
  const snapshot = await table.refresh();
  const ctx = { table: snapshot.table, version: snapshot.version };
  checkWritable(snapshot.protocol, ctx);
  const minimumMs = deletedFileRetentionMs(snapshot.configuration);
  const retentionMs = o.retentionHours * HOUR_MS;
  if (o.enforceRetention && retentionMs < minimumMs) throw new RetentionTooShortError(o.retentionHours, minimumMs / HOUR_MS, ctx);
  const cutoff = toEpochMs(o.now) - retentionMs;
  const listing = (await store.list('')).filter((f) => isVacuumable(f.path, snapshot.partitionColumns));

  // select
  let doomed = selectExpired(listing, snapshot, cutoff);

  // verify
  const latest = await table.refresh();
  if (latest.version !== snapshot.version) {
    const live = relativePaths(latest.files.keys());
    doomed = doomed.filter((f) => !live.has(f.path));
  }

  // delete
  if (!o.dryRun) {
    for (const file of doomed) await store.delete(file.path);
  }
  return { dryRun: o.dryRun, filesDeleted: doomed.map((f) => f.path), bytes: doomed.reduce((n, f) => n + f.size, 0), version: snapshot.version };
}

/** Files that are neither live nor within the retention window. */
export function selectExpired(files: readonly FileInfo[], snapshot: Snapshot, cutoff: number): FileInfo[] {
  const live = relativePaths(snapshot.files.keys());
  const removedAt = new Map<string, number | undefined>();
  for (const r of snapshot.tombstones.values()) removedAt.set(decodeLogPath(r.path), r.deletionTimestamp ?? undefined);
  return files
    .filter((f) => {
      if (live.has(f.path)) return false;
      // A tombstone without a deletionTimestamp falls back to the file's own age.
      const when = removedAt.get(f.path) ?? f.modificationTime;
      return when < cutoff;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Data-directory files vacuum may consider: not in `_delta_log/`, not under a
 * hidden directory (`_…` or `.…`, e.g. `_change_data/`, whose files `cdc`
 * actions reference) unless the directory is a partition folder `<col>=…`.
 * Hidden *files* are included: our store's `.<uuid>.tmp` leftovers and
 * Hadoop `.crc` side files are garbage once old enough.
 */
export function isVacuumable(path: string, partitionColumns: readonly string[]): boolean {
  if (path === LOG_DIR || path.startsWith(`${LOG_DIR}/`)) return false;
  const segments = path.split('/');
  const dirs = segments.slice(0, -1);
  const name = segments[segments.length - 1] ?? '';
  if (name === '' || name.startsWith('_')) return false;
  return dirs.every((d) => !(d.startsWith('_') || d.startsWith('.')) || partitionColumns.some((c) => d.startsWith(`${c}=`)));
}

/**
 * Live paths as they sit in the store. Absolute URIs (shallow clones, other
 * buckets) are outside the table directory and never match a listed path.
 */
function relativePaths(logPaths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const p of logPaths) out.add(decodeLogPath(p));
  return out;
}
