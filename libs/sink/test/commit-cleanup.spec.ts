import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, isSinkError, type PutIfAbsentResult } from '../src/index.js';
import { commitPath, encodeCommit } from '../src/log/commit-file.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/** #8.12: a commit that certainly did not land deletes its data files; one that may have landed keeps them. */
const { dir, cleanup } = tempDir('sink-commit-cleanup-');
afterAll(cleanup);
let n = 0;

function dataFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet') && !f.startsWith('_delta_log')).sort();
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (isSinkError(error)) return error.code;
    return `not a SinkError: ${String(error)}`;
  }
  return 'no error';
}

/** A store whose commit put writes the commit and then reports a failure (e.g. a timeout after the write). */
class WritesThenThrows extends LocalFileStore {
  override async putIfAbsent(path: string, bytes: Uint8Array): Promise<PutIfAbsentResult> {
    const result = await super.putIfAbsent(path, bytes);
    if (path !== commitPath(0)) throw new Error(`connection reset after writing ${path} (${String(result.ok)})`);
    return result;
  }
}

describe('data files of a failed commit', () => {
  it('are deleted when the winner at our version is a corrupt commit (INVALID_LOG)', async () => {
    const root = join(dir, `t${n++}`);
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'] });
    await new LocalFileStore(root).putIfAbsent(commitPath(1), new TextEncoder().encode('{"add": not json\n'));
    expect(await codeOf(table.append(telemetryRows(0, 10)))).toBe('INVALID_LOG');
    expect(dataFiles(root)).toEqual([]);
  });

  it('are deleted when the commit is refused before any put (a writer feature we cannot honour)', async () => {
    const root = join(dir, `t${n++}`);
    const store = new LocalFileStore(root);
    const created = await DeltaTable.create(store, { schema: telemetrySchema });
    await store.putIfAbsent(commitPath(1), encodeCommit([{ protocol: { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['checkConstraints'] } }]));
    const table = await DeltaTable.open(store);
    expect(created.version).toBe(0);
    expect(await codeOf(table.append(telemetryRows(0, 10)))).toBe('UNSUPPORTED_PROTOCOL');
    expect(dataFiles(root)).toEqual([]);
  });

  it('stay when the put failed and the commit may have landed (here it did, and reads them)', async () => {
    const root = join(dir, `t${n++}`);
    const table = await DeltaTable.create(new WritesThenThrows(root), { schema: telemetrySchema });
    expect(await codeOf(table.append(telemetryRows(0, 10)))).toMatch(/connection reset/);
    expect(dataFiles(root)).toHaveLength(1);
    expect((await (await DeltaTable.open(new LocalFileStore(root))).read()).numRows).toBe(10);
  });
});
