import { Float64, Table, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot, type Snapshot } from '../src/index.js';
import { canonicalRows } from './support/rows.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/**
 * A reader's refresh() applies only the commits that are new, and must end
 * up exactly where a fresh load of the log does, across appends,
 * overwrites, schema changes, txns and checkpoints.
 */
const { dir, cleanup } = tempDir('sink-refresh-');
afterAll(cleanup);

class CountingStore extends LocalFileStore {
  reads: string[] = [];
  override read(path: string): Promise<Uint8Array> {
    this.reads.push(path);
    return super.read(path);
  }
}

function state(s: Snapshot): unknown {
  return {
    version: s.version, metadata: s.metadata, protocol: s.protocol,
    files: [...s.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    txns: [...s.appTransactions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

describe('refresh', () => {
  it('reads only the new commits, and matches a fresh load after every kind of write', async () => {
    const writer = await DeltaTable.create(new LocalFileStore(dir), { schema: telemetrySchema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '4' } });
    const store = new CountingStore(dir);
    const reader = await DeltaTable.open(store);
    const steps: (() => Promise<unknown>)[] = [
      () => writer.append(telemetryRows(0, 10), { txn: [{ appId: 'p0', version: 1 }] }),
      () => writer.append(telemetryRows(10, 10), { txn: [{ appId: 'p0', version: 2 }, { appId: 'p1', version: 7 }] }),
      () => writer.overwrite(telemetryRows(100, 4, ['s1']), { where: { session: 's1' } }),
      () => writer.append(telemetryRows(200, 6).assign(new Table({ extra: vectorFromArray(Array.from({ length: 6 }, () => 2.5), new Float64()) })), { mergeSchema: true }),
      () => writer.append(telemetryRows(300, 3)), // version 5, after the checkpoint at 4
    ];
    for (const [i, step] of steps.entries()) {
      await step();
      store.reads = [];
      const refreshed = await reader.refresh();
      const fresh = await loadSnapshot(new LocalFileStore(dir));
      expect(state(refreshed)).toEqual(state(fresh));
      expect(canonicalRows(await reader.read())).toEqual(canonicalRows(await writer.read()));
      const version = i + 1;
      if (version === 4) {
        // A new checkpoint: loaded from it, no commit file replayed.
        expect(store.reads.some((p) => p.endsWith('00000000000000000004.checkpoint.parquet'))).toBe(true);
        expect(store.reads.filter((p) => p.endsWith('.json'))).toEqual([]);
      } else {
        expect(store.reads.filter((p) => p.includes('_delta_log/'))).toEqual([`_delta_log/${String(version).padStart(20, '0')}.json`]);
      }
    }
    // Nothing new: nothing read.
    store.reads = [];
    await reader.refresh();
    expect(store.reads).toEqual([]);
  });

  it('loads from scratch when commits it would need are gone', async () => {
    const { dir: other, cleanup: done } = tempDir('sink-refresh-gap-');
    try {
      const writer = await DeltaTable.create(new LocalFileStore(other), { schema: telemetrySchema });
      const reader = await DeltaTable.open(new LocalFileStore(other));
      for (let i = 0; i < 3; i++) await writer.append(telemetryRows(i * 5, 5));
      const { rm } = await import('node:fs/promises');
      await rm(`${other}/_delta_log/00000000000000000001.json`);
      // Version 1 is missing and there is no checkpoint: the log cannot be replayed.
      await expect(reader.refresh()).rejects.toMatchObject({ code: expect.stringMatching(/VERSION_GAP|VERSION_NOT_FOUND|TABLE_NOT_FOUND|INVALID_LOG/) });
    } finally {
      done();
    }
  });
});
