/**
 * Which old segments retention deletes: always a prefix of whole segments,
 * never the active (last) one. Pure, so the rules are testable without
 * files:
 *
 * - time: segments whose newest batch timestamp is older than now - retentionMs;
 * - size: oldest segments while the partition stays at or above retentionBytes
 *   without them (as Kafka: retention.bytes is kept, the excess goes);
 * - log start: segments wholly below logStartOffset (after deleteRecordsBefore).
 */
import type { LogConfig } from './config.js';

export interface SegmentSummary {
  readonly baseOffset: number;
  readonly nextOffset: number;
  readonly size: number;
  /** -1 for an empty segment. */
  readonly maxTimestamp: number;
}

export interface RetentionPlan {
  /** Delete this many of the oldest segments. */
  readonly deleteCount: number;
  readonly byTime: number;
  readonly bySize: number;
  readonly byLogStart: number;
}

export function planRetention(
  segments: readonly SegmentSummary[],
  config: Pick<LogConfig, 'retentionBytes' | 'retentionMs'>,
  now: number,
  logStartOffset: number,
): RetentionPlan {
  const candidates = segments.slice(0, -1);
  let byTime = 0;
  if (config.retentionMs >= 0) {
    const cutoff = now - config.retentionMs;
    while (byTime < candidates.length && (candidates[byTime] as SegmentSummary).maxTimestamp < cutoff) byTime++;
  }
  let bySize = 0;
  if (config.retentionBytes >= 0) {
    let excess = segments.reduce((n, s) => n + s.size, 0) - config.retentionBytes;
    while (bySize < candidates.length && excess - (candidates[bySize] as SegmentSummary).size >= 0) {
      excess -= (candidates[bySize] as SegmentSummary).size;
      bySize++;
    }
  }
  let byLogStart = 0;
  while (byLogStart < candidates.length && (candidates[byLogStart] as SegmentSummary).nextOffset <= logStartOffset) byLogStart++;
  return { deleteCount: Math.max(byTime, bySize, byLogStart), byTime, bySize, byLogStart };
}
