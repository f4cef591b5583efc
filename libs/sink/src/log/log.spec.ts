import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSinkError } from '../errors.js';
import { LocalFileStore } from '../storage/local-file-store.js';
import type { Action } from './actions.js';
import { checkpointRows, encodeCheckpoint, tombstoneRetentionMs } from './checkpoint-write.js';
import { HOUR_MS, parseInterval } from './interval.js';
import { parseCheckpoint } from './checkpoint-read.js';
import { commitPath, encodeCommit, parseCommit, parseLogFileName } from './commit-file.js';
import { loadSnapshot } from './snapshot.js';
import { monotonize, readHistory, versionAtTimestamp } from './history.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function store(): LocalFileStore {
  const dir = mkdtempSync(join(tmpdir(), 'sink-log-'));
  dirs.push(dir);
  return new LocalFileStore(dir);
}

const schemaString = JSON.stringify({ type: 'struct', fields: [{ name: 'x', type: 'long', nullable: true, metadata: {} }] });
const genesis: Action[] = [
  { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
  { metaData: { id: 'id-1', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {}, createdTime: 1 } },
  { commitInfo: { timestamp: 1000, operation: 'CREATE TABLE' } },
];
const add = (path: string, ts: number): Action[] => [
  { add: { path, partitionValues: {}, size: 10, modificationTime: ts, dataChange: true, stats: '{"numRecords":1}' } },
  { commitInfo: { timestamp: ts, operation: 'WRITE' } },
];

describe('commit files', () => {
  it('names versions with 20 digits and recognises log files', () => {
    expect(commitPath(42)).toBe('_delta_log/00000000000000000042.json');
    expect(parseLogFileName('_delta_log/00000000000000000042.checkpoint.0000000002.0000000003.parquet')).toEqual({ kind: 'checkpoint', version: 42, part: 2, parts: 3 });
    expect(parseLogFileName('_delta_log/.abc.tmp')).toBeUndefined();
  });

  it('round-trips actions and names table/version/line on bad input', () => {
    expect(parseCommit(encodeCommit(genesis), { version: 0 })).toEqual(genesis);
    const bad = new TextEncoder().encode('{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}\n{"add":{"path":1}}\n');
    try {
      parseCommit(bad, { table: '/t', version: 7 });
      expect.unreachable();
    } catch (error) {
      expect(isSinkError(error) && error.code).toBe('INVALID_LOG');
      expect(isSinkError(error) && error.context).toMatchObject({ table: '/t', version: 7, line: 2 });
    }
  });
});

describe('checkpoint rows', () => {
  it('drop tombstones older than delta.deletedFileRetentionDuration', async () => {
    const s = store();
    await s.putIfAbsent(commitPath(0), encodeCommit(genesis));
    await s.putIfAbsent(commitPath(1), encodeCommit([
      { remove: { path: 'old.parquet', deletionTimestamp: 1_000, dataChange: true } },
      { remove: { path: 'new.parquet', deletionTimestamp: 9_000_000, dataChange: true } },
    ]));
    const snap = await loadSnapshot(s);
    const removed = (cfg: Record<string, string>) =>
      checkpointRows({ ...snap, configuration: cfg }, 10_000_000).flatMap((r) => (r.remove ? [r.remove['path']] : []));
    expect(removed({})).toEqual(['old.parquet', 'new.parquet']); // both younger than the default week
    expect(removed({ 'delta.deletedFileRetentionDuration': 'interval 1 hour' })).toEqual(['new.parquet']);
    expect(tombstoneRetentionMs({ 'delta.deletedFileRetentionDuration': 'interval 2 days' })).toBe(172_800_000);
  });

  it('parses retention intervals with the one grammar the maintenance commands use', () => {
    // Same grammar as parseInterval: the "interval" keyword is optional, unknown text falls back to the default week.
    expect(tombstoneRetentionMs({ 'delta.deletedFileRetentionDuration': '2 hours' })).toBe(2 * HOUR_MS);
    expect(tombstoneRetentionMs({ 'delta.deletedFileRetentionDuration': 'soon' })).toBe(168 * HOUR_MS);
    expect(tombstoneRetentionMs({})).toBe(168 * HOUR_MS);
    expect(parseInterval('interval 3 minutes')).toBe(180_000);
    expect(parseInterval(undefined)).toBeUndefined();
  });
});

describe('replay', () => {
  it('reconciles add/remove, time-travels, and refuses gaps and unknown features', async () => {
    const s = store();
    await s.putIfAbsent(commitPath(0), encodeCommit(genesis));
    await s.putIfAbsent(commitPath(1), encodeCommit(add('a.parquet', 2000)));
    await s.putIfAbsent(commitPath(2), encodeCommit([{ remove: { path: 'a.parquet', deletionTimestamp: 3000, dataChange: true } }, ...add('b.parquet', 3000)]));
    expect(await s.putIfAbsent(commitPath(2), encodeCommit([]))).toEqual({ ok: false, reason: 'EXISTS' });
    const snap = await loadSnapshot(s);
    expect(snap.version).toBe(2);
    expect([...snap.files.keys()]).toEqual(['b.parquet']);
    expect([...snap.tombstones.keys()]).toEqual(['a.parquet']);
    expect([...(await loadSnapshot(s, { version: 1 })).files.keys()]).toEqual(['a.parquet']);
    expect(await versionAtTimestamp(s, 2500)).toBe(1);
    await expect(versionAtTimestamp(s, 10)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });

    // Checkpoint at 2 replays to the same state as the JSON commits.
    const cp = encodeCheckpoint(snap);
    const back = parseCheckpoint(cp.bytes, { version: 2, file: 'cp' });
    expect(back.filter((a) => 'add' in a).map((a) => ('add' in a ? a.add.path : ''))).toEqual(['b.parquet']);
    await s.write('_delta_log/00000000000000000002.checkpoint.parquet', cp.bytes);
    await s.delete(commitPath(0));
    const fromCp = await loadSnapshot(s);
    expect(fromCp.checkpointVersion).toBe(2);
    expect([...fromCp.files.values()].map((f) => f.path)).toEqual(['b.parquet']);
    expect(fromCp.metadata).toEqual(snap.metadata);
    await expect(loadSnapshot(s, { version: 1 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });

    // Multi-part checkpoint: parts are only used when all of them exist.
    const part1 = encodeCheckpoint({ ...snap, files: new Map(), tombstones: new Map() }).bytes;
    await s.write('_delta_log/00000000000000000002.checkpoint.0000000001.0000000002.parquet', part1);
    await s.delete('_delta_log/00000000000000000002.checkpoint.parquet');
    await s.delete(commitPath(1));
    await expect(loadSnapshot(s)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    await s.write('_delta_log/00000000000000000002.checkpoint.0000000002.0000000002.parquet', cp.bytes);
    const fromParts = await loadSnapshot(s);
    expect(fromParts.checkpointVersion).toBe(2);
    expect([...fromParts.files.keys()]).toEqual(['b.parquet']);

    await s.putIfAbsent(commitPath(4), encodeCommit(add('c.parquet', 5000)));
    await expect(loadSnapshot(s)).rejects.toMatchObject({ code: 'VERSION_GAP', context: { version: 3 } });
    await s.putIfAbsent(commitPath(3), encodeCommit([{ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } }]));
    await expect(loadSnapshot(s)).rejects.toMatchObject({ code: 'UNSUPPORTED_PROTOCOL' });
    await s.delete(commitPath(3));
    await s.putIfAbsent(commitPath(3), encodeCommit([{ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz', 'appendOnly'] } }]));
    expect((await loadSnapshot(s)).version).toBe(4);
    await s.putIfAbsent(commitPath(5), encodeCommit([{ protocol: { minReaderVersion: 2, minWriterVersion: 5 } }, { metaData: { ...snap.metadata, configuration: { 'delta.columnMapping.mode': 'name' } } }]));
    await expect(loadSnapshot(s)).rejects.toThrow(/columnMapping/);
  });
});

describe('tolerant reading (PROTOCOL.md: readers ignore what they do not know)', () => {
  const bytes = (lines: string[]): Uint8Array => new TextEncoder().encode(lines.join('\n') + '\n');

  it('ignores unknown action kinds, unknown fields inside known actions, and any commitInfo', () => {
    const parsed = parseCommit(
      bytes([
        '{"commitInfo":{"timestamp":"yesterday","operation":{"nested":true},"inCommitTimestamp":5,"anything":[1,2]}}',
        '{"protocol":{"minReaderVersion":1,"minWriterVersion":2,"futureField":"x"}}',
        '{"someFutureAction":{"a":1}}',
        '{"cdc":{"path":"_change_data/x.parquet","partitionValues":{},"size":1,"dataChange":false}}',
        '{"domainMetadata":{"domain":"d","configuration":"{}","removed":false}}',
        '{}',
        '{"add":{"path":"a.parquet","partitionValues":{},"size":10,"modificationTime":1,"dataChange":true,"newAddField":{"deep":1}}}',
      ]),
      { table: '/t', version: 3 },
    );
    expect(parsed).toEqual([
      { commitInfo: { inCommitTimestamp: 5, anything: [1, 2] } },
      { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
      { add: { path: 'a.parquet', partitionValues: {}, size: 10, modificationTime: 1, dataChange: true } },
    ]);
    expect(parseCommit(bytes(['{"commitInfo":null}', '{"commitInfo":"free text"}']), { version: 1 })).toEqual([{ commitInfo: {} }, { commitInfo: {} }]);
  });

  it('still refuses malformed known actions and lines that are not JSON objects', () => {
    expect(() => parseCommit(bytes(['{"add":{"path":"a"}}']), { version: 1 })).toThrow(/INVALID_LOG/);
    expect(() => parseCommit(bytes(['[1]']), { version: 1 })).toThrow(/INVALID_LOG/);
  });

  it('a table with unknown actions in its log loads', async () => {
    const s = store();
    await s.putIfAbsent(commitPath(0), encodeCommit(genesis));
    await s.putIfAbsent(commitPath(1), bytes(['{"newKindOfAction":{"x":1}}', JSON.stringify(add('a.parquet', 2000)[0])]));
    expect([...(await loadSnapshot(s)).files.keys()]).toEqual(['a.parquet']);
  });
});

describe('time travel by timestamp with skewed commit clocks (#8.13c, as Spark\'s DeltaHistoryManager)', () => {
  it('a commit timestamp not after its predecessor counts as predecessor + 1 ms', async () => {
    const s = store();
    await s.putIfAbsent(commitPath(0), encodeCommit(genesis)); // 1000
    for (const [v, ts] of [[1, 5000], [2, 3000], [3, 3000], [4, 6000]] as const) await s.putIfAbsent(commitPath(v), encodeCommit(add(`f${v}.parquet`, ts)));
    // Adjusted: 1000, 5000, 5001, 5002, 6000.
    expect((await readHistory(s)).map((r) => [r.version, r.timestamp])).toEqual([[4, 6000], [3, 5002], [2, 5001], [1, 5000], [0, 1000]]);
    const at = async (t: number): Promise<number> => versionAtTimestamp(s, t);
    expect(await at(4000)).toBe(0); // raw timestamps would give version 3 (3000 ≤ 4000), a state after version 1's 5000
    expect(await at(5000)).toBe(1);
    expect(await at(5001)).toBe(2);
    expect(await at(5002)).toBe(3);
    expect(await at(5999)).toBe(3);
    expect(await at(6000)).toBe(4);
    await expect(at(999)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    expect(monotonize([{ version: 0, timestamp: 5 }, { version: 1, timestamp: 5 }, { version: 2, timestamp: 1 }]).map((r) => r.timestamp)).toEqual([5, 6, 7]);
  });
});
