import { setTimeout as sleep } from 'node:timers/promises';
import { CommitConflictError, SinkError } from '../errors.js';
import type { Action, AddAction, CommitInfoAction } from '../log/actions.js';
import { tombstoneRetentionMs, writeCheckpoint } from '../log/checkpoint-write.js';
import { commitPath, encodeCommit, parseCommit } from '../log/commit-file.js';
import { advanceSnapshot, type CommittedActions, type Snapshot } from '../log/snapshot.js';
import { checkWritable } from '../log/protocol-check.js';
import { cleanupExpiredLogAfterCheckpoint } from '../maintenance/log-cleanup.js';
import type { LogStore } from '../storage/log-store.js';
import { checkTxnFence, txnFencedError, txnMismatches, type ExpectedTxn } from './txn-fence.js';

/**
 * The optimistic commit protocol as explicit states, after delta-rs:
 *
 *   prepare      data files are already written (by the caller) and the
 *                actions are known; nothing in `_delta_log/` changed yet.
 *   commit       put-if-absent `<readVersion+1>.json`. Lost the race
 *                (EXISTS): read each winning commit, check it against what
 *                this transaction depends on, and either fail with a typed
 *                `CommitConflictError` or retry one version later, with
 *                jittered backoff, at most `maxAttempts` times. With
 *                `expectTxn`, each put goes only on a snapshot where every
 *                expectation holds; one that does not hold on the latest
 *                version is `TXN_FENCED` (checked before the replay skip).
 *   post-commit  advance the in-memory snapshot; checkpoint every
 *                `delta.checkpointInterval` versions (best effort: a failed
 *                checkpoint never fails a commit that already happened).
 */
export interface PreparedCommit {
  /** Actions without commitInfo (added here with readVersion and timestamp). */
  readonly actions: readonly Action[];
  readonly operation: string;
  readonly operationParameters?: Readonly<Record<string, unknown>>;
  readonly operationMetrics?: Readonly<Record<string, string>>;
  /** appIds whose txn this commit writes; a winner writing one of them is a conflict. */
  readonly appIds: readonly string[];
  /**
   * The txn (appId, version) pairs behind `appIds`. When winners already
   * recorded a version ≥ ours for every one of them, the commit is not made
   * and the result carries `alreadyCommitted` (a replay, e.g. a restarted consumer).
   */
  readonly txns?: readonly { readonly appId: string; readonly version: number }[];
  /**
   * Compare-and-set on the txn: the commit lands only on a version whose txn
   * version of each appId is the expected one, else `TXN_FENCED`. A winner
   * writing one of these appIds is judged by this check, not as `TXN_CONFLICT`.
   */
  readonly expectTxn?: readonly ExpectedTxn[];
  /** Files this transaction read; a winner removing one is a conflict. */
  readonly readFiles: ReadonlySet<string>;
  /** For overwrites: files a winner adds that this predicate matches would have been read. */
  readonly readPredicate?: (add: AddAction) => boolean;
  /** True when the commit changes metadata or protocol (any concurrent winner is then a conflict). */
  readonly changesMetadata: boolean;
  readonly isBlindAppend: boolean;
}

