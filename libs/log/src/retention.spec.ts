import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBatch, splitBatches } from '../test/batches.js';
import { tempDir } from '../test/tmp.js';
import { PartitionLog } from './partition-log.js';
import { planRetention, type SegmentSummary } from './retention.js';

const seg = (baseOffset: number, size: number, maxTimestamp: number): SegmentSummary => ({ baseOffset, nextOffset: baseOffset + 10, size, maxTimestamp });

describe('planRetention', () => {
  const segments = [seg(0, 100, 10), seg(10, 100, 20), seg(20, 100, 30), seg(30, 100, 40)];

  it('deletes nothing when unlimited', () => {
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: -1 }, 1e9, 0).deleteCount).toBe(0);
  });

  it('deletes the expired prefix by time but never the active segment', () => {
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: 100 }, 125, 0).byTime).toBe(2);
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: 0 }, 1e9, 0).deleteCount).toBe(3);
  });

  it('stops at the first segment that is still young (a prefix only)', () => {
    const mixed = [seg(0, 100, 10), seg(10, 100, 500), seg(20, 100, 10), seg(30, 100, 10)];
    expect(planRetention(mixed, { retentionBytes: -1, retentionMs: 100 }, 200, 0).deleteCount).toBe(1);
  });

  it('keeps at least retentionBytes, like Kafka', () => {
    expect(planRetention(segments, { retentionBytes: 250, retentionMs: -1 }, 0, 0).bySize).toBe(1);
    expect(planRetention(segments, { retentionBytes: 200, retentionMs: -1 }, 0, 0).bySize).toBe(2);
    expect(planRetention(segments, { retentionBytes: 0, retentionMs: -1 }, 0, 0).bySize).toBe(3);
  });

  it('deletes segments wholly below the log start offset', () => {
    expect(planRetention(segments, { retentionBytes: -1, retentionMs: -1 }, 0, 25).byLogStart).toBe(2);
  });
});

describe('PartitionLog retention', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('lakestream-retention-'));
  });
  afterEach(async () => cleanup());

  it('deletes the oldest segments by size and advances the log start offset', async () => {
    const log = await PartitionLog.open({ dir, topic: 't', partition: 0, config: { flush: {}, segmentBytes: 1024, retentionBytes: 3000, retentionMs: -1 } });
    for (let i = 0; i < 60; i++) await log.append(buildBatch({ records: 2, valueBytes: 60 }));
    const before = log.size;
    const segments = log.segmentCount;
    const r = await log.enforceRetention();
    expect(r.deletedSegments).toBeGreaterThan(0);
    expect(log.segmentCount).toBe(segments - r.deletedSegments);
    expect(log.size).toBe(before - r.deletedBytes);
    expect(log.size).toBeGreaterThanOrEqual(3000);
    expect(log.size).toBeLessThan(3000 + 1024);
    expect(r.logStartOffset).toBe(log.logStartOffset);
    expect(await log.read(log.logStartOffset - 1, 100)).toMatchObject({ ok: false, code: 'OFFSET_OUT_OF_RANGE' });
    const first = await log.read(log.logStartOffset, 1);
    expect(first.ok && splitBatches(first.records)[0]?.baseOffset).toBe(log.logStartOffset);
    await log.close();
    const again = await PartitionLog.open({ dir, topic: 't', partition: 0, config: { flush: {} } });
    expect(again.logStartOffset).toBe(r.logStartOffset);
    await again.close();
  });

  it('deletes segments whose newest batch is older than retentionMs, rolling by segmentMs', async () => {
    let now = 10_000;
    const log = await PartitionLog.open({ dir, topic: 't', partition: 0, now: () => now, config: { flush: {}, retentionMs: 5_000, segmentMs: 1_000 } });
    for (let i = 0; i < 6; i++) {
      await log.append(buildBatch({ records: 1, baseTimestamp: now }));
      now += 1_000;
    }
    // Every append after the first found the active segment 1 s old: one segment per batch.
    expect(log.segmentCount).toBe(6);
    const r = await log.enforceRetention(16_500);
    // Newest timestamps 10 000 and 11 000 are older than 16 500 - 5 000.
    expect(r).toEqual({ deletedSegments: 2, deletedBytes: expect.any(Number), logStartOffset: 2 });
    expect((await log.enforceRetention(100_000)).deletedSegments).toBe(3);
    expect(log.segmentCount).toBe(1);
    expect(log.logStartOffset).toBe(5);
    await log.close();
  });
});
