import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBatch, contentOf, splitBatches } from '../test/batches.js';
import { tempDir } from '../test/tmp.js';
import { batchCrcMatches } from './batch.js';
import { isLogError } from './errors.js';
import { PartitionLog } from './partition-log.js';
import type { PartitionLogOptions } from './partition-types.js';

let dir: string;
let cleanup: () => Promise<void>;
const open: PartitionLog[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close().catch(() => undefined)));
  await cleanup();
});

async function openLog(options: Partial<PartitionLogOptions> = {}): Promise<PartitionLog> {
  const log = await PartitionLog.open({ dir, topic: 't', partition: 0, ...options, config: { flush: {}, ...options.config } });
  open.push(log);
  return log;
}

/** Appends `n` batches of 1..4 records; returns the contents by base offset. */
async function fill(log: PartitionLog, n: number, valueBytes = 40): Promise<Map<number, string>> {
  const contents = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const batch = buildBatch({ records: 1 + (i % 4), valueBytes, baseTimestamp: 1000 + i * 10 });
    const r = await log.append(batch);
    contents.set(r.baseOffset, contentOf(batch));
  }
  return contents;
}

async function readAll(log: PartitionLog, from = log.logStartOffset): Promise<{ baseOffset: number; lastOffset: number; bytes: Buffer }[]> {
  const out: { baseOffset: number; lastOffset: number; bytes: Buffer }[] = [];
  let next = from;
  while (next < log.logEndOffset) {
    const r = await log.read(next, 1 << 20);
    if (!r.ok) throw new Error(`read ${next}: ${r.code}`);
    const batches = splitBatches(r.records);
    if (batches.length === 0) break;
    out.push(...batches);
    next = (batches[batches.length - 1] as { lastOffset: number }).lastOffset + 1;
  }
  return out;
}