export interface CommitOptions {
  /** Attempts at the commit state, including the first (default 100). */
  readonly maxAttempts?: number;
  /** Upper bound of the random wait after a lost race, in ms (default 20, doubling up to 8×). */
  readonly retryJitterMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

export interface CommitResult {
  readonly version: number;
  readonly snapshot: Snapshot;
  /** Lost races before this commit landed. */
  readonly retries: number;
  /** Set when post-commit wrote a checkpoint. */
  readonly checkpoint?: string;
  /** A post-commit step that failed without undoing the commit. */
  readonly postCommitError?: unknown;
  /**
   * Set (to the reason) when nothing was committed because concurrent winners
   * already recorded every txn of `prepared.txns`; `version`/`snapshot` are then the newest seen.
   */
  readonly alreadyCommitted?: string;
}

/**
 * Errors thrown by `commitTransaction` after which the commit certainly did
 * not land: thrown before any put, or after every put reported EXISTS (a
 * conflict, a corrupt winner, exhausted retries). Not included: a put that
 * threw (the store may have written the commit before failing) and anything
 * after a put succeeded.
 */
const NOT_COMMITTED = new WeakSet<object>();

/** True when `error` came from `commitTransaction` and its commit certainly did not land (its data files may go). */
export function commitDidNotLand(error: unknown): boolean {
  return typeof error === 'object' && error !== null && NOT_COMMITTED.has(error);
}

export async function commitTransaction(store: LogStore, base: Snapshot, prepared: PreparedCommit, options: CommitOptions = {}): Promise<CommitResult> {
  // Tracks whether a put may have landed: `unsure` while a put is in flight, `landed` after one succeeded.
  const state = { unsure: false, landed: false };
  try {
    return await attemptCommits(store, base, prepared, options, state);
  } catch (error) {
    if (!state.unsure && !state.landed && typeof error === 'object' && error !== null) NOT_COMMITTED.add(error);
    throw error;
  }
}

async function attemptCommits(
  store: LogStore, base: Snapshot, prepared: PreparedCommit, options: CommitOptions, state: { unsure: boolean; landed: boolean },
): Promise<CommitResult> {
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 100;
  const jitter = options.retryJitterMs ?? 20;
  checkWritable(base.protocol, { table: base.table, version: base.version });

  const fence = prepared.expectTxn ?? [];
  let snapshot = base;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const version = snapshot.version + 1;
    if (fence.length > 0 && txnMismatches(fence, snapshot, 'exact').length > 0) {
      // The snapshot may be behind the table: only the latest version can refuse the write.
      const newer = await readWinners(store, snapshot.table, version, { mayBeNone: true });
      if (newer.length === 0) throw txnFencedError(txnMismatches(fence, snapshot, 'exact'), snapshot);
      const judged = judgeWinners(prepared, snapshot, newer);
      if ('alreadyCommitted' in judged) return { version: judged.snapshot.version, snapshot: judged.snapshot, retries: attempt, alreadyCommitted: judged.alreadyCommitted };
      snapshot = judged.snapshot;
      continue;
    }
    const commitInfo: CommitInfoAction = {
      timestamp: now(),
      operation: prepared.operation,
      operationParameters: { ...(prepared.operationParameters ?? {}) },
      ...(prepared.operationMetrics ? { operationMetrics: { ...prepared.operationMetrics } } : {}),
      readVersion: base.version,
      isolationLevel: 'Serializable',
      isBlindAppend: prepared.isBlindAppend,
      engineInfo: 'lakestream-sink/0.1.0',
    };
    const actions: Action[] = [{ commitInfo }, ...prepared.actions];
    const bytes = encodeCommit(actions);
    state.unsure = true; // a put that throws may still have written the commit
    const put = await store.putIfAbsent(commitPath(version), bytes);
    state.unsure = false;
    if (put.ok) {
      state.landed = true;
      const committed = advanceSnapshot(snapshot, [{ version, actions, modificationTime: commitInfo.timestamp ?? now() }]);
      return postCommit(store, committed, attempt);
    }
    // Lost the race: check every winner from here on, then retry after the newest.
    const judged = judgeWinners(prepared, snapshot, await readWinners(store, snapshot.table, version));
    if ('alreadyCommitted' in judged) return { version: judged.snapshot.version, snapshot: judged.snapshot, retries: attempt + 1, alreadyCommitted: judged.alreadyCommitted };
    snapshot = judged.snapshot;
    await sleep(Math.random() * jitter * Math.min(8, 2 ** Math.floor(attempt / 4)));
  }
  throw new SinkError('COMMIT_RETRIES_EXHAUSTED', `lost the commit race ${maxAttempts} times`, { table: base.table, version: snapshot.version + 1 });
}

/**
 * `snapshot` advanced past the commits that won the race, in this order: a
 * txn fence that no longer holds is `TXN_FENCED` (a zombie must learn it was
 * fenced, not see its write skipped); every txn already recorded is a
 * replay to skip; otherwise each winner is checked for conflicts.
 */
function judgeWinners(
  prepared: PreparedCommit, snapshot: Snapshot, winners: readonly CommittedActions[],
): { snapshot: Snapshot } | { snapshot: Snapshot; alreadyCommitted: string } {
  const advanced = advanceSnapshot(snapshot, winners);
  checkTxnFence(prepared.expectTxn ?? [], advanced, 'exact');
  const replayed = alreadyCommittedTxns(prepared, advanced);
  if (replayed !== undefined) return { snapshot: advanced, alreadyCommitted: replayed };
  for (const winner of winners) checkConflict(prepared, winner, snapshot.table);
  return { snapshot: advanced };
}

/**
 * The skip reason when `snapshot` already holds every txn of `prepared` at a
 * version ≥ ours; undefined when there are no txns or any one is still new.
 */
