/**
 * Opening a partition directory. States:
 *
 *   prepare directory → recover segments → log start offset → producer state → ready
 *
 * Every segment's tail (from its last index entry) is validated; the last
 * segment is the active one. Leftovers of interrupted operations (temp
 * files, an index whose log is gone) are removed first.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogConfig } from './config.js';
import { INDEX_SUFFIX, isNotFound, LOG_START_FILE, LOG_SUFFIX, parseOffsetFileName, TEMP_SUFFIX, writeFileAtomic } from './files.js';
import { restoreProducerState, type ProducerRestoreReport } from './producer-snapshots.js';
import type { ProducerStateTable } from './producer-state.js';
import { Segment } from './segment.js';
import { recoverSegment, type SegmentRecoveryReport } from './segment-recovery.js';

export interface PartitionRecoveryReport {
  readonly durationMs: number;
  readonly segments: number;
  /** Segments whose tail was cut or whose index was repaired. */
  readonly repaired: readonly SegmentRecoveryReport[];
  readonly truncatedBytes: number;
  readonly producers: ProducerRestoreReport;
}

export interface RecoveredPartition {
  readonly segments: Segment[];
  readonly logStartOffset: number;
  readonly producers: ProducerStateTable;
  readonly report: PartitionRecoveryReport;
}

export async function recoverPartition(dir: string, config: LogConfig, now: number): Promise<RecoveredPartition> {
  const started = performance.now();

  // State: prepare directory.
  await mkdir(dir, { recursive: true });
  const names = await readdir(dir);
  const logOffsets = new Set<number>();
  for (const name of names) {
    const offset = parseOffsetFileName(name, LOG_SUFFIX);
    if (offset !== undefined) logOffsets.add(offset);
  }
  for (const name of names) {
    const indexOf = parseOffsetFileName(name, INDEX_SUFFIX);
    if (name.endsWith(TEMP_SUFFIX) || (indexOf !== undefined && !logOffsets.has(indexOf))) await rm(join(dir, name), { force: true });
  }
  const checkpoint = await readLogStartCheckpoint(dir);

  // State: recover segments.
  const bases = [...logOffsets].sort((a, b) => a - b);
  const segments: Segment[] = [];
  const repaired: SegmentRecoveryReport[] = [];
  try {
    for (const [i, baseOffset] of bases.entries()) {
      const { segment, report } = await recoverSegment({ dir, baseOffset, indexIntervalBytes: config.indexIntervalBytes, writable: i === bases.length - 1, now });
      segments.push(segment);
      if (report.truncatedBytes > 0 || report.indexRepaired) repaired.push(report);
    }
    if (segments.length === 0) segments.push(await Segment.create(dir, checkpoint ?? 0, now));
    const active = segments[segments.length - 1] as Segment;
    const first = segments[0] as Segment;

    // State: log start offset — the first segment's base, or further on after deleteRecordsBefore.
    const logStartOffset = Math.min(Math.max(first.baseOffset, checkpoint ?? 0), active.nextOffset);

    // State: producer state.
    const { table, report: producers } = await restoreProducerState(dir, segments, active.nextOffset);

    // State: ready.
    return {
      segments,
      logStartOffset,
      producers: table,
      report: {
        durationMs: performance.now() - started,
        segments: segments.length,
        repaired,
        truncatedBytes: repaired.reduce((n, r) => n + r.truncatedBytes, 0),
        producers,
      },
    };
  } catch (e) {
    await Promise.all(segments.map((s) => s.close().catch(() => undefined)));
    throw e;
  }
}

export async function readLogStartCheckpoint(dir: string): Promise<number | undefined> {
  try {
    const n = Number((await readFile(join(dir, LOG_START_FILE), 'utf8')).trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function writeLogStartCheckpoint(dir: string, offset: number): Promise<void> {
  await writeFileAtomic(join(dir, LOG_START_FILE), `${offset}\n`);
}
