import { describe, expect, it } from 'vitest';
import type { AddAction } from '../log/actions.js';
import type { LogListing } from '../log/log-segment.js';
import type { Snapshot } from '../log/snapshot.js';
import type { FileInfo } from '../storage/log-store.js';
import { planLogCleanup } from './log-cleanup.js';
import { planOptimize } from './optimize-plan.js';
import { HOUR_MS, logRetentionMs, parseInterval } from './retention.js';

const add = (path: string, size: number, p: string | null): AddAction => ({ path, size, partitionValues: { p }, modificationTime: 0, dataChange: true });
const snapshotOf = (files: AddAction[]): Snapshot =>
  ({ partitionColumns: ['p'], files: new Map(files.map((f) => [f.path, f])) }) as unknown as Snapshot; // only the fields the planner reads

describe('planOptimize', () => {
  it('packs small files per partition first-fit-decreasing and drops single-file bins', () => {
    const plan = planOptimize(snapshotOf([add('a1', 60, 'a'), add('a2', 50, 'a'), add('a3', 40, 'a'), add('a4', 30, 'a'), add('b1', 10, 'b'), add('big', 500, 'a'), add('n1', 5, null), add('n2', 5, null)]), {
      targetFileSize: 100, minFileSize: 75,
    });
    expect(plan.bins.map((b) => b.files.map((f) => f.path))).toEqual([['a1', 'a3'], ['a2', 'a4'], ['n1', 'n2']]);
    expect(plan.partitions).toBe(2);
    expect(plan.skipped).toBe(1); // b1 alone in its partition
    expect(plan.bins[2]?.partitionValues).toEqual({ p: null });
    expect(planOptimize(snapshotOf([add('a1', 10, 'a'), add('a2', 10, 'a'), add('n1', 5, null), add('n2', 5, null)]), { where: { p: null }, targetFileSize: 100, minFileSize: 75 }).bins).toHaveLength(1);
  });
});

describe('retention', () => {
  it('parses Spark intervals, falling back to the 30-day default', () => {
    expect(parseInterval('interval 7 days')).toBe(168 * HOUR_MS);
    expect(parseInterval('interval 1 week')).toBe(168 * HOUR_MS);
    expect(parseInterval('2 hours')).toBe(2 * HOUR_MS);
    expect(parseInterval('soon')).toBeUndefined();
    expect(logRetentionMs({})).toBe(720 * HOUR_MS);
    expect(logRetentionMs({ 'delta.logRetentionDuration': 'interval 3 days' })).toBe(72 * HOUR_MS);
  });
});

describe('planLogCleanup', () => {
  const file = (path: string, modificationTime: number): FileInfo => ({ path, size: 1, modificationTime });
  const listing = (commitTimes: number[], checkpoints: Record<number, number>): LogListing => ({
    commits: new Map(commitTimes.map((t, v) => [v, file(`c${v}`, t)])),
    checkpoints: new Map(Object.entries(checkpoints).map(([v, t]) => [Number(v), new Map([[1, [file(`cp${v}`, t)]]])])),
  });

  it('cuts at the newest checkpoint inside the expired prefix, deleting oldest first', () => {
    const plan = planLogCleanup(listing([1, 1, 1, 1, 1, 9, 9], { 2: 1, 4: 1, 6: 9 }), 5);
    expect(plan).toEqual({ boundary: 4, commits: [0, 1, 2, 3], checkpoints: [2], files: ['c0', 'c1', 'cp2', 'c2', 'c3'] });
  });

  it('deletes nothing without a covering checkpoint, and keeps unexpired older checkpoints', () => {
    expect(planLogCleanup(listing([1, 1, 1], {}), 5).boundary).toBeUndefined();
    expect(planLogCleanup(listing([1, 1, 1, 1], { 1: 9, 3: 1 }), 5)).toMatchObject({ boundary: 3, commits: [0, 1, 2], checkpoints: [] });
  });
});