export function alreadyCommittedTxns(prepared: Pick<PreparedCommit, 'txns'>, snapshot: Snapshot): string | undefined {
  const txns = prepared.txns ?? [];
  if (txns.length === 0) return undefined;
  const done = txns.filter((t) => (snapshot.appTransactions.get(t.appId)?.version ?? -1) >= t.version);
  if (done.length !== txns.length) return undefined;
  return `already committed: ${done.map((t) => `${t.appId}@${t.version}`).join(', ')}`;
}

/** Commits from `from` upward until one is missing (at least `from`, which we know exists unless `mayBeNone`). */
async function readWinners(store: LogStore, table: string, from: number, options: { mayBeNone?: boolean } = {}): Promise<CommittedActions[]> {
  const out: CommittedActions[] = [];
  for (let v = from; ; v++) {
    const info = await store.head(commitPath(v));
    if (!info) {
      if (v === from && options.mayBeNone !== true) {
        // putIfAbsent said EXISTS, so only a store without read-after-write consistency gets here.
        throw new SinkError('STORAGE_ERROR', 'commit reported as existing cannot be read', { table, version: v, file: commitPath(v) });
      }
      return out;
    }
    out.push({ version: v, actions: parseCommit(await store.read(commitPath(v)), { table, version: v }), modificationTime: info.modificationTime });
  }
}

export function checkConflict(prepared: PreparedCommit, winner: CommittedActions, table: string): void {
  const ctx = { table, version: winner.version };
  // appIds under a txn fence are judged by the compare-and-set (judgeWinners), not here.
  const fenced = new Set((prepared.expectTxn ?? []).map((e) => e.appId));
  const ourApps = new Set(prepared.appIds.filter((a) => !fenced.has(a)));
  for (const action of winner.actions) {
    if ('metaData' in action) throw new CommitConflictError('METADATA_CHANGED', 'a concurrent commit changed the table metadata', ctx);
    if ('protocol' in action) throw new CommitConflictError('PROTOCOL_CHANGED', 'a concurrent commit changed the protocol', ctx);
    if ('txn' in action && ourApps.has(action.txn.appId)) {
      throw new CommitConflictError('TXN_CONFLICT', `a concurrent commit wrote txn ${action.txn.appId}@${action.txn.version}`, ctx);
    }
    if ('remove' in action && prepared.readFiles.has(action.remove.path)) {
      throw new CommitConflictError('FILES_REMOVED', `a concurrent commit removed ${action.remove.path}, which this transaction read`, { ...ctx, file: action.remove.path });
    }
    if ('add' in action && prepared.readPredicate?.(action.add)) {
      throw new CommitConflictError('FILES_ADDED', `a concurrent commit added ${action.add.path} to data this transaction replaces`, { ...ctx, file: action.add.path });
    }
  }
  if (prepared.changesMetadata) {
    throw new CommitConflictError('METADATA_CHANGED', 'this transaction changes metadata and a concurrent commit landed first', ctx);
  }
}

async function postCommit(store: LogStore, snapshot: Snapshot, retries: number): Promise<CommitResult> {
  const interval = checkpointInterval(snapshot);
  if (snapshot.version > 0 && snapshot.version % interval === 0) {
    try {
      // The in-memory snapshot may hold only part of the history's commitInfos, but a checkpoint needs only state.
      const { path } = await writeCheckpoint(store, snapshot);
      // Expired commits now covered by a checkpoint go, as with Spark's delta.enableExpiredLogCleanup;
      // a failure here is reported, and leaves only files the next cleanup deletes.
      const cleanupError: unknown = await cleanupExpiredLogAfterCheckpoint(store, snapshot.configuration).then(() => undefined, (e: unknown) => e ?? new Error('log cleanup failed'));
      // Start fresh at the checkpoint (commit list, expired tombstones) so a long-running writer's snapshot stays bounded.
      const expiry = Date.now() - tombstoneRetentionMs(snapshot.configuration);
      const tombstones = new Map([...snapshot.tombstones].filter(([, r]) => (r.deletionTimestamp ?? Infinity) >= expiry));
      return {
        version: snapshot.version, snapshot: { ...snapshot, checkpointVersion: snapshot.version, commits: [], tombstones }, retries, checkpoint: path,
        ...(cleanupError === undefined ? {} : { postCommitError: cleanupError }),
      };
    } catch (error) {
      return { version: snapshot.version, snapshot, retries, postCommitError: error };
    }
  }
  return { version: snapshot.version, snapshot, retries };
}

export function checkpointInterval(snapshot: Snapshot): number {
  const raw = Number(snapshot.configuration['delta.checkpointInterval'] ?? 10);
  return Number.isInteger(raw) && raw > 0 ? raw : 10;
}
