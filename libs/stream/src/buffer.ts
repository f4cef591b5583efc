/**
 * Fetched records waiting for the next micro-batch, in arrival order. A
 * batch takes a prefix up to the record and byte caps (Spark's
 * maxOffsetsPerTrigger / a byte cap), splitting a fetched chunk when needed,
 * so each partition's records stay contiguous and ordered across batches.
 */
import type { PartitionRange } from './offsets.js';
import { tpKey, type SourceRecord } from './record.js';

interface Chunk {
  readonly key: string;
  records: readonly SourceRecord[];
  bytes: number;
}

export interface TakenBatch {
  readonly records: SourceRecord[];
  readonly bytes: number;
  readonly ranges: PartitionRange[];
}

export class RecordBuffer {
  private chunks: Chunk[] = [];
  private recordCount = 0;
  private byteCount = 0;

  get records(): number {
    return this.recordCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** Appends records of one partition (in offset order). */
  push(records: readonly SourceRecord[]): void {
    const first = records[0];
    if (first === undefined) return;
    const bytes = records.reduce((n, r) => n + r.size, 0);
    this.chunks.push({ key: tpKey(first.topic, first.partition), records, bytes });
    this.recordCount += records.length;
    this.byteCount += bytes;
  }

  /**
   * Takes up to `maxRecords` records and about `maxBytes` bytes (at least one
   * record, so a record larger than the cap still moves).
   */
  take(maxRecords: number, maxBytes: number): TakenBatch {
    const out: SourceRecord[] = [];
    let bytes = 0;
    while (this.chunks.length > 0 && out.length < maxRecords) {
      const chunk = this.chunks[0] as Chunk;
      let n = 0;
      let b = 0;
      while (n < chunk.records.length && out.length + n < maxRecords) {
        const size = (chunk.records[n] as SourceRecord).size;
        if (out.length + n > 0 && bytes + b + size > maxBytes) break;
        b += size;
        n++;
      }
      if (n === 0) break;
      for (let i = 0; i < n; i++) out.push(chunk.records[i] as SourceRecord);
      bytes += b;
      if (n === chunk.records.length) this.chunks.shift();
      else {
        chunk.records = chunk.records.slice(n);
        chunk.bytes -= b;
      }
      this.recordCount -= n;
      this.byteCount -= b;
      if (bytes >= maxBytes) break;
    }
    return { records: out, bytes, ranges: rangesOf(out) };
  }

  /** Drops every buffered record of the partitions `keep` rejects (revoked or fenced partitions). */
  retain(keep: (topic: string, partition: number) => boolean): number {
    let dropped = 0;
    this.chunks = this.chunks.filter((c) => {
      const r = c.records[0] as SourceRecord;
      if (keep(r.topic, r.partition)) return true;
      dropped += c.records.length;
      this.recordCount -= c.records.length;
      this.byteCount -= c.bytes;
      return false;
    });
    return dropped;
  }

  clear(): void {
    this.chunks = [];
    this.recordCount = 0;
    this.byteCount = 0;
  }
}

/** First and last offset per partition of `records`, in first-seen order. */
export function rangesOf(records: readonly SourceRecord[]): PartitionRange[] {
  const byKey = new Map<string, { topic: string; partition: number; first: bigint; last: bigint }>();
  for (const r of records) {
    const key = tpKey(r.topic, r.partition);
    const range = byKey.get(key);
    if (range === undefined) byKey.set(key, { topic: r.topic, partition: r.partition, first: r.offset, last: r.offset });
    else {
      if (r.offset < range.first) range.first = r.offset;
      if (r.offset > range.last) range.last = r.offset;
    }
  }
  return [...byKey.values()];
}
