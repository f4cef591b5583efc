import { matchesPartition, type PartitionFilter } from '../data/partitions.js';
import type { AddAction } from '../log/actions.js';
import type { Snapshot } from '../log/snapshot.js';

/**
 * The plan state of `optimize`: which live files to rewrite, grouped into
 * bins. Pure: it looks only at the snapshot's `add` actions.
 *
 * A file is a candidate when it is smaller than `minFileSize`. Candidates of
 * one partition are packed first-fit-decreasing into bins of at most
 * `targetFileSize` bytes; a bin holding a single file is dropped, since
 * rewriting one file alone gains nothing.
 */
export type { PartitionFilter };

export interface OptimizeBin {
  /** Partition values shared by every file in the bin (as logged). */
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly files: readonly AddAction[];
  readonly bytes: number;
}

export interface OptimizePlan {
  readonly bins: readonly OptimizeBin[];
  /** Distinct partitions with at least one bin. */
  readonly partitions: number;
  /** Candidates that stayed where they are (alone in their bin, or alone in their partition). */
  readonly skipped: number;
}

export interface PlanOptions {
  readonly where?: PartitionFilter;
  readonly targetFileSize: number;
  readonly minFileSize: number;
}

/** Stable key of a file's partition (in the table's partition-column order). */
export function partitionKey(add: Pick<AddAction, 'partitionValues'>, partitionColumns: readonly string[]): string {
  return JSON.stringify(partitionColumns.map((c) => add.partitionValues[c] ?? null));
}

export function planOptimize(snapshot: Snapshot, options: PlanOptions): OptimizePlan {
  const byPartition = new Map<string, AddAction[]>();
  for (const add of snapshot.files.values()) {
    // Files with deletion vectors cannot be rewritten without applying them; the reader refuses such tables anyway.
    if (add.deletionVector != null) continue;
    if (add.size >= options.minFileSize || !matchesPartition(add, options.where)) continue;
    const key = partitionKey(add, snapshot.partitionColumns);
    const list = byPartition.get(key) ?? [];
    list.push(add);
    byPartition.set(key, list);
  }

  const bins: OptimizeBin[] = [];
  let partitions = 0;
  let skipped = 0;
  for (const files of byPartition.values()) {
    const packed = packFirstFitDecreasing(files, options.targetFileSize);
    const kept = packed.filter((b) => b.length > 1);
    skipped += packed.length - kept.length;
    if (kept.length === 0) continue;
    partitions++;
    for (const group of kept) {
      bins.push({ partitionValues: group[0]?.partitionValues ?? {}, files: group, bytes: group.reduce((n, f) => n + f.size, 0) });
    }
  }
  return { bins, partitions, skipped };
}

function packFirstFitDecreasing(files: readonly AddAction[], capacity: number): AddAction[][] {
  // Sort by size, then path, so the plan is deterministic for a given snapshot.
  const sorted = [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const bins: { files: AddAction[]; bytes: number }[] = [];
  for (const file of sorted) {
    const bin = bins.find((b) => b.bytes + file.size <= capacity);
    if (bin) {
      bin.files.push(file);
      bin.bytes += file.size;
    } else {
      bins.push({ files: [file], bytes: file.size });
    }
  }
  return bins.map((b) => b.files);
}
