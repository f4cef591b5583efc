import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileStore } from './local-file-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sink-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LocalFileStore', () => {
  const store = new LocalFileStore(dir);

  it('put-if-absent: exactly one of many concurrent creators wins, the file is never replaced, no temp files remain', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.putIfAbsent('_delta_log/00000000000000000001.json', bytes(`writer ${i}`))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'EXISTS')).toBe(true);
    const winner = results.findIndex((r) => r.ok);
    expect(new TextDecoder().decode(await store.read('_delta_log/00000000000000000001.json'))).toBe(`writer ${winner}`);
    expect(readdirSync(join(dir, '_delta_log'))).toEqual(['00000000000000000001.json']);
  });

  it('write replaces, list is recursive and sorted, read/delete of missing files', async () => {
    await store.write('b/x=1/part.parquet', bytes('one'));
    await store.write('b/x=1/part.parquet', bytes('two!'));
    await store.write('a.txt', bytes('a'));
    expect((await store.list('b/')).map((f) => [f.path, f.size])).toEqual([['b/x=1/part.parquet', 4]]);
    expect((await store.list('')).map((f) => f.path)).toEqual(['_delta_log/00000000000000000001.json', 'a.txt', 'b/x=1/part.parquet']);
    expect(await store.list('nope/')).toEqual([]);
    await expect(store.read('missing')).rejects.toMatchObject({ code: 'NOT_FOUND', context: { file: 'missing' } });
    expect(await store.head('missing')).toBeUndefined();
    await store.delete('a.txt');
    await store.delete('a.txt');
    expect(await store.head('a.txt')).toBeUndefined();
    await expect(store.read('../escape')).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
  });

  it('lists only paths after startAfter', async () => {
    for (const v of [1, 2, 3]) await store.write(`log/0000${v}.json`, bytes(String(v)));
    await store.write('log/00002.checkpoint.parquet', bytes('cp'));
    expect((await store.list('log/', { startAfter: 'log/00002.json' })).map((f) => f.path)).toEqual(['log/00003.json']);
    expect((await store.list('log/', { startAfter: 'log/00001.json' })).map((f) => f.path)).toEqual(['log/00002.checkpoint.parquet', 'log/00002.json', 'log/00003.json']);
    expect((await store.list('log/')).length).toBe(4);
  });
});
