import { afterAll, describe, expect, it } from 'vitest';
import { CommitConflictError, DeltaTable, LocalFileStore, loadSnapshot, readHistory } from '../src/index.js';
import { canonicalRows } from './support/rows.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
function newStore(): LocalFileStore {
  const { dir, cleanup } = tempDir('sink-writer-');
  cleanups.push(cleanup);
  return new LocalFileStore(dir);
}

describe('DeltaTable writer', () => {
  it('creates, appends, overwrites and reads back every version; checkpoints replay like commits', async () => {
    const store = newStore();
    const table = await DeltaTable.create(store, { schema: telemetrySchema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '3' } });
    await expect(DeltaTable.create(store, { schema: telemetrySchema })).rejects.toMatchObject({ code: 'TABLE_EXISTS' });
    const expected: string[][] = [[]];
    let all: string[] = [];
    for (let i = 0; i < 4; i++) {
      const batch = telemetryRows(i * 10, 10, ['s1', 's2', null]);
      const r = await table.append(batch);
      expect(r).toMatchObject({ skipped: false, version: i + 1, rows: 10 });
      all = [...all, ...canonicalRows(batch)].sort();
      expected.push(all);
    }
    // Replace partition s1 only.
    const s1 = telemetryRows(100, 5, ['s1']);
    const ow = await table.overwrite(s1, { where: { session: 's1' } });
    expect(ow).toMatchObject({ skipped: false, version: 5, rows: 5 });
    expect(ow.skipped === false && ow.filesRemoved).toBe(4);
    all = [...all.filter((r) => !r.includes('"session":"s1"')), ...canonicalRows(s1)].sort();
    expected.push(all);
    await expect(table.overwrite(telemetryRows(0, 3), { where: { session: 's1' } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });

    for (let v = 0; v < expected.length; v++) {
      expect(canonicalRows(await table.read({ version: v }))).toEqual(expected[v]);
    }
    expect(canonicalRows(await table.read())).toEqual(all);

    // A checkpoint was written at version 3; replay from it equals replay from JSON.
    const fromCheckpoint = await loadSnapshot(store);
    const fromJson = await loadSnapshot(store, { ignoreCheckpoints: true });
    expect(fromCheckpoint.checkpointVersion).toBe(3);
    expect(fromJson.checkpointVersion).toBeUndefined();
    const strip = (s: typeof fromJson) => ({ protocol: s.protocol, metadata: s.metadata, files: [...s.files.entries()].sort(), txn: [...s.appTransactions.entries()].sort() });
    // Checkpoints store add.dataChange=false (Spark does the same); compare the rest.
    const noDataChange = (s: typeof fromJson) => ({ ...strip(s), files: strip(s).files.map(([k, v]) => [k, { ...v, dataChange: false }]) });
    expect(noDataChange(fromCheckpoint)).toEqual(noDataChange(fromJson));

    const history = await readHistory(store);
    expect(history.map((h) => h.version)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(history[0]?.commitInfo?.operation).toBe('WRITE');
    // Time travel by timestamp: the commit's own timestamp selects it.
    for (const h of history) {
      const newestAtOrBefore = Math.max(...history.filter((o) => o.timestamp <= h.timestamp).map((o) => o.version));
      expect((await table.snapshot({ timestamp: h.timestamp })).version).toBe(newestAtOrBefore);
    }
    await expect(table.snapshot({ timestamp: new Date(0) })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });

  it('skips a txn already committed and refuses schema changes unless mergeSchema', async () => {
    const store = newStore();
    const a = await DeltaTable.create(store, { schema: telemetrySchema });
    const b = await DeltaTable.open(store);
    const r1 = await a.append(telemetryRows(0, 5), { txn: [{ appId: 'p0', version: 7 }, { appId: 'p1', version: 3 }] });
    expect(r1.skipped).toBe(false);
    expect((await a.append(telemetryRows(0, 5), { txn: [{ appId: 'p0', version: 7 }, { appId: 'p1', version: 3 }] })).skipped).toBe(true);
    // A second writer with a stale snapshot and a newer txn version loses with a typed conflict, and skips after refreshing.
    await expect(b.append(telemetryRows(0, 5), { txn: [{ appId: 'p0', version: 8 }] })).rejects.toBeInstanceOf(CommitConflictError);
    await b.refresh();
    expect((await b.append(telemetryRows(0, 5), { txn: [{ appId: 'p0', version: 7 }] })).skipped).toBe(true);
    // A stale writer replaying a txn the winner already recorded (a restarted consumer) skips without a refresh.
    const stale = await DeltaTable.open(store, { version: 0 });
    expect((await stale.append(telemetryRows(0, 5), { txn: [{ appId: 'p0', version: 7 }] })).skipped).toBe(true);
    expect((await a.read()).numRows).toBe(5);
    expect((await loadSnapshot(store)).appTransactions.get('p1')?.version).toBe(3);
  });
});
