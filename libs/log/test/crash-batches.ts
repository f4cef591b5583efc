import { buildBatch } from './batches.js';

/** The i-th batch the crash child appends; the parent rebuilds it to check what survived. */
export function crashBatch(i: number): Buffer {
  const records = Array.from({ length: 1 + (i % 5) }, (_, j) => ({ key: `b${i}-r${j}`, value: `${i}:${j}:${'z'.repeat((i * 31 + j) % 200)}`, timestampDelta: j }));
  return buildBatch({ records, baseTimestamp: 1_700_000_000_000 + i });
}

export const CRASH_CONFIG = { flush: 'always', segmentBytes: 4096, indexIntervalBytes: 512 } as const;
