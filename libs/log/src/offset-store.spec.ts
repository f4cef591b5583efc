import fc from 'fast-check';
import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/tmp.js';
import { OFFSETS_FILE, OffsetStore } from './offset-store.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('lakestream-offsets-'));
});
afterEach(async () => cleanup());

const at = (ms: number) => () => ms;

describe('OffsetStore', () => {
  it('keeps committed offsets, metadata and timestamps across reopen', async () => {
    const store = await OffsetStore.open({ dir, now: at(1000) });
    await store.commit('g1', [
      { topic: 'a', partition: 0, offset: 10, metadata: 'm' },
      { topic: 'a', partition: 1, offset: 20, leaderEpoch: 3 },
    ]);
    await store.commit('g2', [{ topic: 'b', partition: 0, offset: 5, commitTimestamp: 42 }]);
    await store.commit('g1', [{ topic: 'a', partition: 0, offset: 11, metadata: null }]);
    await store.close();

    const again = await OffsetStore.open({ dir });
    expect(again.recovery).toEqual({ records: 3, truncatedBytes: 0 });
    expect(again.groups()).toEqual(['g1', 'g2']);
    expect(again.fetch('g1', 'a', 0)).toEqual({ topic: 'a', partition: 0, offset: 11, leaderEpoch: -1, metadata: null, commitTimestamp: 1000 });
    expect(again.fetch('g1', 'a', 1)).toEqual({ topic: 'a', partition: 1, offset: 20, leaderEpoch: 3, metadata: null, commitTimestamp: 1000 });
    expect(again.fetch('g2', 'b', 0)?.commitTimestamp).toBe(42);
    expect(again.fetch('g2', 'a', 0)).toBeUndefined();
    expect(again.fetchGroup('g1').map((o) => o.offset)).toEqual([11, 20]);
    await again.close();
    await expect(again.commit('g', [])).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('forgets deleted groups and topics after reopen', async () => {
    dir = join(dir, 'nested', 'offsets');
    const store = await OffsetStore.open({ dir });
    await store.commit('g1', [{ topic: 'a', partition: 0, offset: 1 }, { topic: 'b', partition: 0, offset: 2 }]);
    await store.commit('g2', [{ topic: 'a', partition: 0, offset: 3 }]);
    expect(await store.deleteGroup('nope')).toBe(false);
    expect(await store.deleteGroup('g2')).toBe(true);
    await store.deleteTopic('a');
    await store.close();
    const again = await OffsetStore.open({ dir });
    expect(again.groups()).toEqual(['g1']);
    expect(again.fetchGroup('g1').map((o) => o.topic)).toEqual(['b']);
    await again.close();
  });

  it('compacts the file when it grows and keeps the latest offsets', async () => {
    const store = await OffsetStore.open({ dir, compactAfterBytes: 2048, sync: false });
    for (let i = 0; i < 300; i++) await store.commit(`g${i % 3}`, [{ topic: 't', partition: i % 4, offset: i }]);
    expect(store.fileBytes).toBeLessThan(4096);
    expect((await stat(store.path)).size).toBe(store.fileBytes);
    await store.compact();
    const compacted = store.fileBytes;
    await store.commit('g0', [{ topic: 't', partition: 0, offset: 1000 }]);
    await store.close();
    const again = await OffsetStore.open({ dir });
    expect(again.recovery.records).toBe(4);
    expect((await stat(again.path)).size).toBeGreaterThan(compacted);
    expect(again.fetch('g0', 't', 0)?.offset).toBe(1000);
    // Commit i went to group i % 3 and partition i % 4; the last one per pair wins.
    for (let g = 0; g < 3; g++) {
      for (let p = 0; p < 4; p++) {
        const last = [...Array(300).keys()].filter((i) => i % 3 === g && i % 4 === p).at(-1);
        if (g === 0 && p === 0) continue;
        expect(again.fetch(`g${g}`, 't', p)?.offset).toBe(last);
      }
    }
    await again.close();
  });

  it('ignores a torn or corrupt tail and keeps every whole commit before it', async () => {
    const store = await OffsetStore.open({ dir, sync: false });
    const ends: number[] = [];
    for (let i = 0; i < 8; i++) {
      await store.commit('g', [{ topic: 't', partition: i, offset: i * 10, metadata: 'x'.repeat(i) }]);
      ends.push(store.fileBytes);
    }
    await store.close();
    const path = join(dir, OFFSETS_FILE);
    const pristine = await readFile(path);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 8, max: pristine.length - 1 }), fc.boolean(), async (cut, flip) => {
        const damaged = Buffer.from(pristine);
        if (flip) damaged[cut] = (damaged[cut] as number) ^ 0x5a;
        await writeFile(path, flip ? damaged : damaged.subarray(0, cut));
        const whole = ends.filter((e) => e <= cut).length;
        const again = await OffsetStore.open({ dir, sync: false });
        expect(again.fetchGroup('g').map((o) => o.partition)).toEqual([...Array(whole).keys()]);
        expect(again.fileBytes).toBe(whole === 0 ? 8 : (ends[whole - 1] as number));
        await again.commit('g', [{ topic: 't', partition: 99, offset: 1 }]);
        await again.close();
        const reread = await OffsetStore.open({ dir, sync: false });
        expect(reread.fetch('g', 't', 99)?.offset).toBe(1);
        await reread.close();
      }),
      { numRuns: 20 },
    );
  });

  it('starts empty from a file torn inside its header, and refuses a foreign file', async () => {
    const path = join(dir, OFFSETS_FILE);
    await writeFile(path, Buffer.from('LSO'));
    const store = await OffsetStore.open({ dir });
    expect(store.groups()).toEqual([]);
    await store.close();
    await writeFile(path, Buffer.from('definitely not offsets'));
    await expect(OffsetStore.open({ dir })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    await truncate(path, 0);
    await (await OffsetStore.open({ dir })).close();
  });
});