describe('PartitionLog append and read', () => {
  it('assigns contiguous offsets and reads every batch back across segment rolls', async () => {
    const log = await openLog({ config: { segmentBytes: 1024, indexIntervalBytes: 100 } });
    const contents = await fill(log, 60);
    expect(log.segmentCount).toBeGreaterThan(5);
    const batches = await readAll(log);
    expect(batches.map((b) => b.baseOffset)).toEqual([...contents.keys()]);
    for (const b of batches) {
      expect(contentOf(b.bytes)).toBe(contents.get(b.baseOffset));
      expect(batchCrcMatches(b.bytes, 0)).toBe(true);
    }
    expect(log.logEndOffset).toBe((batches[batches.length - 1] as { lastOffset: number }).lastOffset + 1);
    const names = await readdir(log.path);
    expect(names).toContain('00000000000000000000.log');
    expect(names.filter((n) => n.endsWith('.log'))).toHaveLength(log.segmentCount);
  });

  it('returns the batch containing an offset from the middle of it', async () => {
    const log = await openLog();
    await log.append(buildBatch({ records: 5 }));
    await log.append(buildBatch({ records: 5 }));
    for (const offset of [0, 3, 4, 5, 7, 9]) {
      const r = await log.read(offset, 1);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const [first] = splitBatches(r.records);
      expect(first?.baseOffset).toBe(offset < 5 ? 0 : 5);
    }
  });

  it('honours maxBytes but always returns at least one whole batch', async () => {
    const log = await openLog();
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) sizes.push((await log.append(buildBatch({ records: 2, valueBytes: 100 }))).size);
    const [a = 0, b = 0, c = 0] = sizes;
    const count = async (maxBytes: number): Promise<number> => {
      const r = await log.read(0, maxBytes);
      if (!r.ok) throw new Error('out of range');
      return splitBatches(r.records).length;
    };
    expect(await count(0)).toBe(1);
    expect(await count(1)).toBe(1);
    expect(await count(a + b - 1)).toBe(1);
    expect(await count(a + b)).toBe(2);
    expect(await count(a + b + c)).toBe(3);
    expect(await count(1 << 20)).toBe(5);
  });

  it('reports OFFSET_OUT_OF_RANGE as a value and returns nothing at the end', async () => {
    const log = await openLog();
    await log.append(buildBatch({ records: 3 }));
    expect(await log.read(4, 100)).toEqual({ ok: false, code: 'OFFSET_OUT_OF_RANGE', fetchOffset: 4, logStartOffset: 0, logEndOffset: 3 });
    expect(await log.read(-1, 100)).toMatchObject({ ok: false, code: 'OFFSET_OUT_OF_RANGE' });
    const atEnd = await log.read(3, 100);
    expect(atEnd).toMatchObject({ ok: true, highWatermark: 3, logStartOffset: 0 });
    expect(atEnd.ok && atEnd.records.length).toBe(0);
  });

  it('rejects malformed batches with INVALID_BATCH and writes nothing', async () => {
    const log = await openLog();
    const batch = buildBatch({ records: 2 });
    await expect(log.append(batch.subarray(0, 30))).rejects.toMatchObject({ code: 'INVALID_BATCH' });
    await expect(log.append(Buffer.concat([batch, batch]))).rejects.toMatchObject({ code: 'INVALID_BATCH' });
    const badMagic = Buffer.from(batch);
    badMagic[16] = 1;
    await expect(log.append(badMagic)).rejects.toSatisfy(isLogError);
    expect(log.logEndOffset).toBe(0);
  });

  it('keeps everything across close and reopen and continues the offsets', async () => {
    const config = { segmentBytes: 2048, indexIntervalBytes: 200 };
    const log = await openLog({ config });
    const contents = await fill(log, 40);
    const end = log.logEndOffset;
    await log.close();
    const again = await openLog({ config });
    expect(again.logEndOffset).toBe(end);
    expect(again.recovery.truncatedBytes).toBe(0);
    expect(again.recovery.repaired).toEqual([]);
    const more = await again.append(buildBatch({ records: 2 }));
    expect(more.baseOffset).toBe(end);
    const batches = await readAll(again);
    expect(batches.slice(0, -1).map((b) => contentOf(b.bytes))).toEqual([...contents.values()]);
  });

  it('rebuilds deleted or garbled index files from the log', async () => {
    const config = { segmentBytes: 4096, indexIntervalBytes: 128 };
    const log = await openLog({ config });
    await fill(log, 80);
    await log.close();
    const indexes = (await readdir(log.path)).filter((n) => n.endsWith('.index')).sort();
    const before = await Promise.all(indexes.map((n) => readFile(join(log.path, n))));
    expect(before.some((b) => b.length > 0)).toBe(true);
    await rm(join(log.path, indexes[0] as string));
    await writeFile(join(log.path, indexes[indexes.length - 1] as string), Buffer.from('garbage that is not an index'));
    const again = await openLog({ config });
    expect(again.recovery.repaired.length).toBe(2);
    const after = await Promise.all(indexes.map((n) => readFile(join(log.path, n))));
    expect(after).toEqual(before);
    for (let offset = 0; offset < again.logEndOffset; offset += 7) {
      const r = await again.read(offset, 1);
      if (!r.ok) throw new Error('out of range');
      const [first] = splitBatches(r.records);
      expect(first && first.baseOffset <= offset && first.lastOffset >= offset).toBe(true);
    }
  });

  it('stamps LogAppendTime batches and keeps their CRC valid', async () => {
    const log = await openLog({ config: { timestampType: 'LogAppendTime' }, now: () => 5_000 });
    const r = await log.append(buildBatch({ records: 2, baseTimestamp: 10 }));
    expect(r.logAppendTime).toBe(5_000);
    expect(r.maxTimestamp).toBe(5_000);
    const read = await log.read(0, 100);
    if (!read.ok) throw new Error('out of range');
    expect(batchCrcMatches(read.records, 0)).toBe(true);
    expect(read.records.readInt16BE(21) & 0x08).toBe(0x08);
    const createTime = await openLog({ topic: 'c' });
    expect((await createTime.append(buildBatch({ records: 1 }))).logAppendTime).toBe(-1);
  });

  it('notifies append listeners after the batch is readable', async () => {
    const log = await openLog();
    const seen: number[] = [];
    const off = log.onAppend((b) => seen.push(b.baseOffset));
    await log.append(buildBatch({ records: 2 }));
    off();
    await log.append(buildBatch({ records: 2 }));
    expect(seen).toEqual([0]);
  });

  it('finds offsets by timestamp, including out-of-order timestamps', async () => {
    const log = await openLog({ config: { segmentBytes: 2048, indexIntervalBytes: 100 } });
    const times = [100, 300, 200, 500, 400, 400, 900, 600, 700, 1000];
    const batches: { base: number; ts: number }[] = [];
    for (let round = 0; round < 4; round++) {
      for (const t of times) {
        const ts = t + round * 1000;
        const r = await log.append(buildBatch({ records: 2, baseTimestamp: ts, valueBytes: 60 }));
        batches.push({ base: r.baseOffset, ts });
      }
    }
    expect(log.segmentCount).toBeGreaterThan(1);
    for (const target of [0, 100, 150, 250, 450, 901, 1000, 2150, 3999, 4000, 4001, 99999]) {
      const expected = batches.find((b) => b.ts >= target);
      const got = await log.offsetForTimestamp(target);
      expect(got).toEqual(expected ? { offset: expected.base, timestamp: expected.ts } : undefined);
    }
  });

  it('moves the log start with deleteRecordsBefore and cuts the end with truncateTo', async () => {
    const config = { segmentBytes: 1024 };
    const log = await openLog({ config });
    await fill(log, 40);
    const segments = log.segmentCount;
    const end = log.logEndOffset;
    expect(await log.deleteRecordsBefore(end + 1)).toMatchObject({ ok: false, code: 'OFFSET_OUT_OF_RANGE' });
    const mid = Math.floor(end / 2);
    expect(await log.deleteRecordsBefore(mid)).toEqual({ ok: true, logStartOffset: mid });
    expect(log.segmentCount).toBeLessThan(segments);
    expect(await log.read(mid - 1, 100)).toMatchObject({ ok: false, code: 'OFFSET_OUT_OF_RANGE' });
    expect((await log.read(mid, 100)).ok).toBe(true);

    const cutAt = end - 5;
    const newEnd = await log.truncateTo(cutAt);
    expect(newEnd).toBeLessThanOrEqual(cutAt);
    expect(log.logEndOffset).toBe(newEnd);
    const last = (await readAll(log, mid)).at(-1);
    expect(last?.lastOffset).toBe(newEnd - 1);
    expect((await log.append(buildBatch({ records: 1 }))).baseOffset).toBe(newEnd);
    await log.close();

    const again = await openLog({ config });
    expect(again.logStartOffset).toBe(mid);
    expect(again.logEndOffset).toBe(newEnd + 1);
  });

  it('records producer state and restores it from a snapshot or by replay', async () => {
    const config = { segmentBytes: 1024 };
    const log = await openLog({ config });
    let seq = 0;
    for (let i = 0; i < 30; i++) {
      const records = 1 + (i % 3);
      await log.append(buildBatch({ records, producerId: 7, producerEpoch: 1, baseSequence: seq, valueBytes: 30 }));
      seq += records;
      await log.append(buildBatch({ records: 1, producerId: 9, producerEpoch: 0, baseSequence: i }));
    }
    const state7 = log.producerState(7);
    expect(state7).toMatchObject({ producerEpoch: 1, lastSequence: seq - 1 });
    expect(state7?.batches).toHaveLength(5);
    expect(log.producerState(9)?.lastSequence).toBe(29);
    expect(log.producerState(1)).toBeUndefined();

    // A crash image: the directory as it is now, without the close-time snapshot.
    const crashed = join(dir, 'crash');
    await cp(log.path, join(crashed, 't-0'), { recursive: true });
    await log.close();
    const clean = await openLog({ config });
    expect(clean.recovery.producers.batchesReplayed).toBe(0);
    expect(clean.producerStates()).toEqual(log.producerStates());
    const replayed = await openLog({ dir: crashed, config });
    expect(replayed.recovery.producers.batchesReplayed).toBeGreaterThan(0);
    expect(replayed.producerStates()).toEqual(log.producerStates());
  });

  it('runs append checks in order and writes nothing on rejection', async () => {
    const log = await openLog();
    const check = ({ producer, state }: { producer?: { baseSequence: number } | undefined; state?: { lastSequence: number } | undefined }) =>
      producer && producer.baseSequence !== (state?.lastSequence ?? -1) + 1 ? 'OUT_OF_ORDER_SEQUENCE_NUMBER' : undefined;
    const results = await Promise.all([
      log.appendChecked(buildBatch({ records: 2, producerId: 1, producerEpoch: 0, baseSequence: 0 }), check),
      log.appendChecked(buildBatch({ records: 2, producerId: 1, producerEpoch: 0, baseSequence: 2 }), check),
      log.appendChecked(buildBatch({ records: 2, producerId: 1, producerEpoch: 0, baseSequence: 2 }), check),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(results[2]).toEqual({ ok: false, rejection: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(log.logEndOffset).toBe(4);
  });

  it('fsyncs under every flush policy and refuses use after close', async () => {
    for (const [i, flush] of (['always', { messages: 2 }, { ms: 5 }, {}] as const).entries()) {
      const log = await openLog({ topic: `f${i}`, config: { flush } });
      await fill(log, 5);
      await new Promise((r) => setTimeout(r, 10));
      await log.flush();
      await log.close();
      await expect(log.append(buildBatch({ records: 1 }))).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(log.read(0, 1)).rejects.toMatchObject({ code: 'CLOSED' });
    }
  });
});
