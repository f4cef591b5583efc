import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, checkpoint, cleanupLog, commitPath, loadSnapshot } from '../../src/index.js';
import { canonicalRows } from '../support/rows.js';
import { telemetryRows, telemetrySchema, tempDir } from '../support/tables.js';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((c) => c()));
const DAY = 86_400_000;

/** Versions 0..10 with checkpoints at 3, 6, 9 (interval 3); rows at every version recorded. */
async function tableWithCheckpoints(configuration: Record<string, string> = {}): Promise<{ dir: string; table: DeltaTable; rowsAt: Map<number, string[]> }> {
  const { dir, cleanup } = tempDir('sink-logclean-');
  dirs.push(cleanup);
  const table = await DeltaTable.create(new LocalFileStore(dir), { schema: telemetrySchema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '3', ...configuration } });
  for (let i = 0; i < 10; i++) {
    if (i === 5) await table.overwrite(telemetryRows(900, 3, ['s1']), { where: { session: 's1' } });
    else await table.append(telemetryRows(i * 4, 4, ['s1', 's2']));
  }
  const rowsAt = new Map<number, string[]>();
  for (let v = 0; v <= 10; v++) rowsAt.set(v, canonicalRows(await table.read({ version: v })));
  return { dir, table, rowsAt };
}

const logFiles = (dir: string): string[] => readdirSync(join(dir, '_delta_log')).sort();
const age = (dir: string, path: string, ms: number): void => {
  const t = new Date(Date.now() - ms);
  utimesSync(join(dir, path), t, t);
};

