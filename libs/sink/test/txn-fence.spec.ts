import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommitConflictError, DeltaTable, LocalFileStore, type AppendOptions, type WriteResult } from '../src/index.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/**
 * Fencing (`expectTxn`, a compare-and-set on the Delta txn): a zombie writer
 * (it lost its partition and did not notice) is refused with the typed
 * `TXN_FENCED` conflict, never a silent skip, and leaves no data file.
 */
const { dir, cleanup } = tempDir('sink-txn-fence-');
afterAll(cleanup);
let n = 0;

function dataFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet') && !f.startsWith('_delta_log')).sort();
}

/** Data files the table references, as stored (decoded) paths. */
function liveFiles(table: DeltaTable): string[] {
  return [...table.state.files.keys()].map((p) => decodeURIComponent(p)).sort();
}

/** Counts data-file writes, to prove a write fenced at prepare never encoded/stored anything. */
class CountingStore extends LocalFileStore {
  dataWrites = 0;
  override write(path: string, bytes: Uint8Array): Promise<void> {
    if (!path.startsWith('_delta_log')) this.dataWrites++;
    return super.write(path, bytes);
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected the write to be refused');
}

const batch = (from: number, count: number, sessions = ['s1', 's2']) => telemetryRows(from, count, sessions);
const fenced = (expected: number | null, version: number, appId = 'app-t-0'): AppendOptions => ({ expectTxn: [{ appId, version: expected }], txn: [{ appId, version }] });

async function twoHandles(): Promise<{ root: string; owner: DeltaTable; zombie: DeltaTable; zombieStore: CountingStore }> {
  const root = join(dir, `t${n++}`);
  const owner = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'] });
  const zombieStore = new CountingStore(root);
  return { root, owner, zombie: await DeltaTable.open(zombieStore), zombieStore };
}

describe('txn fencing (expectTxn)', () => {
  it('refuses a stale zombie replaying the batch the new owner committed: TXN_FENCED, not a skip, no orphan file', async () => {
    const { root, owner, zombie } = await twoHandles();
    expect(await owner.append(batch(0, 10), fenced(null, 9))).toMatchObject({ skipped: false, version: 1 });
    // The zombie still believes the partition starts empty; it writes the same offsets 0..9.
    const error = await rejection(zombie.append(batch(0, 10), fenced(null, 9)));
    expect(error).toBeInstanceOf(CommitConflictError);
    expect(error).toMatchObject({
      code: 'COMMIT_CONFLICT', reason: 'TXN_FENCED', retriable: false,
      context: { table: root, version: 1, appId: 'app-t-0', expectedTxnVersion: null, foundTxnVersion: 9 },
    });
    expect(String((error as Error).message)).toMatch(/app-t-0 expected none, found 9/);
    // The same write without the fence is the old replay rule: skipped.
    expect(await zombie.append(batch(0, 10), { txn: [{ appId: 'app-t-0', version: 9 }] })).toMatchObject({ skipped: true });
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.version).toBe(1);
    expect(dataFiles(root)).toEqual(liveFiles(reopened));
    expect((await reopened.read()).numRows).toBe(10);
  });

  it('refuses a zombie whose newer batch overlaps the owner\'s, deleting the files it wrote', async () => {
    const { root, owner, zombie } = await twoHandles();
    await owner.append(batch(0, 10), fenced(null, 9));
    await owner.append(batch(10, 10), fenced(9, 19));
    // The zombie committed nothing since it read offset 9 at version 1 (its handle is at 0: the put loses the race).
    const error = await rejection(zombie.append(batch(10, 15), fenced(9, 24)));
    expect(error).toMatchObject({ reason: 'TXN_FENCED', context: { appId: 'app-t-0', expectedTxnVersion: 9, foundTxnVersion: 19, version: 2 } });
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.version).toBe(2);
    expect(dataFiles(root)).toEqual(liveFiles(reopened));
  });

  it('refuses at prepare, before encoding or storing any file, when the handle already shows the txn moved', async () => {
    const { owner, zombie, zombieStore } = await twoHandles();
    await owner.append(batch(0, 10), fenced(null, 9));
    await zombie.refresh();
    expect(zombie.txnVersion('app-t-0')).toBe(9);
    await expect(zombie.append(batch(0, 10), fenced(null, 9))).rejects.toMatchObject({ reason: 'TXN_FENCED', context: { version: 1 } });
    await expect(zombie.append(batch(0, 5), fenced(4, 9))).rejects.toMatchObject({ reason: 'TXN_FENCED', context: { expectedTxnVersion: 4, foundTxnVersion: 9 } });
    expect(zombieStore.dataWrites).toBe(0);
  });

