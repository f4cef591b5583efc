import { DeltaLogError } from '../errors.js';
import type { LogStore } from '../storage/log-store.js';
import { parseCommit } from './commit-file.js';
import { buildSegment, listLog, type LogListing } from './log-segment.js';
import { commitRecord, type CommitRecord } from './snapshot.js';

/** Provenance of every commit file still in the log, newest first. */
export async function readHistory(store: LogStore, options: { limit?: number; listing?: LogListing } = {}): Promise<CommitRecord[]> {
  const listing = options.listing ?? (await listLog(store));
  const versions = [...listing.commits.keys()].sort((a, b) => b - a).slice(0, options.limit ?? Infinity);
  const out: CommitRecord[] = [];
  for (const version of versions) {
    const file = listing.commits.get(version);
    if (!file) continue;
    out.push(commitRecord(version, parseCommit(await store.read(file.path), { table: store.location, version }), file.modificationTime));
  }
  return out;
}

/**
 * Time travel by timestamp: the newest version whose commit timestamp is
 * ≤ `timestamp` and that can still be reconstructed (checkpoint or full
 * commit chain). Walks commits newest first; stops at the first match.
 */
export async function versionAtTimestamp(store: LogStore, timestamp: number, listing?: LogListing): Promise<number> {
  const log = listing ?? (await listLog(store));
  const versions = [...log.commits.keys()].sort((a, b) => b - a);
  for (const version of versions) {
    const file = log.commits.get(version);
    if (!file) continue;
    const record = commitRecord(version, parseCommit(await store.read(file.path), { table: store.location, version }), file.modificationTime);
    if (record.timestamp <= timestamp) {
      await buildSegment(store, log, version); // throws when the version is no longer reconstructable
      return version;
    }
  }
  throw new DeltaLogError('VERSION_NOT_FOUND', `no commit at or before ${new Date(timestamp).toISOString()}`, { table: store.location });
}
