/**
 * A segment's sparse index: one entry every `indexIntervalBytes` of batches,
 * each pointing at a batch start. Entries are 16 bytes on disk, big-endian:
 *
 *   relativeOffset int32 · position int32 · timestampBefore int64
 *
 * `timestampBefore` is the largest batch maxTimestamp in the segment before
 * `position` (-1 if none). It never decreases, so one binary search answers
 * "where do batches with maxTimestamp >= t start at the earliest" and the
 * same file serves offset and timestamp lookups (Kafka keeps two files).
 *
 * The index is a cache of the log: it is validated on open and rebuilt from
 * the segment when missing or inconsistent.
 */
export const INDEX_ENTRY_SIZE = 16;

export interface IndexEntry {
  readonly relativeOffset: number;
  readonly position: number;
  readonly timestampBefore: number;
}

export class SparseIndex {
  private readonly rel: number[] = [];
  private readonly pos: number[] = [];
  private readonly ts: number[] = [];

  constructor(readonly baseOffset: number) {}

  get length(): number {
    return this.rel.length;
  }

  entry(i: number): IndexEntry | undefined {
    if (i < 0 || i >= this.rel.length) return undefined;
    return { relativeOffset: this.rel[i] as number, position: this.pos[i] as number, timestampBefore: this.ts[i] as number };
  }

  last(): IndexEntry | undefined {
    return this.entry(this.rel.length - 1);
  }

  /** True when `e` can follow the current last entry (strictly increasing offset and position, non-decreasing time). */
  accepts(e: IndexEntry): boolean {
    const n = this.rel.length;
    if (e.relativeOffset < 0 || e.position <= 0 || e.relativeOffset > 0x7fffffff) return false;
    if (n === 0) return true;
    return e.relativeOffset > (this.rel[n - 1] as number) && e.position > (this.pos[n - 1] as number) && e.timestampBefore >= (this.ts[n - 1] as number);
  }

  push(e: IndexEntry): void {
    this.rel.push(e.relativeOffset);
    this.pos.push(e.position);
    this.ts.push(e.timestampBefore);
  }

  /** Position of the last entry at or before `offset`, else 0: a scan for `offset` may start there. */
  positionForOffset(offset: number): number {
    const i = lastIndexWhere(this.rel, (r) => this.baseOffset + r <= offset);
    return i < 0 ? 0 : (this.pos[i] as number);
  }

  /** Position of the last entry whose earlier batches are all older than `timestamp`, else 0. */
  positionForTimestamp(timestamp: number): number {
    const i = lastIndexWhere(this.ts, (t) => t < timestamp);
    return i < 0 ? 0 : (this.pos[i] as number);
  }

  /** Entries from `from` on, in the file format. */
  encode(from = 0): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, this.rel.length - from) * INDEX_ENTRY_SIZE);
    for (let i = from; i < this.rel.length; i++) {
      writeEntry(out, (i - from) * INDEX_ENTRY_SIZE, { relativeOffset: this.rel[i] as number, position: this.pos[i] as number, timestampBefore: this.ts[i] as number });
    }
    return out;
  }

  /**
   * Reads entries, keeping the longest valid prefix whose positions lie
   * inside a log of `logSize` bytes. `intact` is false when anything was
   * dropped (a partial trailing entry, an out-of-order or dangling entry).
   */
  static decode(bytes: Uint8Array, baseOffset: number, logSize: number): { readonly index: SparseIndex; readonly intact: boolean } {
    const index = new SparseIndex(baseOffset);
    const whole = Math.floor(bytes.length / INDEX_ENTRY_SIZE);
    let intact = whole * INDEX_ENTRY_SIZE === bytes.length;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < whole; i++) {
      const at = i * INDEX_ENTRY_SIZE;
      const e: IndexEntry = { relativeOffset: v.getInt32(at), position: v.getInt32(at + 4), timestampBefore: v.getInt32(at + 8) * 0x1_0000_0000 + v.getUint32(at + 12) };
      if (!index.accepts(e) || e.position >= logSize) {
        intact = false;
        break;
      }
      index.push(e);
    }
    return { index, intact };
  }
}

function writeEntry(out: Buffer, at: number, e: IndexEntry): void {
  out.writeInt32BE(e.relativeOffset, at);
  out.writeInt32BE(e.position, at + 4);
  const hi = Math.floor(e.timestampBefore / 0x1_0000_0000);
  out.writeInt32BE(hi, at + 8);
  out.writeUInt32BE(e.timestampBefore - hi * 0x1_0000_0000, at + 12);
}

/** Binary search over a list on which `pred` is true for a prefix. */
function lastIndexWhere(values: readonly number[], pred: (v: number) => boolean): number {
  let lo = 0;
  let hi = values.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(values[mid] as number)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
