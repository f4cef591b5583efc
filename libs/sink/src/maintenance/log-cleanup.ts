import { z } from 'zod';
import { LOG_DIR } from '../log/commit-file.js';
import { completeCheckpoints, latestVersion, listLog, type LogListing } from '../log/log-segment.js';
import type { FileInfo, LogStore } from '../storage/log-store.js';
import type { DeltaTable } from '../table/delta-table.js';
import { validate } from '../table/options.js';
import { HOUR_MS, logRetentionMs, toEpochMs } from './retention.js';

/**
 * Log cleanup (PROTOCOL.md "Metadata Cleanup"): delete commit files and
 * checkpoints that are older than the log retention and covered by a newer
 * checkpoint, so the table still loads at the latest version and at every
 * version from the oldest kept checkpoint on.
 *
 *   plan    list `_delta_log/`; `expiredUpTo` = the first version whose
 *           commit file is *not* expired (commits below it all are);
 *           boundary = the newest complete checkpoint ≤ `expiredUpTo` and
 *           ≤ latest. Commits below the boundary go, and so do checkpoints
 *           below it that are themselves expired; the boundary checkpoint,
 *           and everything after it, stay.
 *   delete  oldest first, so a crash halfway leaves a contiguous suffix.
 *
 * Because only a prefix of versions is deleted, the remaining commits stay
 * contiguous from the boundary checkpoint. Crashed-commit leftovers in
 * `_delta_log/` (our store's `.<uuid>.tmp` files) older than the retention
 * go too; nothing else unknown is touched.
 */
export interface CleanupLogOptions {
  /** Default: the table's `delta.logRetentionDuration`, else 720 h (30 days). */
  readonly retentionHours?: number;
  /** List what would be deleted without deleting. */
  readonly dryRun?: boolean;
  /** Clock (Date or epoch ms), for tests. */
  readonly now?: Date | number;
}

export interface CleanupLogResult {
  readonly dryRun: boolean;
  /** The checkpoint the remaining log starts from; `undefined` when nothing could be deleted. */
  readonly checkpointVersion: number | undefined;
  /** Oldest version the table can still be loaded at. */
  readonly oldestVersion: number;
  readonly commitsDeleted: number[];
  readonly checkpointsDeleted: number[];
  /** Every path deleted (commits, checkpoint parts, temp leftovers), oldest first. */
  readonly filesDeleted: string[];
}

const cleanupLogOptionsSchema = z.object({
  retentionHours: z.number().nonnegative().optional(),
  dryRun: z.boolean().default(false),
  now: z.union([z.date(), z.number()]).optional(),
});

const TEMP_FILE_RE = /^\.[0-9a-f-]{36}\.tmp$/;

export async function cleanupLog(table: DeltaTable, options: CleanupLogOptions = {}): Promise<CleanupLogResult> {
  const o = validate(cleanupLogOptionsSchema, options, table.store.location);
  const snapshot = await table.refresh();
  const retentionMs = o.retentionHours === undefined ? logRetentionMs(snapshot.configuration) : o.retentionHours * HOUR_MS;
  return expireLog(table.store, toEpochMs(o.now) - retentionMs, o.dryRun);
}

/**
 * What writers run after each checkpoint, as Spark does while
 * `delta.enableExpiredLogCleanup` is true (the default): the log cleanup
 * above with the table's `delta.logRetentionDuration`.
 */
export async function cleanupExpiredLogAfterCheckpoint(store: LogStore, configuration: Readonly<Record<string, string | null>>, now = Date.now()): Promise<CleanupLogResult | undefined> {
  if (configuration['delta.enableExpiredLogCleanup']?.toLowerCase() === 'false') return undefined;
  return expireLog(store, now - logRetentionMs(configuration), false);
}

/** Plans against the log as listed now, then deletes (unless `dryRun`) everything expired before `cutoff`. */
async function expireLog(store: LogStore, cutoff: number, dryRun: boolean): Promise<CleanupLogResult> {
  const listing = await listLog(store);
  const plan = planLogCleanup(listing, cutoff);
  const temps = (await store.list(`${LOG_DIR}/`)).filter((f) => TEMP_FILE_RE.test(f.path.slice(LOG_DIR.length + 1)) && f.modificationTime < cutoff);
  const files = [...plan.files, ...temps.map((f) => f.path)];
  if (!dryRun) for (const path of files) await store.delete(path);
  return {
    dryRun, checkpointVersion: plan.boundary, oldestVersion: plan.boundary ?? oldestReconstructable(listing),
    commitsDeleted: plan.commits, checkpointsDeleted: plan.checkpoints, filesDeleted: files,
  };
}

export interface LogCleanupPlan {
  readonly boundary: number | undefined;
  readonly commits: number[];
  readonly checkpoints: number[];
  /** Paths in deletion order (ascending version). */
  readonly files: string[];
}

/** Pure: what to delete from `listing` for a modification-time `cutoff`. */
export function planLogCleanup(listing: LogListing, cutoff: number): LogCleanupPlan {
  const latest = latestVersion(listing);
  const none: LogCleanupPlan = { boundary: undefined, commits: [], checkpoints: [], files: [] };
  if (latest === undefined) return none;
  const versions = [...listing.commits.keys()].sort((a, b) => a - b);
  let expiredUpTo = versions[0] ?? 0;
  for (const v of versions) {
    if (v !== expiredUpTo || (listing.commits.get(v)?.modificationTime ?? Infinity) >= cutoff) break;
    expiredUpTo = v + 1;
  }
  let boundary: number | undefined;
  for (const v of completeCheckpoints(listing).keys()) {
    if (v > expiredUpTo || v > latest) continue;
    if (boundary === undefined || v > boundary) boundary = v;
  }
  if (boundary === undefined) return none;

  const byVersion = new Map<number, { commit?: FileInfo; checkpoint: FileInfo[] }>();
  const slot = (v: number): { commit?: FileInfo; checkpoint: FileInfo[] } => {
    let s = byVersion.get(v);
    if (!s) byVersion.set(v, (s = { checkpoint: [] }));
    return s;
  };
  for (const [v, file] of listing.commits) if (v < boundary) slot(v).commit = file;
  for (const [v, byParts] of listing.checkpoints) {
    if (v >= boundary) continue;
    const parts = [...byParts.values()].flat().filter(Boolean);
    // A checkpoint written after the fact (e.g. on demand) stays until it is itself expired.
    if (parts.every((f) => f.modificationTime < cutoff)) slot(v).checkpoint.push(...parts);
  }
  const commits: number[] = [];
  const checkpoints: number[] = [];
  const files: string[] = [];
  for (const v of [...byVersion.keys()].sort((a, b) => a - b)) {
    const s = byVersion.get(v);
    if (!s) continue;
    // Checkpoint first: a reader listing mid-way must not pick a checkpoint whose commit chain we are deleting under it.
    if (s.checkpoint.length > 0) {
      checkpoints.push(v);
      files.push(...s.checkpoint.map((f) => f.path));
    }
    if (s.commit) {
      commits.push(v);
      files.push(s.commit.path);
    }
  }
  return { boundary, commits, checkpoints, files };
}

function oldestReconstructable(listing: LogListing): number {
  // Without a cleanup boundary the log is untouched: version 0 if its commit exists, else the oldest complete checkpoint.
  if (listing.commits.has(0)) return 0;
  const complete = [...completeCheckpoints(listing).keys()];
  return complete.length > 0 ? Math.min(...complete) : 0;
}
