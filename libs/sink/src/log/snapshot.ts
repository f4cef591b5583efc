import { DeltaLogError } from '../errors.js';
import type { LogStore } from '../storage/log-store.js';
import type { Action, AddAction, CommitInfoAction, MetadataAction, ProtocolAction, RemoveAction, TxnAction } from './actions.js';
import { parseCheckpoint } from './checkpoint-read.js';
import { parseCommit } from './commit-file.js';
import { buildSegment, completeCheckpoints, latestVersion, listLog, type LogListing } from './log-segment.js';
import { checkColumnMapping, checkReadable } from './protocol-check.js';

/** One commit's provenance, as `history()` and time travel see it. */
export interface CommitRecord {
  readonly version: number;
  /** commitInfo.timestamp, else the commit file's modification time (ms). */
  readonly timestamp: number;
  readonly commitInfo?: CommitInfoAction;
}

/** The reconciled state of a table at one version (PROTOCOL.md "Action Reconciliation"). */
export interface Snapshot {
  readonly table: string;
  readonly version: number;
  readonly protocol: ProtocolAction;
  readonly metadata: MetadataAction;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string | null>>;
  /** Live files keyed by their log path. */
  readonly files: ReadonlyMap<string, AddAction>;
  /** Removed files still in the log (vacuum needs them). */
  readonly tombstones: ReadonlyMap<string, RemoveAction>;
  /** appId → latest txn action. */
  readonly appTransactions: ReadonlyMap<string, TxnAction>;
  /** Commits replayed after the checkpoint (ascending); earlier ones live only in the checkpoint. */
  readonly commits: readonly CommitRecord[];
  /** Version of the checkpoint the replay started from, if any. */
  readonly checkpointVersion?: number;
}

/** Mutable accumulator for replay; frozen into a `Snapshot` at the end. */
export class SnapshotBuilder {
  protocol?: ProtocolAction;
  metadata?: MetadataAction;
  readonly files = new Map<string, AddAction>();
  readonly tombstones = new Map<string, RemoveAction>();
  readonly appTransactions = new Map<string, TxnAction>();
  readonly commits: CommitRecord[] = [];

  apply(actions: readonly Action[]): void {
    for (const action of actions) {
      if ('add' in action) {
        this.files.set(action.add.path, action.add);
        this.tombstones.delete(action.add.path);
      } else if ('remove' in action) {
        this.files.delete(action.remove.path);
        this.tombstones.set(action.remove.path, action.remove);
      } else if ('txn' in action) {
        this.appTransactions.set(action.txn.appId, action.txn);
      } else if ('metaData' in action) {
        this.metadata = action.metaData;
      } else if ('protocol' in action) {
        this.protocol = action.protocol;
      }
    }
  }

  build(table: string, version: number, checkpointVersion?: number): Snapshot {
    if (!this.protocol) throw new DeltaLogError('INVALID_LOG', 'no protocol action in the log', { table, version });
    if (!this.metadata) throw new DeltaLogError('INVALID_LOG', 'no metaData action in the log', { table, version });
    const configuration = this.metadata.configuration ?? {};
    checkReadable(this.protocol, { table, version });
    checkColumnMapping(this.protocol, configuration, { table, version });
    return {
      table,
      version,
      protocol: this.protocol,
      metadata: this.metadata,
      partitionColumns: this.metadata.partitionColumns,
      configuration,
      files: this.files,
      tombstones: this.tombstones,
      appTransactions: this.appTransactions,
      commits: this.commits,
      ...(checkpointVersion === undefined ? {} : { checkpointVersion }),
    };
  }
}

export interface LoadOptions {
  readonly version?: number;
  /** Ignore checkpoints and replay every commit from 0 (tests, repair). */
  readonly ignoreCheckpoints?: boolean;
  /** Reuse a listing taken by the caller. */
  readonly listing?: LogListing;
}

