/**
 * Producer-state snapshot files (`<offset>.snapshot`, the state after every
 * batch below `offset`): written when a segment rolls and on clean close,
 * and used on open to restore the producer table without replaying the
 * whole log — only the batches from the newest usable snapshot on.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { offsetFileStem, parseOffsetFileName, SNAPSHOT_SUFFIX, writeFileAtomic } from './files.js';
import { producerInfoOf, ProducerStateTable } from './producer-state.js';
import type { Segment } from './segment.js';

/** Snapshots kept after a roll or a restore; older ones only save replay time nobody needs. */
const SNAPSHOTS_KEPT = 2;

export interface ProducerRestoreReport {
  /** Offset of the snapshot the table started from; undefined when the whole log was replayed. */
  readonly snapshotOffset: number | undefined;
  readonly batchesReplayed: number;
}

export async function writeProducerSnapshot(dir: string, table: ProducerStateTable, offset: number): Promise<void> {
  // No fsync: a snapshot lost or torn by a power cut fails its CRC and the
  // restore falls back to an older one plus a longer replay.
  await writeFileAtomic(join(dir, offsetFileStem(offset) + SNAPSHOT_SUFFIX), table.encodeSnapshot(offset), { sync: false });
  await pruneSnapshots(dir, Number.MAX_SAFE_INTEGER);
}

/**
 * Rebuilds the producer table for a log ending at `logEndOffset`: newest
 * intact snapshot at or below it, then a header-only replay of the batches
 * after it. Snapshots above the end (from before a truncation) are deleted.
 */
export async function restoreProducerState(
  dir: string,
  segments: readonly Segment[],
  logEndOffset: number,
): Promise<{ readonly table: ProducerStateTable; readonly report: ProducerRestoreReport }> {
  await pruneSnapshots(dir, logEndOffset);
  let table = new ProducerStateTable();
  let from = 0;
  let snapshotOffset: number | undefined;
  for (const offset of (await listSnapshots(dir)).reverse()) {
    const decoded = ProducerStateTable.decodeSnapshot(await readFile(join(dir, offsetFileStem(offset) + SNAPSHOT_SUFFIX)));
    if (decoded && decoded.offset === offset) {
      table = decoded.table;
      from = offset;
      snapshotOffset = offset;
      break;
    }
  }
  let batchesReplayed = 0;
  for (const segment of segments) {
    if (segment.nextOffset <= from) continue;
    const start = segment.baseOffset >= from ? 0 : segment.index.positionForOffset(from);
    for await (const b of segment.batchesFrom(start)) {
      if (b.header.baseOffset < from) continue;
      const info = producerInfoOf(b.header);
      if (info) table.update(info, b.header.baseOffset, b.lastOffset, b.header.maxTimestamp);
      batchesReplayed++;
    }
  }
  return { table, report: { snapshotOffset, batchesReplayed } };
}

async function listSnapshots(dir: string): Promise<number[]> {
  const offsets: number[] = [];
  for (const name of await readdir(dir)) {
    const offset = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (offset !== undefined) offsets.push(offset);
  }
  return offsets.sort((a, b) => a - b);
}

/** Deletes snapshots above `maxOffset` and all but the newest few below it. */
async function pruneSnapshots(dir: string, maxOffset: number): Promise<void> {
  const offsets = await listSnapshots(dir);
  const kept = offsets.filter((o) => o <= maxOffset).slice(-SNAPSHOTS_KEPT);
  for (const o of offsets) {
    if (!kept.includes(o)) await rm(join(dir, offsetFileStem(o) + SNAPSHOT_SUFFIX), { force: true });
  }
}
