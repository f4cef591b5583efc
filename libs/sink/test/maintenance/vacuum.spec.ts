import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, RetentionTooShortError, vacuum } from '../../src/index.js';
import { isVacuumable } from '../../src/maintenance/vacuum.js';
import { telemetryRows, telemetrySchema, tempDir } from '../support/tables.js';
import { exists } from './helpers.js';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((c) => c()));
const DAY = 86_400_000;

/** v1, v2 appends; v3 overwrites s1 (two tombstones); plus an orphan data file, a temp file and things vacuum must not touch. */
async function tableWithGarbage(configuration: Record<string, string> = {}): Promise<{ dir: string; table: DeltaTable; removed: string[] }> {
  const { dir, cleanup } = tempDir('sink-vacuum-');
  dirs.push(cleanup);
  const table = await DeltaTable.create(new LocalFileStore(dir), { schema: telemetrySchema, partitionColumns: ['session'], configuration });
  await table.append(telemetryRows(0, 10, ['s1', 's2']));
  await table.append(telemetryRows(10, 10, ['s1', 's2']));
  const removed = [...table.state.files.values()].filter((f) => f.partitionValues['session'] === 's1').map((f) => decodeURIComponent(f.path)).sort();
  await table.overwrite(telemetryRows(100, 4, ['s1']), { where: { session: 's1' } });
  writeFileSync(join(dir, 'session=s2', 'part-99999-orphan.c000.snappy.parquet'), 'not committed');
  writeFileSync(join(dir, 'session=s2', '.3f0c8a4e-0000-4000-8000-000000000000.tmp'), 'half a file');
  writeFileSync(join(dir, '_delta_log', 'junk.txt'), 'log dir: hands off');
  mkdirSync(join(dir, '_change_data'));
  writeFileSync(join(dir, '_change_data', 'cdc-00000.parquet'), 'referenced by cdc actions');
  return { dir, table, removed };
}

describe('vacuum', () => {
  it('keeps everything within the default 7-day retention; time travel still works', async () => {
    const { table } = await tableWithGarbage();
    const r = await vacuum(table);
    expect(r).toEqual({ dryRun: false, filesDeleted: [], bytes: 0, version: 3 });
    expect((await table.read({ version: 2 })).numRows).toBe(20);
  });

  it('dry run lists expired tombstones and old orphans without deleting; the real run deletes exactly those', async () => {
    const { dir, table, removed } = await tableWithGarbage();
    const live = [...table.state.files.keys()].map((p) => decodeURIComponent(p));
    const now = Date.now() + 8 * DAY;
    const expected = [...removed, 'session=s2/.3f0c8a4e-0000-4000-8000-000000000000.tmp', 'session=s2/part-99999-orphan.c000.snappy.parquet'].sort();

    const dry = await vacuum(table, { dryRun: true, now });
    expect(dry.dryRun).toBe(true);
    expect(dry.filesDeleted).toEqual(expected);
    expect(dry.bytes).toBeGreaterThan(0);
    for (const p of expected) expect(exists(dir, p)).toBe(true);

    const real = await vacuum(table, { now });
    expect(real.filesDeleted).toEqual(expected);
    expect(real.bytes).toBe(dry.bytes);
    for (const p of expected) expect(exists(dir, p)).toBe(false);
    for (const p of live) expect(exists(dir, p)).toBe(true);
    expect(exists(dir, '_delta_log/junk.txt')).toBe(true);
    expect(exists(dir, '_change_data/cdc-00000.parquet')).toBe(true);
    expect((await table.read()).numRows).toBe(14);
    expect((await vacuum(table, { now })).filesDeleted).toEqual([]);
  });

  it('refuses a retention below delta.deletedFileRetentionDuration unless enforceRetention is false', async () => {
    const { dir, table, removed } = await tableWithGarbage();
    const err = await vacuum(table, { retentionHours: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetentionTooShortError);
    expect(err).toMatchObject({ code: 'INVALID_OPTIONS', retriable: false, minimumHours: 168, context: { option: 'retentionHours', version: 3 } });
    for (const p of removed) expect(exists(dir, p)).toBe(true);

    const r = await vacuum(table, { retentionHours: 0, enforceRetention: false, now: Date.now() + 1000 });
    expect(r.filesDeleted).toHaveLength(removed.length + 2);
    await expect(table.read({ version: 2 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await table.read()).numRows).toBe(14);
  });

  it('honours a shorter table property', async () => {
    const { table, removed } = await tableWithGarbage({ 'delta.deletedFileRetentionDuration': 'interval 2 hours' });
    await expect(vacuum(table, { retentionHours: 1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const r = await vacuum(table, { retentionHours: 2, now: Date.now() + 3 * 3_600_000 });
    expect(r.filesDeleted.filter((p) => removed.includes(p))).toEqual(removed);
  });

  it('considers data files and hidden files, never the log or hidden directories', () => {
    expect(isVacuumable('_delta_log/00000000000000000000.json', [])).toBe(false);
    expect(isVacuumable('_delta_log/.abc.tmp', [])).toBe(false);
    expect(isVacuumable('_change_data/x.parquet', [])).toBe(false);
    expect(isVacuumable('.hidden/x.parquet', [])).toBe(false);
    expect(isVacuumable('_SUCCESS', [])).toBe(false);
    expect(isVacuumable('part-0.parquet', [])).toBe(true);
    expect(isVacuumable('.part-0.parquet.crc', [])).toBe(true);
    expect(isVacuumable('_p=1/part-0.parquet', ['_p'])).toBe(true);
    expect(isVacuumable('a=1/b=2/part-0.parquet', ['a', 'b'])).toBe(true);
  });
});