/** Load the snapshot at `version` (default latest) from the newest checkpoint plus later commits. */
export async function loadSnapshot(store: LogStore, options: LoadOptions = {}): Promise<Snapshot> {
  const table = store.location;
  const listing = options.listing ?? (await listLog(store));
  const effective = options.ignoreCheckpoints ? { commits: listing.commits, checkpoints: new Map() } : listing;
  const segment = await buildSegment(store, effective, options.version);
  const builder = new SnapshotBuilder();
  if (segment.checkpoint) {
    const parts = await Promise.all(
      segment.checkpoint.files.map(async (file) => parseCheckpoint(await store.read(file.path), { table, version: segment.checkpoint?.version ?? 0, file: file.path })),
    );
    for (const actions of parts) builder.apply(actions);
  }
  for (const { version, file } of segment.commits) {
    const actions = parseCommit(await store.read(file.path), { table, version });
    builder.apply(actions);
    builder.commits.push(commitRecord(version, actions, file.modificationTime));
  }
  return builder.build(table, segment.version, segment.checkpoint?.version);
}

/**
 * The latest snapshot, reusing `current` when the log only grew by commits
 * after it: only the log files after its version are listed, and the new
 * commits applied, instead of listing the whole log and replaying from the
 * checkpoint (a reader that polls pays for what is new). A newer
 * checkpoint loads from it; a missing commit loads from scratch.
 */
export async function refreshSnapshot(store: LogStore, current: Snapshot): Promise<Snapshot> {
  const listing = await listLog(store, { after: current.version });
  const latest = latestVersion(listing);
  if (latest === undefined) return current;
  if (completeCheckpoints(listing).size > 0) {
    // A newer checkpoint: load from it with the files listed after our version, else from scratch.
    return loadSnapshot(store, { listing }).catch(() => loadSnapshot(store));
  }
  const commits: CommittedActions[] = [];
  for (let version = current.version + 1; version <= latest; version++) {
    const file = listing.commits.get(version);
    if (!file) return loadSnapshot(store);
    commits.push({ version, actions: parseCommit(await store.read(file.path), { table: current.table, version }), modificationTime: file.modificationTime });
  }
  return advanceSnapshot(current, commits);
}

/** A commit read or written after a snapshot was taken. */
export interface CommittedActions {
  readonly version: number;
  readonly actions: readonly Action[];
  readonly modificationTime: number;
}

/**
 * The snapshot after `commits` (which must follow `base` contiguously),
 * without re-reading the log: how a writer keeps its view current.
 */
export function advanceSnapshot(base: Snapshot, commits: readonly CommittedActions[]): Snapshot {
  const builder = new SnapshotBuilder();
  builder.protocol = base.protocol;
  builder.metadata = base.metadata;
  for (const [k, v] of base.files) builder.files.set(k, v);
  for (const [k, v] of base.tombstones) builder.tombstones.set(k, v);
  for (const [k, v] of base.appTransactions) builder.appTransactions.set(k, v);
  builder.commits.push(...base.commits);
  let version = base.version;
  for (const commit of commits) {
    if (commit.version !== version + 1) {
      throw new DeltaLogError('VERSION_GAP', `commit ${commit.version} does not follow ${version}`, { table: base.table, version: version + 1 });
    }
    builder.apply(commit.actions);
    builder.commits.push(commitRecord(commit.version, commit.actions, commit.modificationTime));
    version = commit.version;
  }
  return builder.build(base.table, version, base.checkpointVersion);
}

export function commitRecord(version: number, actions: readonly Action[], modificationTime: number): CommitRecord {
  const info = actions.find((a): a is { commitInfo: CommitInfoAction } => 'commitInfo' in a)?.commitInfo;
  const ts = typeof info?.timestamp === 'number' ? info.timestamp : modificationTime;
  return info ? { version, timestamp: ts, commitInfo: info } : { version, timestamp: ts };
}
