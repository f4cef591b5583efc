import { DeltaLogError } from '../errors.js';
import type { FileInfo, LogStore } from '../storage/log-store.js';
import { LOG_DIR, commitPath, parseLogFileName } from './commit-file.js';
import { readLastCheckpoint } from './last-checkpoint.js';

/** The files that reconstruct one version: the newest usable checkpoint at or below it, then commits. */
export interface LogSegment {
  readonly version: number;
  readonly checkpoint?: { readonly version: number; readonly files: readonly FileInfo[] };
  /** Commit files after the checkpoint, ascending and contiguous up to `version`. */
  readonly commits: readonly { readonly version: number; readonly file: FileInfo }[];
}

/** Everything `_delta_log/` holds that we understand. */
export interface LogListing {
  readonly commits: ReadonlyMap<number, FileInfo>;
  /** version → parts count → part files (a checkpoint is usable when all parts exist). */
  readonly checkpoints: ReadonlyMap<number, ReadonlyMap<number, FileInfo[]>>;
}

/** The log's commits and checkpoints; with `after`, only those of later versions. */
export async function listLog(store: LogStore, options: { readonly after?: number } = {}): Promise<LogListing> {
  const commits = new Map<number, FileInfo>();
  const checkpoints = new Map<number, Map<number, FileInfo[]>>();
  const after = options.after;
  // Every file of a later version sorts after this version's commit file.
  const files = await store.list(`${LOG_DIR}/`, after === undefined ? {} : { startAfter: commitPath(after) });
  for (const file of files) {
    if (file.path.slice(LOG_DIR.length + 1).includes('/')) continue;
    const name = parseLogFileName(file.path);
    if (after !== undefined && (name === undefined || name.kind === 'last_checkpoint' || name.version <= after)) continue;
    if (name?.kind === 'commit') commits.set(name.version, file);
    else if (name?.kind === 'checkpoint') {
      const byParts = checkpoints.get(name.version) ?? new Map<number, FileInfo[]>();
      checkpoints.set(name.version, byParts);
      const parts = byParts.get(name.parts) ?? [];
      byParts.set(name.parts, parts);
      parts[name.part - 1] = file;
    }
  }
  return { commits, checkpoints };
}

export function latestVersion(listing: LogListing): number | undefined {
  let max: number | undefined;
  for (const v of listing.commits.keys()) if (max === undefined || v > max) max = v;
  for (const v of completeCheckpoints(listing).keys()) if (max === undefined || v > max) max = v;
  return max;
}

/** Checkpoints with every part present, by version (their files, in part order). */
export function completeCheckpoints(listing: LogListing): Map<number, FileInfo[]> {
  const out = new Map<number, FileInfo[]>();
  for (const [version, byParts] of listing.checkpoints) {
    for (const [parts, files] of byParts) {
      if (files.length === parts && files.every(Boolean)) {
        out.set(version, files);
        break;
      }
    }
  }
  return out;
}

/**
 * Choose the files for `version` (default: latest). Prefers the checkpoint
 * `_last_checkpoint` names when it is complete and not newer than the
 * target; otherwise the newest complete checkpoint found by listing.
 */
export async function buildSegment(store: LogStore, listing: LogListing, version?: number): Promise<LogSegment> {
  const table = store.location;
  const latest = latestVersion(listing);
  if (latest === undefined) throw new DeltaLogError('TABLE_NOT_FOUND', 'no Delta log (no commits or checkpoints in _delta_log/)', { table });
  const target = version ?? latest;
  if (!Number.isSafeInteger(target) || target > latest || target < 0) {
    throw new DeltaLogError('VERSION_NOT_FOUND', `version ${target} does not exist (latest is ${latest})`, { table, version: target });
  }
  const complete = completeCheckpoints(listing);
  let cpVersion: number | undefined;
  const hint = await readLastCheckpoint(store);
  if (hint && hint.version <= target && complete.has(hint.version)) cpVersion = hint.version;
  for (const v of complete.keys()) if (v <= target && (cpVersion === undefined || v > cpVersion)) cpVersion = v;

  const first = cpVersion === undefined ? 0 : cpVersion + 1;
  const commits: { version: number; file: FileInfo }[] = [];
  for (let v = first; v <= target; v++) {
    const file = listing.commits.get(v);
    if (!file) {
      if (cpVersion === undefined && v === 0) {
        throw new DeltaLogError('VERSION_NOT_FOUND', `version ${target} cannot be reconstructed: no checkpoint at or below it and commit 0 is missing`, { table, version: target });
      }
      const next = [...listing.commits.keys()].filter((k) => k > v).sort((a, b) => a - b)[0];
      throw new DeltaLogError('VERSION_GAP', `commit ${v} is missing (log jumps from ${v - 1} to ${next ?? 'nothing'})`, { table, version: v });
    }
    commits.push({ version: v, file });
  }
  const cpFiles = cpVersion === undefined ? undefined : complete.get(cpVersion);
  return cpVersion === undefined || !cpFiles ? { version: target, commits } : { version: target, checkpoint: { version: cpVersion, files: cpFiles }, commits };
}
