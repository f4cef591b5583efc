/**
 * Valid record batches v2 for the log's tests, built with the protocol
 * lib's encoder; plus helpers to split and compare what the log returns.
 */
import { encodeRecordBatch } from '@lakestream/protocol';

export interface TestRecord {
  readonly key?: string | Uint8Array | null;
  readonly value: string | Uint8Array | null;
  /** Added to the batch's baseTimestamp. */
  readonly timestampDelta?: number;
}

export interface TestBatchOptions {
  /** Records, or a count of generated ones. */
  readonly records: readonly TestRecord[] | number;
  readonly baseOffset?: number;
  readonly baseTimestamp?: number;
  /** Defaults to baseTimestamp + the largest timestampDelta. */
  readonly maxTimestamp?: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly partitionLeaderEpoch?: number;
  /** Filler bytes per generated record value, to make batches of a given size. */
  readonly valueBytes?: number;
}

export function buildBatch(options: TestBatchOptions): Buffer {
  const records: readonly TestRecord[] =
    typeof options.records === 'number'
      ? Array.from({ length: options.records }, (_, i) => ({ key: `k${i}`, value: `v${i}-${'x'.repeat(options.valueBytes ?? 8)}` }))
      : options.records;
  if (records.length === 0) throw new Error('a test batch needs at least one record');
  const baseTimestamp = options.baseTimestamp ?? 1_700_000_000_000;
  const bytes = encodeRecordBatch({
    records: records.map((r) => ({ key: toBytes(r.key ?? null), value: toBytes(r.value), timestamp: BigInt(baseTimestamp + (r.timestampDelta ?? 0)) })),
    baseOffset: BigInt(options.baseOffset ?? 0),
    baseTimestamp: BigInt(baseTimestamp),
    ...(options.maxTimestamp !== undefined ? { maxTimestamp: BigInt(options.maxTimestamp) } : {}),
    producerId: BigInt(options.producerId ?? -1),
    producerEpoch: options.producerEpoch ?? -1,
    baseSequence: options.baseSequence ?? -1,
    partitionLeaderEpoch: options.partitionLeaderEpoch ?? -1,
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toBytes(v: string | Uint8Array | null): Uint8Array | null {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

export function readBaseOffset(batch: Uint8Array, at = 0): number {
  return Number(Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength).readBigInt64BE(at));
}

/** Splits concatenated batches into [baseOffset, bytes] pairs. */
export function splitBatches(bytes: Buffer): { baseOffset: number; lastOffset: number; bytes: Buffer }[] {
  const out: { baseOffset: number; lastOffset: number; bytes: Buffer }[] = [];
  let p = 0;
  while (p < bytes.length) {
    const size = 12 + bytes.readInt32BE(p + 8);
    const b = bytes.subarray(p, p + size);
    const baseOffset = readBaseOffset(b);
    out.push({ baseOffset, lastOffset: baseOffset + b.readInt32BE(23), bytes: b });
    p += size;
  }
  return out;
}

/** The bytes that identify a batch's content regardless of the offset assigned (everything after the leader epoch). */
export function contentOf(batch: Uint8Array): string {
  return Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength).subarray(16).toString('hex');
}