  it('lets a stale handle commit when the latest version holds the expected txn (winners are read, not guessed)', async () => {
    const { root, owner, zombie: stale } = await twoHandles();
    await owner.append(batch(0, 10), fenced(null, 9));
    await owner.append(batch(100, 5), { txn: [{ appId: 'other', version: 1 }] });
    // The handle is at version 0 (no txn): the write is new ownership taking over at offset 9.
    expect(stale.txnVersion('app-t-0')).toBeUndefined();
    expect(await stale.append(batch(10, 10), fenced(9, 19))).toMatchObject({ skipped: false, version: 3 });
    expect(stale.txnVersion('app-t-0')).toBe(19);
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.txnVersion('app-t-0')).toBe(19);
    expect((await reopened.read()).numRows).toBe(25);
  });

  it('fences on an appId the write only expects (not in txn), and on every listed appId', async () => {
    const { owner, zombie } = await twoHandles();
    await owner.append(batch(0, 3), { txn: [{ appId: 'p0', version: 2 }, { appId: 'p1', version: 7 }] });
    const error = await rejection(zombie.append(batch(3, 3), { expectTxn: [{ appId: 'p0', version: null }, { appId: 'p1', version: 7 }], txn: [{ appId: 'p2', version: 0 }] }));
    expect(error).toMatchObject({ reason: 'TXN_FENCED', context: { appId: 'p0', expectedTxnVersion: null, foundTxnVersion: 2 } });
    // Both expectations hold on the latest version: the commit lands on it.
    expect(await zombie.append(batch(3, 3), { expectTxn: [{ appId: 'p0', version: 2 }, { appId: 'p1', version: 7 }], txn: [{ appId: 'p2', version: 0 }] })).toMatchObject({ skipped: false, version: 2 });
  });

  it('lets exactly one of two concurrent writers expecting the same version commit; the other is fenced', async () => {
    const { root, owner, zombie } = await twoHandles();
    const outcomes = await Promise.allSettled([owner.append(batch(0, 200), fenced(null, 199)), zombie.append(batch(0, 200), fenced(null, 199))]);
    const landed = outcomes.filter((o): o is PromiseFulfilledResult<WriteResult> => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(landed).toHaveLength(1);
    expect(refused.map((r) => (r.reason as CommitConflictError).reason)).toEqual(['TXN_FENCED']);
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect((await reopened.read()).numRows).toBe(200);
    expect(dataFiles(root)).toEqual(liveFiles(reopened));
  });

  it('validates the option: a txn must move past its expected version, an appId is expected once', async () => {
    const { owner } = await twoHandles();
    await expect(owner.append(batch(0, 1), fenced(5, 5))).rejects.toMatchObject({ code: 'INVALID_OPTIONS', context: { option: 'txn.0.version' } });
    await expect(owner.append(batch(0, 1), { expectTxn: [{ appId: 'a', version: 1 }, { appId: 'a', version: null }] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', context: { option: 'expectTxn.1.appId' } });
    await expect(owner.append(batch(0, 1), { expectTxn: [{ appId: 'a', version: -1 }] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(owner.version).toBe(0);
  });
});

describe('txn fencing through the append pipeline', () => {
  it('chains batches that each expect their predecessor\'s txn', async () => {
    const { root, owner } = await twoHandles();
    const pipeline = owner.pipeline({ depth: 3 });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => pipeline.append(batch(i * 10, 10), fenced(i === 0 ? null : i * 10 - 1, i * 10 + 9))));
    expect(results.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6]);
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.txnVersion('app-t-0')).toBe(59);
    expect((await reopened.read()).numRows).toBe(60);
  });

  it('refuses a fenced batch with TXN_FENCED, aborts the later ones and deletes every file it did not commit', async () => {
    const { root, owner, zombie } = await twoHandles();
    const pipeline = zombie.pipeline({ depth: 3 });
    const first = pipeline.append(batch(0, 10), fenced(null, 9));
    expect(await first).toMatchObject({ skipped: false, version: 1 });
    // The partition moves to another owner, which commits offsets 10..29.
    await owner.refresh();
    await owner.append(batch(10, 20), fenced(9, 29));
    const outcomes = await Promise.allSettled([10, 20, 30].map((from) => pipeline.append(batch(from, 10), fenced(from - 1, from + 9))));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : `${(o.reason as { code: string }).code}/${String((o.reason as { reason?: string }).reason)}`)))
      .toEqual(['COMMIT_CONFLICT/TXN_FENCED', 'PIPELINE_ABORTED/undefined', 'PIPELINE_ABORTED/undefined']);
    await expect(pipeline.flush()).rejects.toMatchObject({ reason: 'TXN_FENCED' });
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.version).toBe(2);
    expect(reopened.txnVersion('app-t-0')).toBe(29);
    expect(dataFiles(root)).toEqual(liveFiles(reopened));
    expect((await reopened.read()).numRows).toBe(30);
  });
});
