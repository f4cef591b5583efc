/**
 * What an idempotent producer's next batch is checked against: per producer
 * id, its epoch and the metadata of its last few batches (sequence range and
 * offsets, so a retried duplicate can be answered with its original offset).
 * The log records it from each appended batch header and restores it on open
 * from a snapshot file plus a replay of the batches after the snapshot; the
 * broker does the checking.
 *
 * Snapshot layout (big-endian): magic "LSPS" · version u16 · offset i64 ·
 * count u32 · per producer: id i64, epoch i16, lastSequence i32, lastOffset
 * i64, lastTimestamp i64, batchCount u8, per batch: firstSequence i32,
 * lastSequence i32, firstOffset i64, lastOffset i64, maxTimestamp i64 ·
 * CRC-32C u32 of everything before it.
 */
import { crc32c, isTransactional, type BatchHeader } from './batch.js';

/** Kafka's broker remembers this many batches per producer for duplicate detection. */
export const PRODUCER_BATCHES_KEPT = 5;
const NO_SEQUENCE = -1;
const MAGIC = 0x4c535053;
const VERSION = 1;

export interface ProducerBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

export interface ProducerState {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Sequence of the last record appended, -1 if none carried a sequence. */
  readonly lastSequence: number;
  readonly lastOffset: number;
  readonly lastTimestamp: number;
  /** Up to the last PRODUCER_BATCHES_KEPT batches of the current epoch, oldest first. */
  readonly batches: readonly ProducerBatch[];
}

/** The producer fields of a batch header, with its last sequence worked out. */
export interface BatchProducerInfo {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly recordCount: number;
  readonly isTransactional: boolean;
}

/** The producer fields of a batch, or undefined for a batch without a producer id. */
export function producerInfoOf(h: BatchHeader): BatchProducerInfo | undefined {
  if (h.producerId < 0) return undefined;
  return {
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    lastSequence: h.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(h.baseSequence, h.lastOffsetDelta),
    recordCount: h.recordCount,
    isTransactional: isTransactional(h),
  };
}

/** Sequences wrap from 2^31-1 to 0, as in Kafka. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > 0x7fffffff - increment ? increment - (0x7fffffff - sequence) - 1 : sequence + increment;
}

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerState>();

  get size(): number {
    return this.producers.size;
  }

  get(producerId: number): ProducerState | undefined {
    return this.producers.get(producerId);
  }

  values(): IterableIterator<ProducerState> {
    return this.producers.values();
  }

  clear(): void {
    this.producers.clear();
  }

  /** Records an appended batch. A newer epoch starts the producer's batch history afresh. */
  update(info: BatchProducerInfo, firstOffset: number, lastOffset: number, maxTimestamp: number): void {
    const prev = this.producers.get(info.producerId);
    const sameEpoch = prev !== undefined && prev.producerEpoch === info.producerEpoch;
    let batches = sameEpoch ? prev.batches : [];
    if (info.baseSequence !== NO_SEQUENCE) {
      const batch: ProducerBatch = { firstSequence: info.baseSequence, lastSequence: info.lastSequence, firstOffset, lastOffset, maxTimestamp };
      batches = [...batches.slice(-(PRODUCER_BATCHES_KEPT - 1)), batch];
    }
    this.producers.set(info.producerId, {
      producerId: info.producerId,
      producerEpoch: info.producerEpoch,
      lastSequence: info.baseSequence !== NO_SEQUENCE ? info.lastSequence : sameEpoch ? prev.lastSequence : NO_SEQUENCE,
      lastOffset,
      lastTimestamp: maxTimestamp,
      batches,
    });
  }

  encodeSnapshot(offset: number): Buffer {
    const states = [...this.producers.values()];
    const size = 18 + states.reduce((n, s) => n + 31 + s.batches.length * 32, 0) + 4;
    const out = Buffer.alloc(size);
    let at = out.writeUInt32BE(MAGIC, 0);
    at = out.writeUInt16BE(VERSION, at);
    at = writeInt64(out, offset, at);
    at = out.writeUInt32BE(states.length, at);
    for (const s of states) {
      at = writeInt64(out, s.producerId, at);
      at = out.writeInt16BE(s.producerEpoch, at);
      at = out.writeInt32BE(s.lastSequence, at);
      at = writeInt64(out, s.lastOffset, at);
      at = writeInt64(out, s.lastTimestamp, at);
      at = out.writeUInt8(s.batches.length, at);
      for (const b of s.batches) {
        at = out.writeInt32BE(b.firstSequence, at);
        at = out.writeInt32BE(b.lastSequence, at);
        at = writeInt64(out, b.firstOffset, at);
        at = writeInt64(out, b.lastOffset, at);
        at = writeInt64(out, b.maxTimestamp, at);
      }
    }
    out.writeUInt32BE(crc32c(out, 0, at), at);
    return out;
  }

  /** The table in a snapshot and the offset it was taken at, or undefined if the bytes are not an intact snapshot. */
  static decodeSnapshot(bytes: Buffer): { readonly offset: number; readonly table: ProducerStateTable } | undefined {
    if (bytes.length < 22 || crc32c(bytes, 0, bytes.length - 4) !== bytes.readUInt32BE(bytes.length - 4)) return undefined;
    if (bytes.readUInt32BE(0) !== MAGIC || bytes.readUInt16BE(4) !== VERSION) return undefined;
    const offset = readInt64(bytes, 6);
    const count = bytes.readUInt32BE(14);
    const table = new ProducerStateTable();
    let at = 18;
    try {
      for (let i = 0; i < count; i++) {
        const producerId = readInt64(bytes, at);
        const producerEpoch = bytes.readInt16BE(at + 8);
        const lastSequence = bytes.readInt32BE(at + 10);
        const lastOffset = readInt64(bytes, at + 14);
        const lastTimestamp = readInt64(bytes, at + 22);
        const n = bytes.readUInt8(at + 30);
        at += 31;
        const batches: ProducerBatch[] = [];
        for (let j = 0; j < n; j++, at += 32) {
          batches.push({
            firstSequence: bytes.readInt32BE(at),
            lastSequence: bytes.readInt32BE(at + 4),
            firstOffset: readInt64(bytes, at + 8),
            lastOffset: readInt64(bytes, at + 16),
            maxTimestamp: readInt64(bytes, at + 24),
          });
        }
        table.producers.set(producerId, { producerId, producerEpoch, lastSequence, lastOffset, lastTimestamp, batches });
      }
    } catch {
      return undefined; // RangeError: counts that run past the bytes
    }
    return at === bytes.length - 4 ? { offset, table } : undefined;
  }
}

function writeInt64(out: Buffer, value: number, at: number): number {
  const hi = Math.floor(value / 0x1_0000_0000);
  out.writeInt32BE(hi, at);
  return out.writeUInt32BE(value - hi * 0x1_0000_0000, at + 4);
}

function readInt64(bytes: Buffer, at: number): number {
  return bytes.readInt32BE(at) * 0x1_0000_0000 + bytes.readUInt32BE(at + 4);
}
