import { readdirSync } from 'node:fs';
import { Float64, Table, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, StorageError, type WriteResult } from '../src/index.js';
import { canonicalRows } from './support/rows.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/**
 * The append pipeline overlaps encoding with commits but must commit in
 * call order with contiguous versions and txn versions, report outcomes in
 * that order, and after a failure commit nothing more.
 */
const { dir, cleanup } = tempDir('sink-pipeline-');
afterAll(cleanup);

const batch = (i: number) => telemetryRows(i * 3_000, 3_000, ['s1', 's2', 's3']);
const dataFiles = (root: string): string[] => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.parquet') && !p.includes('_delta_log'));

describe('append pipeline', () => {
  it('commits overlapping micro-batches in call order, each with its txn version', async () => {
    const root = `${dir}/order`;
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '4' } });
    const pipeline = table.pipeline({ depth: 3 });
    const settled: number[] = [];
    const results = Array.from({ length: 10 }, (_, i) => pipeline.append(batch(i), { txn: [{ appId: 'p0', version: i }] }).then((r) => (settled.push(i), r)));
    // Reads on the same handle meanwhile must not move it back under the pipeline.
    const reads = [0, 1, 2].map(() => table.read());
    const all = await Promise.all(results);
    await Promise.all(reads);
    expect(settled).toEqual([...settled].sort((a, b) => a - b));
    expect(all.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.version).toBe(10);
    expect(reopened.state.appTransactions.get('p0')?.version).toBe(9);
    // Version k holds exactly the first k batches.
    for (const k of [1, 5, 10]) {
      const expected = canonicalRows(telemetryRows(0, k * 3_000, ['s1', 's2', 's3']));
      expect(canonicalRows(await reopened.read({ version: k }))).toEqual(expected);
    }
    const history = await reopened.history();
    expect(history.find((c) => c.version === 10)?.commitInfo?.readVersion).toBe(9);
  });

  it('skips replayed txn versions at commit time and commits the rest', async () => {
    const root = `${dir}/replay`;
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema });
    await table.append(batch(0), { txn: [{ appId: 'p0', version: 0 }] });
    const pipeline = table.pipeline();
    const [a, b] = await Promise.all([pipeline.append(batch(0), { txn: [{ appId: 'p0', version: 0 }] }), pipeline.append(batch(1), { txn: [{ appId: 'p0', version: 1 }] })]);
    expect(a).toMatchObject({ skipped: true });
    expect(b).toMatchObject({ skipped: false, version: 2 });
    expect(dataFiles(root).length).toBe(2); // the replay's files were never kept
  });

  it('after a failure, commits nothing more and deletes the later writes\' files', async () => {
    const root = `${dir}/fail`;
    await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'] });
    let writes = 0;
    class FlakyStore extends LocalFileStore {
      override write(path: string, bytes: Uint8Array): Promise<void> {
        // The third batch's files fail to store.
        if (path.startsWith('session=') && path.includes('part-') && ++writes > 6 && writes <= 9) return Promise.reject(new StorageError('STORAGE_ERROR', 'disk full (test)', { file: path }));
        return super.write(path, bytes);
      }
    }
    const table = await DeltaTable.open(new FlakyStore(root));
    const pipeline = table.pipeline({ depth: 1 });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => pipeline.append(batch(i), { txn: [{ appId: 'p0', version: i }], encoderThreads: 0 })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORAGE_ERROR' });
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'PIPELINE_ABORTED' });
    await expect(pipeline.append(batch(9))).rejects.toMatchObject({ code: 'PIPELINE_ABORTED' });
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.version).toBe(2);
    expect(reopened.state.appTransactions.get('p0')?.version).toBe(1);
    expect(dataFiles(root).sort()).toEqual([...reopened.state.files.keys()].map((p) => decodeURIComponent(p)).sort());
  });

  it('skips at commit time a txn an earlier batch of the pipeline recorded, deleting its files', async () => {
    const root = `${dir}/replay-in-flight`;
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'] });
    const pipeline = table.pipeline({ depth: 3 });
    const same = { txn: [{ appId: 'p0', version: 1 }] };
    const results = await Promise.all([pipeline.append(batch(0), same), pipeline.append(batch(1), same), pipeline.append(batch(2), { txn: [{ appId: 'p0', version: 2 }] })]);
    expect(results.map((r) => r.skipped)).toEqual([false, true, false]);
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(dataFiles(root).sort()).toEqual([...reopened.state.files.keys()].map((p) => decodeURIComponent(p)).sort());
    expect(canonicalRows(await reopened.read())).toEqual(canonicalRows(batch(0).concat(batch(2))));
  });

  it('judges partly committed txn ids at commit time, as one append after another would', async () => {
    const root = `${dir}/partial`;
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema });
    await table.append(batch(0), { txn: [{ appId: 'p0', version: 5 }, { appId: 'p1', version: 2 }] });
    const pipeline = table.pipeline();
    const a = pipeline.append(batch(1), { txn: [{ appId: 'p1', version: 3 }] });
    const b = pipeline.append(batch(2), { txn: [{ appId: 'p0', version: 5 }, { appId: 'p1', version: 3 }] });
    expect(await a).toMatchObject({ skipped: false, version: 2 });
    expect(await b).toMatchObject({ skipped: true });
    await pipeline.flush();
  });

  it('after a commit fails with writes in flight, discards them and flush() reports it', async () => {
    const root = `${dir}/commit-fail`;
    await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'] });
    class RefusesVersion3 extends LocalFileStore {
      override putIfAbsent(path: string, bytes: Uint8Array): ReturnType<LocalFileStore['putIfAbsent']> {
        if (path.endsWith('00000000000000000003.json')) return Promise.reject(new StorageError('STORAGE_ERROR', 'commit refused (test)', { file: path }));
        return super.putIfAbsent(path, bytes);
      }
    }
    const table = await DeltaTable.open(new RefusesVersion3(root));
    const pipeline = table.pipeline({ depth: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => pipeline.append(batch(i), { txn: [{ appId: 'p0', version: i }] })));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as { code: string }).code))).toEqual(['ok', 'ok', 'STORAGE_ERROR', 'PIPELINE_ABORTED', 'PIPELINE_ABORTED', 'PIPELINE_ABORTED']);
    await expect(pipeline.flush()).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    const reopened = await DeltaTable.open(new LocalFileStore(root));
    expect(reopened.version).toBe(2);
    // Only the failed commit's own files may stay (its outcome was unknown); the later batches' are gone.
    const referenced = new Set([...reopened.state.files.keys()].map((p) => decodeURIComponent(p)));
    expect(dataFiles(root).filter((f) => !referenced.has(f)).length).toBe(3);
  });

  it('keeps table.append\'s conflict checks: two schema merges on one handle cannot lose a column', async () => {
    const root = `${dir}/merge`;
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema });
    const withColumn = (name: string) => {
      const rows = batch(0);
      return rows.assign(new Table({ [name]: vectorFromArray(Array.from({ length: rows.numRows }, () => 1.5), new Float64()) }));
    };
    const outcomes = await Promise.allSettled([table.append(withColumn('x'), { mergeSchema: true }), table.append(withColumn('y'), { mergeSchema: true })]);
    const schema = (await DeltaTable.open(new LocalFileStore(root))).schema.fields.map((f) => f.name);
    for (const [o, column] of [[outcomes[0], 'x'], [outcomes[1], 'y']] as const) {
      if (o?.status === 'fulfilled') expect(schema).toContain(column);
      else expect(o?.reason).toMatchObject({ code: 'COMMIT_CONFLICT' });
    }
  });

  it('refuses schema merges and bad depths', async () => {
    const table = await DeltaTable.create(new LocalFileStore(`${dir}/opts`), { schema: telemetrySchema });
    expect(() => table.pipeline({ depth: 0 })).toThrow(/depth/);
    await expect(table.pipeline().append(batch(0), { mergeSchema: true })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', context: { option: 'mergeSchema' } });
  });

  it('overlaps: later batches encode while earlier ones commit', async () => {
    const root = `${dir}/overlap`;
    const started: number[] = [];
    let committedBefore = -1;
    class Watching extends LocalFileStore {
      override async putIfAbsent(path: string, bytes: Uint8Array): ReturnType<LocalFileStore['putIfAbsent']> {
        await new Promise((r) => setTimeout(r, 30)); // a slow commit
        return super.putIfAbsent(path, bytes);
      }
      override write(path: string, bytes: Uint8Array): Promise<void> {
        if (path.includes('part-')) started.push(Date.now());
        return super.write(path, bytes);
      }
    }
    const table = await DeltaTable.create(new Watching(root), { schema: telemetrySchema });
    const pipeline = table.pipeline({ depth: 3 });
    const first = pipeline.append(batch(0), { encoderThreads: 0 }).then((r: WriteResult) => ((committedBefore = started.length), r));
    const rest = [1, 2].map((i) => pipeline.append(batch(i), { encoderThreads: 0 }));
    await Promise.all([first, ...rest]);
    // All three batches' files were stored before the first commit finished.
    expect(committedBefore).toBe(3);
  });
});
