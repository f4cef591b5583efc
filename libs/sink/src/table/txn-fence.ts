import { CommitConflictError } from '../errors.js';
import type { Snapshot } from '../log/snapshot.js';

/**
 * Txn fencing: a compare-and-set on the Delta `txn` actions. A write that
 * names `expectTxn` commits only on top of a version whose txn version for
 * each listed appId is exactly the expected one (`null`: the table has no
 * txn for that appId). A streaming writer passes the version its batch
 * started from, so a zombie (a consumer that lost its partitions in a
 * rebalance and did not notice) cannot commit over the new owner's batches.
 */
export interface ExpectedTxn {
  readonly appId: string;
  /** The txn version the table must hold for `appId`; `null` when it must hold none. */
  readonly version: number | null;
}

/** One expectation that does not hold. */
export interface TxnMismatch {
  readonly appId: string;
  readonly expected: number | null;
  readonly found: number | null;
}

/** The stored txn version of `appId` in `snapshot` (`null`: none). */
export function storedTxnVersion(snapshot: Pick<Snapshot, 'appTransactions'>, appId: string): number | null {
  return snapshot.appTransactions.get(appId)?.version ?? null;
}

/**
 * The expectations that do not hold on `snapshot`.
 * - `exact`: the stored version differs from the expected one (the CAS itself,
 *   judged on the version a commit goes on top of).
 * - `passed`: the stored version is already beyond the expected one (`null`
 *   counts as -1). Txn versions only grow, so a snapshot that may be older
 *   than the table (a handle not refreshed, a pipeline whose earlier batches
 *   have not committed yet) can still prove a write fenced this way.
 */
export function txnMismatches(
  expect: readonly ExpectedTxn[], snapshot: Pick<Snapshot, 'appTransactions'>, mode: 'exact' | 'passed',
): TxnMismatch[] {
  const out: TxnMismatch[] = [];
  for (const e of expect) {
    const found = storedTxnVersion(snapshot, e.appId);
    const fenced = mode === 'exact' ? found !== e.version : (found ?? -1) > (e.version ?? -1);
    if (fenced) out.push({ appId: e.appId, expected: e.version, found });
  }
  return out;
}

/** The typed refusal of a fenced write; context names the table version and the first mismatch. */
export function txnFencedError(mismatches: readonly TxnMismatch[], snapshot: Pick<Snapshot, 'table' | 'version'>): CommitConflictError {
  const first = mismatches[0];
  const list = mismatches.map((m) => `${m.appId} expected ${show(m.expected)}, found ${show(m.found)}`).join('; ');
  return new CommitConflictError('TXN_FENCED', `another writer moved the txn this write started from (${list}) at or before version ${snapshot.version}`, {
    table: snapshot.table,
    version: snapshot.version,
    ...(first === undefined ? {} : { appId: first.appId, expectedTxnVersion: first.expected, foundTxnVersion: first.found }),
  });
}

/** Throws `TXN_FENCED` when an expectation does not hold on `snapshot` (see `txnMismatches` for `mode`). */
export function checkTxnFence(expect: readonly ExpectedTxn[], snapshot: Pick<Snapshot, 'table' | 'version' | 'appTransactions'>, mode: 'exact' | 'passed'): void {
  if (expect.length === 0) return;
  const mismatches = txnMismatches(expect, snapshot, mode);
  if (mismatches.length > 0) throw txnFencedError(mismatches, snapshot);
}

function show(version: number | null): string {
  return version === null ? 'none' : String(version);
}
