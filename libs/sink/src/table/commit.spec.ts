import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Int64, Schema, Table, vectorFromArray, Utf8 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { CommitConflictError } from '../errors.js';
import { LocalFileStore } from '../storage/local-file-store.js';
import { DeltaTable } from './delta-table.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
/** Data files on disk, relative to the table root (no `_delta_log`). */
function dataFilesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet') && !f.startsWith('_delta_log'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}
async function twoHandles(): Promise<[DeltaTable, DeltaTable]> {
  const dir = mkdtempSync(join(tmpdir(), 'sink-commit-'));
  dirs.push(dir);
  const store = new LocalFileStore(dir);
  const a = await DeltaTable.create(store, { schema, partitionColumns: ['p'] });
  return [a, await DeltaTable.open(store)];
}
const schema = new Schema([new Field('p', new Utf8(), true), new Field('x', new Int64(), true)]);
const rows = (p: string, xs: number[]): Table =>
  new Table({ p: vectorFromArray(xs.map(() => p), new Utf8()), x: vectorFromArray(xs.map(BigInt), new Int64()) });

describe('commit state machine', () => {
  it('retries a blind append after losing the race', async () => {
    const [a, b] = await twoHandles();
    await a.append(rows('u', [1]));
    const r = await b.append(rows('u', [2]));
    expect(r).toMatchObject({ skipped: false, version: 2, retries: 1 });
    expect((await b.read()).numRows).toBe(2);
  });

  it('skips a txn replay through a stale handle and leaves no orphan data file', async () => {
    const [a, b] = await twoHandles();
    const dir = a.store.location;
    expect(a.version).toBe(b.version);
    const first = await a.append(rows('u', [1, 2]), { txn: [{ appId: 'c', version: 5 }] });
    expect(first).toMatchObject({ skipped: false, version: 1 });
    // b still holds version 0; the replay must be recognised at commit time, not fail as a conflict.
    const replay = await b.append(rows('u', [1, 2]), { txn: [{ appId: 'c', version: 5 }] });
    expect(replay).toMatchObject({ skipped: true, version: 1 });
    expect(replay.skipped && replay.reason).toContain('c@5');
    expect(b.version).toBe(1);
    const all = await b.read();
    expect(all.numRows).toBe(2);
    expect([...(all.getChild('x')?.toArray() as BigInt64Array)].map(Number).sort()).toEqual([1, 2]);
    const live = [...(await b.refresh()).files.keys()].map((p) => decodeURIComponent(p)).sort();
    expect(dataFilesIn(dir)).toEqual(live);
  });

  it('deletes its data files when the commit definitely did not land', async () => {
    const [a, b] = await twoHandles();
    const dir = a.store.location;
    await a.append(rows('u', [1]));
    await expect(b.append(rows('u', [2]), { maxAttempts: 1 })).rejects.toMatchObject({ code: 'COMMIT_RETRIES_EXHAUSTED' });
    await a.append(rows('v', [3]), { txn: [{ appId: 'c', version: 1 }] });
    await expect(b.append(rows('w', [4]), { txn: [{ appId: 'c', version: 2 }] })).rejects.toBeInstanceOf(CommitConflictError);
    const live = [...(await a.refresh()).files.keys()].map((p) => decodeURIComponent(p)).sort();
    expect(dataFilesIn(dir)).toEqual(live);
  });

  it('gives up after maxAttempts with a retriable error', async () => {
    const [a, b] = await twoHandles();
    await a.append(rows('u', [1]));
    await expect(b.append(rows('u', [2]), { maxAttempts: 1 })).rejects.toMatchObject({ code: 'COMMIT_RETRIES_EXHAUSTED', retriable: true });
    await expect(DeltaTable.open(new LocalFileStore(mkdtempSync(join(tmpdir(), 'sink-empty-'))))).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
  });

  it('fails with FILES_REMOVED when a winner removed files an overwrite read', async () => {
    const [a, b] = await twoHandles();
    await a.append(rows('u', [1]));
    await b.refresh();
    await a.overwrite(rows('u', [5]), { where: { p: 'u' } });
    await expect(b.overwrite(rows('u', [6]), { where: { p: 'u' } })).rejects.toMatchObject({ code: 'COMMIT_CONFLICT', reason: 'FILES_REMOVED' });
  });

  it('fails with FILES_ADDED when a winner appended into the partition being replaced', async () => {
    const [a, b] = await twoHandles();
    await a.append(rows('u', [1]));
    await expect(b.overwrite(rows('u', [6]), { where: { p: 'u' } })).rejects.toBeInstanceOf(CommitConflictError);
    await b.refresh();
    expect((await b.overwrite(rows('u', [6]), { where: { p: 'u' } })).skipped).toBe(false);
    // A winner appending elsewhere does not conflict.
    await a.refresh();
    await a.append(rows('v', [9]));
    expect((await b.overwrite(rows('u', [7]), { where: { p: 'u' } })).skipped).toBe(false);
  });

  it('fails with METADATA_CHANGED when a winner evolved the schema', async () => {
    const [a, b] = await twoHandles();
    const wider = new Table({ p: vectorFromArray(['u'], new Utf8()), x: vectorFromArray([1n], new Int64()), y: vectorFromArray(['new'], new Utf8()) });
    await expect(a.append(wider)).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH', context: { columns: ['y'] } });
    await a.append(wider, { mergeSchema: true });
    await expect(b.append(rows('u', [2]))).rejects.toMatchObject({ code: 'COMMIT_CONFLICT', reason: 'METADATA_CHANGED' });
    await b.refresh();
    await b.append(rows('u', [2]));
    const all = await b.read();
    expect(all.schema.fields.map((f) => f.name)).toEqual(['p', 'x', 'y']);
    expect(all.numRows).toBe(2);
    const ys = [...Array(all.numRows).keys()].map((i) => all.getChild('y')?.get(i) as string | null).sort();
    expect(ys).toEqual(['new', null]);
  });

  it('prunes files with a filter', async () => {
    const [a] = await twoHandles();
    await a.append(rows('u', [1, 2]));
    await a.append(rows('v', [3]));
    const only = await a.read({ filter: { column: 'p', op: '=', value: 'v' } });
    expect(only.numRows).toBe(1);
    const byStats = await a.read({ filter: { column: 'x', op: '>', value: 2n } });
    expect(byStats.numRows).toBe(1);
  });
});