async function expectLoadsFrom(dir: string, oldest: number, rowsAt: Map<number, string[]>): Promise<void> {
  const table = await DeltaTable.open(new LocalFileStore(dir));
  expect(table.version).toBe(10);
  for (let v = oldest; v <= 10; v++) expect(canonicalRows(await table.read({ version: v }))).toEqual(rowsAt.get(v));
  if (oldest > 0) await expect(loadSnapshot(new LocalFileStore(dir), { version: oldest - 1 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
}

describe('cleanupLog', () => {
  it('deletes nothing while the log is within the 30-day default retention', async () => {
    const { dir, table } = await tableWithCheckpoints();
    const before = logFiles(dir);
    const r = await cleanupLog(table);
    expect(r).toMatchObject({ checkpointVersion: undefined, oldestVersion: 0, filesDeleted: [] });
    expect(logFiles(dir)).toEqual(before);
  });

  it('removes everything before the newest checkpoint once all of it is expired; loads at every remaining version', async () => {
    const { dir, table, rowsAt } = await tableWithCheckpoints();
    const dry = await cleanupLog(table, { now: Date.now() + 31 * DAY, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, checkpointVersion: 9, commitsDeleted: [0, 1, 2, 3, 4, 5, 6, 7, 8], checkpointsDeleted: [3, 6] });
    expect(logFiles(dir)).toContain('00000000000000000000.json');

    const r = await cleanupLog(table, { now: Date.now() + 31 * DAY });
    expect(r).toMatchObject({ checkpointVersion: 9, oldestVersion: 9, commitsDeleted: dry.commitsDeleted, checkpointsDeleted: [3, 6] });
    expect(logFiles(dir)).toEqual(['00000000000000000009.checkpoint.parquet', '00000000000000000009.json', '00000000000000000010.json', '_last_checkpoint']);
    await expectLoadsFrom(dir, 9, rowsAt);
    expect((await table.history()).map((c) => c.version)).toEqual([10, 9]);
  });

  it('only deletes the expired prefix that a checkpoint covers', async () => {
    const { dir, table, rowsAt } = await tableWithCheckpoints();
    // Commits 0..4 and checkpoint 3 are 40 days old; the rest is new.
    for (let v = 0; v <= 4; v++) age(dir, commitPath(v), 40 * DAY);
    age(dir, '_delta_log/00000000000000000003.checkpoint.parquet', 40 * DAY);
    const r = await cleanupLog(table);
    expect(r).toMatchObject({ checkpointVersion: 3, commitsDeleted: [0, 1, 2], checkpointsDeleted: [] });
    await expectLoadsFrom(dir, 3, rowsAt);

    // A gap in expiry (commit 5 new, 6 old) stops the prefix at 5: checkpoint 6 is not a boundary yet.
    age(dir, commitPath(6), 40 * DAY);
    expect(await cleanupLog(table)).toMatchObject({ checkpointVersion: 3, commitsDeleted: [] });
  });

  it('reads delta.logRetentionDuration and removes old crashed-commit temp files', async () => {
    const { dir, table, rowsAt } = await tableWithCheckpoints({ 'delta.logRetentionDuration': 'interval 1 days' });
    const tmp = '_delta_log/.3f0c8a4e-0000-4000-8000-000000000000.tmp';
    writeFileSync(join(dir, tmp), '{"commitInfo":');
    age(dir, tmp, 2 * DAY);
    const r = await cleanupLog(table, { now: Date.now() + 2 * DAY });
    expect(r.checkpointVersion).toBe(9);
    expect(r.filesDeleted).toContain(tmp);
    await expectLoadsFrom(dir, 9, rowsAt);
  });
});

describe('log cleanup after checkpoints (delta.enableExpiredLogCleanup)', () => {
  it('a writer deletes expired commits a new checkpoint covers, and keeps them when the table says false', async () => {
    for (const enabled of [true, false]) {
      const { dir, cleanup } = tempDir('sink-autoclean-');
      dirs.push(cleanup);
      const configuration = { 'delta.checkpointInterval': '3', ...(enabled ? {} : { 'delta.enableExpiredLogCleanup': 'false' }) };
      const table = await DeltaTable.create(new LocalFileStore(dir), { schema: telemetrySchema, configuration });
      for (let i = 0; i < 4; i++) await table.append(telemetryRows(i * 4, 4));
      // Versions 0..4 now 40 days old (past the 30-day default); the checkpoint at 6 is written by a writer.
      for (let v = 0; v <= 4; v++) age(dir, commitPath(v), 40 * DAY);
      age(dir, '_delta_log/00000000000000000003.checkpoint.parquet', 40 * DAY);
      const before = canonicalRows(await table.read());
      await table.append(telemetryRows(16, 4));
      const result = await table.append(telemetryRows(100, 4));
      expect(result).toMatchObject({ version: 6, checkpoint: '_delta_log/00000000000000000006.checkpoint.parquet' });
      expect(result).not.toHaveProperty('postCommitError');
      const commits = logFiles(dir).filter((f) => f.endsWith('.json'));
      if (enabled) expect(commits[0]).toBe('00000000000000000003.json'); // 0..2 expired and covered by checkpoint 3
      else expect(commits[0]).toBe('00000000000000000000.json');
      const reopened = await DeltaTable.open(new LocalFileStore(dir));
      expect(reopened.version).toBe(6);
      expect(canonicalRows(await reopened.read({ version: 4 }))).toEqual(before);
    }
  });
});

describe('post-commit failures', () => {
  it('a checkpoint that cannot be written is reported on a commit that landed', async () => {
    const { dir, cleanup } = tempDir('sink-postcommit-');
    dirs.push(cleanup);
    class NoCheckpoints extends LocalFileStore {
      override write(path: string, bytes: Uint8Array): Promise<void> {
        return path.endsWith('.checkpoint.parquet') ? Promise.reject(new Error('disk full (test)')) : super.write(path, bytes);
      }
    }
    const table = await DeltaTable.create(new NoCheckpoints(dir), { schema: telemetrySchema, configuration: { 'delta.checkpointInterval': '2' } });
    await table.append(telemetryRows(0, 2));
    const result = await table.append(telemetryRows(2, 2));
    expect(result).toMatchObject({ skipped: false, version: 2, postCommitError: expect.objectContaining({ message: expect.stringContaining('disk full') }) });
    expect((await DeltaTable.open(new LocalFileStore(dir))).version).toBe(2);
  });
});

describe('checkpoint', () => {
  it('writes a checkpoint at the latest version on demand, which later loads start from', async () => {
    const { dir, table, rowsAt } = await tableWithCheckpoints();
    const r = await checkpoint(table);
    expect(r).toMatchObject({ version: 10, path: '_delta_log/00000000000000000010.checkpoint.parquet' });
    expect(r.rows).toBeGreaterThan(2);
    const snap = await loadSnapshot(new LocalFileStore(dir));
    expect(snap.checkpointVersion).toBe(10);
    expect(canonicalRows(await (await DeltaTable.open(new LocalFileStore(dir))).read())).toEqual(rowsAt.get(10));
    const fromJson = await loadSnapshot(new LocalFileStore(dir), { ignoreCheckpoints: true });
    expect([...snap.files.keys()].sort()).toEqual([...fromJson.files.keys()].sort());
    // Log cleanup can now cut at 10.
    expect(await cleanupLog(table, { now: Date.now() + 31 * DAY })).toMatchObject({ checkpointVersion: 10, oldestVersion: 10 });
    await expectLoadsFrom(dir, 10, rowsAt);
  });
});
