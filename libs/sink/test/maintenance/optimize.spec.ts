import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot, optimize } from '../../src/index.js';
import { canonicalRows } from '../support/rows.js';
import { telemetryRows, telemetrySchema, tempDir } from '../support/tables.js';
import { RacingStore, exists, logActions } from './helpers.js';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((c) => c()));

/** A table partitioned by session with `commits` small appends over s1/s2 (two files per commit). */
async function smallFiles(commits: number, configuration: Record<string, string> = {}): Promise<{ dir: string; table: DeltaTable }> {
  const { dir, cleanup } = tempDir('sink-optimize-');
  dirs.push(cleanup);
  const table = await DeltaTable.create(new LocalFileStore(dir), { schema: telemetrySchema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '100', ...configuration } });
  for (let i = 0; i < commits; i++) await table.append(telemetryRows(i * 10, 10, ['s1', 's2']));
  return { dir, table };
}

describe('optimize', () => {
  it('compacts each partition into fewer files in one dataChange=false commit; rows and time travel unchanged', async () => {
    const { dir, table } = await smallFiles(6);
    const before = canonicalRows(await table.read());
    const beforeFiles = new Set(table.state.files.keys());
    expect(beforeFiles.size).toBe(12);
    const bytesBefore = [...table.state.files.values()].reduce((n, f) => n + f.size, 0);

    const r = await optimize(table, { targetFileSize: 1 << 20 });
    expect(r).toMatchObject({ version: 7, filesRemoved: 12, filesAdded: 2, partitionsOptimized: 2, rows: 60 });
    expect(r.bytesBefore).toBe(bytesBefore);
    expect(r.bytesAfter).toBe([...table.state.files.values()].reduce((n, f) => n + f.size, 0));
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    expect(table.version).toBe(7);

    const fresh = await DeltaTable.open(new LocalFileStore(dir));
    expect(fresh.state.files.size).toBe(2);
    expect(canonicalRows(await fresh.read())).toEqual(before);
    for (const add of fresh.state.files.values()) expect(add.partitionValues['session']).toMatch(/^s[12]$/);
    // Time travel to the last pre-optimize version reads the old files, which are still on disk.
    expect(canonicalRows(await fresh.read({ version: 6 }))).toEqual(before);
    expect((await fresh.snapshot({ version: 6 })).files.size).toBe(12);

    const v7 = logActions(dir).filter((a) => a.version === 7);
    const info = v7.find((a) => 'commitInfo' in a.action)?.action['commitInfo'];
    expect(info).toMatchObject({ operation: 'OPTIMIZE', isBlindAppend: false, operationMetrics: { numRemovedFiles: '12', numAddedFiles: '2' } });
    const removes = v7.filter((a) => 'remove' in a.action).map((a) => a.action['remove']);
    const adds = v7.filter((a) => 'add' in a.action).map((a) => a.action['add']);
    expect(removes).toHaveLength(12);
    expect(adds).toHaveLength(2);
    for (const x of [...removes, ...adds]) expect(x?.['dataChange']).toBe(false);
    expect(new Set(removes.map((x) => x?.['path']))).toEqual(beforeFiles);
    // Stats of the new files are complete.
    for (const add of adds) expect(JSON.parse(String(add?.['stats']))).toMatchObject({ numRecords: 30 });

    // Nothing left to do: no commit.
    expect(await optimize(table, { targetFileSize: 1 << 20 })).toMatchObject({ version: undefined, filesRemoved: 0 });
    expect(table.version).toBe(7);

    // DuckDB, independently: reconcile the JSON log and compare live files and row count with our snapshot.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const q = async (sql: string): Promise<Record<string, unknown>[]> => (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    const live = await q(`WITH a AS (
        SELECT regexp_extract(filename, '(\\d{20})\\.json$', 1)::BIGINT AS version, coalesce(add.path, remove.path) AS path, add IS NOT NULL AS is_add
        FROM read_json('${join(dir, '_delta_log')}/*.json', format='newline_delimited', filename=true, union_by_name=true,
          columns={add: 'STRUCT(path VARCHAR)', remove: 'STRUCT(path VARCHAR)'})
        WHERE add IS NOT NULL OR remove IS NOT NULL)
      SELECT path FROM a QUALIFY row_number() OVER (PARTITION BY path ORDER BY version DESC, is_add ASC) = 1 AND is_add ORDER BY path`);
    expect(live.map((row) => row['path'])).toEqual([...fresh.state.files.keys()].sort());
    const paths = live.map((row) => `'${join(dir, decodeURIComponent(String(row['path'])))}'`).join(',');
    const [count] = await q(`SELECT count(*) AS n FROM read_parquet([${paths}])`);
    expect(Number(count?.['n'])).toBe(60);
    db.closeSync();
  });

  it('only touches the partitions `where` selects, and leaves big files alone', async () => {
    const { table } = await smallFiles(4);
    const s2 = [...table.state.files.values()].filter((f) => f.partitionValues['session'] === 's2').map((f) => f.path).sort();
    const r = await optimize(table, { where: { session: 's1' }, targetFileSize: 1 << 20 });
    expect(r).toMatchObject({ filesRemoved: 4, filesAdded: 1, partitionsOptimized: 1 });
    const after = [...table.state.files.values()];
    expect(after.filter((f) => f.partitionValues['session'] === 's2').map((f) => f.path).sort()).toEqual(s2);
    expect(after.filter((f) => f.partitionValues['session'] === 's1')).toHaveLength(1);
    await expect(optimize(table, { where: { car: '1' } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', context: { option: 'where' } });

    // minFileSize below every file: nothing is small, nothing happens.
    expect(await optimize(table, { targetFileSize: 1 << 20, minFileSize: 1 })).toMatchObject({ version: undefined });
  });

  it('splits a partition into several target-size files', async () => {
    const { table } = await smallFiles(8);
    const sizes = [...table.state.files.values()].map((f) => f.size);
    const avg = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const before = canonicalRows(await table.read());
    const r = await optimize(table, { targetFileSize: Math.floor(avg * 3.5), minFileSize: Math.floor(avg * 3) });
    expect(r.filesRemoved).toBe(16);
    expect(r.filesAdded).toBeGreaterThan(2);
    expect(r.filesAdded).toBeLessThan(16);
    expect(canonicalRows(await table.read())).toEqual(before);
  });

  it('fails with FILES_REMOVED when a concurrent commit removed a file being compacted, and cleans up its new files', async () => {
    const { dir } = await smallFiles(3);
    const other = await DeltaTable.open(new LocalFileStore(dir));
    const racing = await DeltaTable.open(new RacingStore(new LocalFileStore(dir), async () => {
      await other.overwrite(telemetryRows(1000, 4, ['s1']), { where: { session: 's1' } });
    }));
    const dataFilesBefore = (await new LocalFileStore(dir).list('')).filter((f) => !f.path.startsWith('_delta_log/')).length;
    await expect(optimize(racing, { targetFileSize: 1 << 20 })).rejects.toMatchObject({ code: 'COMMIT_CONFLICT', reason: 'FILES_REMOVED' });
    const snap = await loadSnapshot(new LocalFileStore(dir));
    expect(snap.version).toBe(4);
    // Our compacted files were deleted; only the winner's new file was added.
    const dataFilesAfter = (await new LocalFileStore(dir).list('')).filter((f) => !f.path.startsWith('_delta_log/')).length;
    expect(dataFilesAfter).toBe(dataFilesBefore + 1);
    for (const p of snap.files.keys()) expect(exists(dir, decodeURIComponent(p))).toBe(true);
  });

  it('retries past a concurrent blind append and keeps its rows', async () => {
    const { dir } = await smallFiles(3);
    const other = await DeltaTable.open(new LocalFileStore(dir));
    const racing = await DeltaTable.open(new RacingStore(new LocalFileStore(dir), async () => {
      await other.append(telemetryRows(5000, 6, ['s1', 's2']));
    }));
    const r = await optimize(racing, { targetFileSize: 1 << 20 });
    expect(r).toMatchObject({ version: 5, retries: 1, filesRemoved: 6, filesAdded: 2 });
    const all = await (await DeltaTable.open(new LocalFileStore(dir))).read();
    expect(all.numRows).toBe(36);
    expect(racing.state.files.size).toBe(4);
  });
});
