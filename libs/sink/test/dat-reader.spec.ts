import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot } from '../src/index.js';
import { canonicalRows, expectedRows } from './support/rows.js';

/**
 * Reader conformance against the Delta Acceptance Testing tables copied into
 * test/dat (see test/dat/NOTICE): every expected version reads to exactly
 * its expected rows, order-insensitively.
 */
const DAT = join(import.meta.dirname, 'dat');
const cases = readdirSync(DAT).filter((n) => !n.includes('.') && n !== 'NOTICE');
describe('DAT reader conformance', () => {
  for (const name of cases) {
    const dir = join(DAT, name);
    for (const expected of readdirSync(join(dir, 'expected'))) {
      it(`${name} @ ${expected}`, async () => {
        const meta = JSON.parse(readFileSync(join(dir, 'expected', expected, 'table_version_metadata.json'), 'utf8')) as { version: number };
        const store = new LocalFileStore(join(dir, 'delta'));
        const table = await DeltaTable.open(store, expected === 'latest' ? {} : { version: meta.version });
        expect(table.version).toBe(meta.version);
        const rows = canonicalRows(await table.read(expected === 'latest' ? {} : { version: meta.version }));
        expect(rows).toEqual(expectedRows(dir, expected));
      });
    }
  }
});

describe('DAT log replay', () => {
  it('checkpoint + commits and JSON-only replay agree where the JSON history is complete', async () => {
    for (const name of ['with_checkpoint', 'no_stats', 'stats_as_struct']) {
      const store = new LocalFileStore(join(DAT, name, 'delta'));
      const fromCheckpoint = await loadSnapshot(store);
      const fromJson = await loadSnapshot(store, { ignoreCheckpoints: true });
      expect(fromCheckpoint.checkpointVersion, name).toBe(2);
      expect([...fromCheckpoint.files.keys()].sort(), name).toEqual([...fromJson.files.keys()].sort());
      expect(fromCheckpoint.metadata, name).toEqual(fromJson.metadata);
    }
    // This checkpoint carries no JSON stats: files without stats are never skipped.
    const store = new LocalFileStore(join(DAT, 'stats_as_struct', 'delta'));
    const s = await loadSnapshot(store, { version: 2 });
    for (const add of s.files.values()) expect(add.stats ?? undefined).toBeUndefined();
    const table = await DeltaTable.open(store, { version: 2 });
    const all = await table.read({ version: 2 });
    expect((await table.read({ version: 2, filter: { column: 'int', op: '>', value: 1_000_000 } })).numRows).toBe(all.numRows);
  });

  it('refuses versions cleaned up before the checkpoint', async () => {
    const store = new LocalFileStore(join(DAT, 'no_replay', 'delta'));
    await expect(loadSnapshot(store, { version: 1 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    expect((await loadSnapshot(store)).version).toBe(3);
  });
});
