import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot } from '../src/index.js';
import { telemetrySchema, tempDir } from './support/tables.js';

const WRITERS = 4;
const COMMITS = 50;
const { dir, cleanup } = tempDir('sink-concurrency-');
afterAll(cleanup);

function runChild(writer: number): Promise<{ writer: number; versions: number[]; retries: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@lakestream/source', '--import', 'tsx', join(import.meta.dirname, 'support', 'append-child.ts'), dir, String(writer), String(COMMITS)], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as { writer: number; versions: number[]; retries: number }) : reject(new Error(`writer ${writer} exited ${code}: ${err}`))));
  });
}

describe('concurrent writers', () => {
  it(`${WRITERS} processes × ${COMMITS} appends → contiguous versions, every row once`, async () => {
    await DeltaTable.create(new LocalFileStore(dir), { schema: telemetrySchema });
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, w) => runChild(w)));
    const versions = results.flatMap((r) => r.versions).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: WRITERS * COMMITS }, (_, i) => i + 1));

    const table = await DeltaTable.open(new LocalFileStore(dir));
    expect(table.version).toBe(WRITERS * COMMITS);
    const snap = await loadSnapshot(new LocalFileStore(dir), { ignoreCheckpoints: true });
    expect(snap.files.size).toBe(WRITERS * COMMITS);
    const cars = (await table.read({ columns: ['car'] })).getChild('car')?.toArray() as BigInt64Array;
    const ids = [...cars].map(Number).sort((a, b) => a - b);
    const want = Array.from({ length: WRITERS }, (_, w) => Array.from({ length: COMMITS * 2 }, (_, i) => w * 1_000_000 + i)).flat().sort((a, b) => a - b);
    expect(ids).toEqual(want);
  }, 60_000);
});
