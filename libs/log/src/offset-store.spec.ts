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

  it('keeps the latest membership of each group across reopen, compaction and a torn tail; deleteGroup forgets it', async () => {
    const member = (id: string, assignment: number[]) => ({
      memberId: id,
      groupInstanceId: null,
      clientId: 'c',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 6000,
      rebalanceTimeoutMs: 60000,
      protocols: [{ name: 'range', metadata: new Uint8Array([0, 1, 2]) }, { name: 'roundrobin', metadata: new Uint8Array([3]) }],
      assignment: new Uint8Array(assignment),
    });
    const group = (g: string, generationId: number, members: ReturnType<typeof member>[]) => ({ group: g, generationId, protocolType: 'consumer', protocolName: 'range', leaderId: members[0]?.memberId ?? '', members });
    const store = await OffsetStore.open({ dir, now: at(7) });
    await store.storeGroup(group('g1', 1, [member('a', [1])]));
    await store.commit('g1', [{ topic: 't', partition: 0, offset: 5 }]);
    await store.storeGroup(group('g1', 2, [member('a', [1]), member('b', [2])]));
    await store.commit('g2', [{ topic: 't', partition: 0, offset: 1 }]);
    await store.storeGroup(group('g2', 4, []));
    await store.storeGroup(group('g3', 1, [member('x', [])]));
    // Emptied with no offsets: Kafka's Dead group, not kept.
    await store.storeGroup(group('g4', 1, [member('y', [])]));
    await store.storeGroup(group('g4', 2, []));
    expect(store.storedGroups().map((g) => g.group)).toEqual(['g1', 'g2', 'g3']);
    expect(await store.deleteGroup('g3')).toBe(true);
    await store.close();

    const again = await OffsetStore.open({ dir });
    expect(again.storedGroups()).toEqual([{ ...group('g1', 2, [member('a', [1]), member('b', [2])]), timestamp: 7 }, { ...group('g2', 4, []), timestamp: 7 }]);
    expect(again.fetch('g1', 't', 0)?.offset).toBe(5);
    await again.compact();
    const compacted = again.fileBytes;
    // A torn last record (kill -9 mid-write) loses only that record.
    await again.storeGroup(group('g1', 3, [member('b', [1, 2])]));
    await again.close();
    await truncate(join(dir, OFFSETS_FILE), compacted + 10);
    const reread = await OffsetStore.open({ dir });
    expect(reread.recovery.truncatedBytes).toBe(10);
    expect(reread.storedGroups().map((g) => [g.group, g.generationId, g.members.map((m) => m.memberId)])).toEqual([
      ['g1', 2, ['a', 'b']],
      ['g2', 4, []],
    ]);
    await reread.close();
  });

  it('reads a version 1 file (offsets only) and rewrites it as version 2 before storing membership', async () => {
    const path = join(dir, OFFSETS_FILE);
    const v2 = await OffsetStore.open({ dir, now: at(1) });
    await v2.commit('g', [{ topic: 't', partition: 0, offset: 9 }]);
    await v2.close();
    const v1 = await readFile(path);
    v1.writeUInt32BE(1, 4);
    await writeFile(path, v1);
    const store = await OffsetStore.open({ dir });
    expect((await readFile(path)).readUInt32BE(4)).toBe(2);
    expect(store.fetch('g', 't', 0)?.offset).toBe(9);
    await store.storeGroup({ group: 'g', generationId: 1, protocolType: 'consumer', protocolName: 'range', leaderId: '', members: [] });
    await store.close();
    const again = await OffsetStore.open({ dir });
    expect(again.storedGroups().map((g) => g.generationId)).toEqual([1]);
    await again.close();
    const future = await readFile(path);
    future.writeUInt32BE(3, 4);
    await writeFile(path, future);
    await expect(OffsetStore.open({ dir })).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
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
