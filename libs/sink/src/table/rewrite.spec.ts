import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Float64, Int64, Schema, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CommitConflictError, SinkError } from '../errors.js';
import { LocalFileStore } from '../storage/local-file-store.js';
import { DeltaTable } from './delta-table.js';
import { filesChangedSince, rewriteFiles } from './rewrite.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const schema = new Schema([new Field('p', new Utf8(), true), new Field('k', new Int64(), true), new Field('v', new Utf8(), true)]);
const rows = (p: string, ks: number[], v = 'a'): Table =>
  new Table({ p: vectorFromArray(ks.map(() => p), new Utf8()), k: vectorFromArray(ks.map(BigInt), new Int64()), v: vectorFromArray(ks.map(() => v), new Utf8()) });
async function fresh(config: Record<string, string> = {}): Promise<DeltaTable> {
  const dir = mkdtempSync(join(tmpdir(), 'sink-rewrite-'));
  dirs.push(dir);
  return DeltaTable.create(new LocalFileStore(dir), { schema, partitionColumns: ['p'], configuration: config });
}
const keysOf = async (t: DeltaTable): Promise<string[]> => {
  const tbl = await t.read();
  return [...Array(tbl.numRows).keys()].map((i) => `${String(tbl.getChild('p')?.get(i))}:${String(tbl.getChild('k')?.get(i))}:${String(tbl.getChild('v')?.get(i))}`).sort();
};

describe('rewriteFiles', () => {
  it('removes files, adds rows and records txn ids in one commit', async () => {
    const t = await fresh();
    await t.append(rows('x', [1, 2]));
    await t.append(rows('y', [3]));
    const xFile = [...t.state.files.values()].find((f) => f.partitionValues['p'] === 'x');
    const r = await rewriteFiles(t, { remove: [xFile?.path ?? ''], data: rows('x', [1, 2, 9], 'b'), txn: [{ appId: 'm:src', version: 7 }] });
    expect(r).toMatchObject({ skipped: false, version: 3, filesRemoved: 1, filesAdded: 1, rows: 3 });
    expect(await keysOf(t)).toEqual(['x:1:b', 'x:2:b', 'x:9:b', 'y:3:a']);
    expect(t.txnVersion('m:src')).toBe(7);
    const [last] = await t.history(1);
    expect(last?.commitInfo?.operation).toBe('MERGE');
    // the same txn again is a replay: no commit
    expect(await rewriteFiles(t, { data: rows('x', [5]), txn: [{ appId: 'm:src', version: 7 }] })).toMatchObject({ skipped: true, version: 3 });
  });

  it('commits txn ids alone with no data and no removes', async () => {
    const t = await fresh();
    const r = await rewriteFiles(t, { txn: [{ appId: 'a', version: 0 }] });
    expect(r).toMatchObject({ skipped: false, version: 1, filesAdded: 0, filesRemoved: 0 });
  });

  it('refuses a path that is not active, and a schema change without overwriteSchema', async () => {
    const t = await fresh();
    await expect(rewriteFiles(t, { remove: ['nope.parquet'] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', context: { option: 'remove' } });
    const other = new Table({ p: vectorFromArray(['x'], new Utf8()), z: vectorFromArray([1.5], new Float64()) });
    await expect(rewriteFiles(t, { data: other })).rejects.toBeInstanceOf(SinkError);
    expect(t.version).toBe(0);
  });

  it('replaces schema and partition columns with overwriteSchema', async () => {
    const t = await fresh();
    await t.append(rows('x', [1]));
    const other = new Table({ q: vectorFromArray(['a', 'b'], new Utf8()), z: vectorFromArray([1.5, 2.5], new Float64()) });
    const r = await rewriteFiles(t, { remove: [...t.state.files.keys()], data: other, overwriteSchema: true, partitionColumns: ['q'], operation: 'CREATE OR REPLACE TABLE AS SELECT' });
    expect(r).toMatchObject({ skipped: false, filesRemoved: 1, filesAdded: 2 });
    const reopened = await DeltaTable.open(t.store);
    expect(reopened.state.partitionColumns).toEqual(['q']);
    expect(reopened.schema.fields.map((f) => f.name)).toEqual(['q', 'z']);
    expect((await reopened.read()).numRows).toBe(2);
  });

  it('is a conflict when a concurrent commit removed a file it removes, and leaves no new file behind', async () => {
    const t = await fresh();
    await t.append(rows('x', [1]));
    const other = await DeltaTable.open(t.store);
    await other.overwrite(rows('x', [2]));
    const path = [...t.state.files.keys()][0] ?? '';
    await expect(rewriteFiles(t, { remove: [path], data: rows('x', [3]) })).rejects.toBeInstanceOf(CommitConflictError);
    expect(await keysOf(await DeltaTable.open(t.store))).toEqual(['x:2:a']);
  });
});

describe('filesChangedSince', () => {
  it('lists files added and removed between versions, across a checkpoint', async () => {
    const t = await fresh({ 'delta.checkpointInterval': '2' });
    await t.append(rows('x', [1])); // v1
    const since = t.version;
    await t.append(rows('y', [2])); // v2 (checkpoint)
    await t.append(rows('z', [3])); // v3
    const c = await filesChangedSince(t, since);
    expect(c).toMatchObject({ from: 1, to: 3, removed: [] });
    expect(c.added.map((f) => f.partitionValues['p']).sort()).toEqual(['y', 'z']);
    await t.overwrite(rows('y', [4]), { where: { p: 'y' } }); // v4
    const d = await filesChangedSince(t, 3);
    expect(d.added.map((f) => f.partitionValues['p'])).toEqual(['y']);
    expect(d.removed.map((f) => f.partitionValues['p'])).toEqual(['y']);
    expect((await filesChangedSince(t, 4)).added).toEqual([]);
  });

  it('property: applying the change to the old file set gives the new one', async () => {
    const t = await fresh();
    const versions: Set<string>[] = [new Set()];
    for (let i = 0; i < 6; i++) {
      if (i % 3 === 2) await t.overwrite(rows('x', [i]), { where: { p: 'x' } });
      else await t.append(rows(i % 2 === 0 ? 'x' : 'y', [i]));
      versions.push(new Set(t.state.files.keys()));
    }
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), async (a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      const c = await filesChangedSince(t, from, to);
      const next = new Set(versions[from]);
      c.removed.forEach((f) => next.delete(f.path));
      c.added.forEach((f) => next.add(f.path));
      expect([...next].sort()).toEqual([...(versions[to] ?? [])].sort());
    }), { numRuns: 30 });
  });
});
