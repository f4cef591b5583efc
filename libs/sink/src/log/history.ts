import { DeltaLogError, StorageError } from '../errors.js';
import type { LogStore } from '../storage/log-store.js';
import { parseCommit } from './commit-file.js';
import { buildSegment, listLog, type LogListing } from './log-segment.js';
import { commitRecord, type CommitRecord } from './snapshot.js';

/** Commit files read at once when a history or time-travel search reads many. */
const READS_IN_FLIGHT = 64;

/**
 * Provenance of every commit file still in the log (the newest `limit`),
 * newest first, with timestamps made increasing as Spark's
 * DeltaHistoryManager does over the commits it reads (see `monotonize`).
 */
export async function readHistory(store: LogStore, options: { limit?: number; listing?: LogListing } = {}): Promise<CommitRecord[]> {
  const listing = options.listing ?? (await listLog(store));
  const versions = [...listing.commits.keys()].sort((a, b) => b - a).slice(0, options.limit ?? Infinity).reverse();
  return monotonize(await readRecords(store, listing, versions)).reverse();
}

/**
 * Time travel by timestamp: the newest version whose commit timestamp, made
 * increasing (`monotonize`), is ≤ `timestamp` and that can still be
 * reconstructed (checkpoint or full commit chain).
 */
export async function versionAtTimestamp(store: LogStore, timestamp: number, listing?: LogListing): Promise<number> {
  const log = listing ?? (await listLog(store));
  const records = monotonize(await readRecords(store, log, [...log.commits.keys()].sort((a, b) => a - b)));
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i] as CommitRecord;
    if (record.timestamp <= timestamp) {
      await buildSegment(store, log, record.version); // throws when the version is no longer reconstructable
      return record.version;
    }
  }
  throw new DeltaLogError('VERSION_NOT_FOUND', `no commit at or before ${new Date(timestamp).toISOString()}`, { table: store.location });
}

/**
 * Commit timestamps made strictly increasing, as Spark's
 * DeltaHistoryManager.monotonizeCommitTimestamps: a commit whose timestamp
 * is not after its predecessor's (clock skew between writers) counts as the
 * predecessor's + 1 ms. `records` ascend by version; a new array is returned.
 */
export function monotonize(records: readonly CommitRecord[]): CommitRecord[] {
  const out: CommitRecord[] = [];
  let previous = -Infinity;
  for (const record of records) {
    const timestamp = record.timestamp <= previous ? previous + 1 : record.timestamp;
    out.push(timestamp === record.timestamp ? record : { ...record, timestamp });
    previous = timestamp;
  }
  return out;
}

/** Records of `versions` in the given order; a commit deleted meanwhile (log cleanup) is skipped, as Spark does. */
async function readRecords(store: LogStore, listing: LogListing, versions: readonly number[]): Promise<CommitRecord[]> {
  const out: (CommitRecord | undefined)[] = [];
  for (let i = 0; i < versions.length; i += READS_IN_FLIGHT) {
    const chunk = versions.slice(i, i + READS_IN_FLIGHT);
    out.push(...(await Promise.all(chunk.map(async (version) => {
      const file = listing.commits.get(version);
      if (!file) return undefined;
      try {
        return commitRecord(version, parseCommit(await store.read(file.path), { table: store.location, version }), file.modificationTime);
      } catch (error) {
        if (error instanceof StorageError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      }
    }))));
  }
  return out.filter((r): r is CommitRecord => r !== undefined);
}
