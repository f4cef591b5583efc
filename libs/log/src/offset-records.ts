/**
 * Records of the committed-offsets file. The file is an 8-byte header
 * ("LSOF", version u32) followed by frames:
 *
 *   payloadLength u32 · CRC-32C(payload) u32 · payload
 *
 * payload (big-endian; strings are u16 length + UTF-8):
 *   1 COMMIT       group, count u32, count × (topic, partition i32, offset i64,
 *                  leaderEpoch i32, commitTimestamp i64, metadata: i32 length
 *                  (-1 = null) + UTF-8)
 *   2 DELETE_GROUP group
 *   3 DELETE_TOPIC topic   (its offsets in every group)
 *
 * One COMMIT holds one OffsetCommit request, so a request is all-or-nothing
 * across a crash.
 */
import { crc32c } from './batch.js';
import { LogError } from './errors.js';

export const OFFSETS_MAGIC = Buffer.from('LSOF', 'latin1');
export const OFFSETS_VERSION = 1;
export const OFFSETS_HEADER_SIZE = 8;
const FRAME_OVERHEAD = 8;
const MAX_STRING = 0x7fff;
/** A frame longer than this is treated as garbage, not as a reason to allocate. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** -1 when the client sent none. */
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  readonly commitTimestamp: number;
}

export type OffsetRecord =
  | { readonly type: 'commit'; readonly group: string; readonly offsets: readonly CommittedOffset[] }
  | { readonly type: 'delete-group'; readonly group: string }
  | { readonly type: 'delete-topic'; readonly topic: string };

export function offsetsFileHeader(): Buffer {
  const out = Buffer.alloc(OFFSETS_HEADER_SIZE);
  OFFSETS_MAGIC.copy(out, 0);
  out.writeUInt32BE(OFFSETS_VERSION, 4);
  return out;
}

export function isOffsetsFileHeader(bytes: Buffer): boolean {
  return bytes.length >= OFFSETS_HEADER_SIZE && bytes.subarray(0, 4).equals(OFFSETS_MAGIC) && bytes.readUInt32BE(4) === OFFSETS_VERSION;
}

/** One frame; throws INVALID_ARGUMENT for strings the format cannot hold. */
export function encodeOffsetRecord(record: OffsetRecord): Buffer {
  const w = new Writer();
  switch (record.type) {
    case 'commit':
      w.u8(1).str(record.group).u32(record.offsets.length);
      for (const o of record.offsets) {
        w.str(o.topic).i32(o.partition).i64(o.offset).i32(o.leaderEpoch).i64(o.commitTimestamp).nullableLongStr(o.metadata);
      }
      break;
    case 'delete-group':
      w.u8(2).str(record.group);
      break;
    case 'delete-topic':
      w.u8(3).str(record.topic);
      break;
  }
  const payload = w.done();
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32c(payload), 4);
  payload.copy(frame, FRAME_OVERHEAD);
  return frame;
}

/**
 * Decodes frames from `bytes[start..]` until the end or the first frame
 * that is torn or fails its CRC; `validEnd` is where that frame starts.
 */
export function decodeOffsetRecords(bytes: Buffer, start: number): { readonly records: OffsetRecord[]; readonly validEnd: number } {
  const records: OffsetRecord[] = [];
  let at = start;
  while (at + FRAME_OVERHEAD <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    if (length === 0 || length > MAX_PAYLOAD || at + FRAME_OVERHEAD + length > bytes.length) break;
    const payload = bytes.subarray(at + FRAME_OVERHEAD, at + FRAME_OVERHEAD + length);
    if (crc32c(payload) !== bytes.readUInt32BE(at + 4)) break;
    const record = decodePayload(payload);
    if (!record) break;
    records.push(record);
    at += FRAME_OVERHEAD + length;
  }
  return { records, validEnd: at };
}

function decodePayload(p: Buffer): OffsetRecord | undefined {
  const r = new Reader(p);
  try {
    const type = r.u8();
    let record: OffsetRecord | undefined;
    if (type === 1) {
      const group = r.str();
      const count = r.u32();
      const offsets: CommittedOffset[] = [];
      for (let i = 0; i < count; i++) {
        offsets.push({ topic: r.str(), partition: r.i32(), offset: r.i64(), leaderEpoch: r.i32(), commitTimestamp: r.i64(), metadata: r.nullableLongStr() });
      }
      record = { type: 'commit', group, offsets };
    } else if (type === 2) {
      record = { type: 'delete-group', group: r.str() };
    } else if (type === 3) {
      record = { type: 'delete-topic', topic: r.str() };
    }
    return r.atEnd() ? record : undefined;
  } catch {
    return undefined; // RangeError: a length that runs past the payload
  }
}

class Writer {
  private readonly parts: Buffer[] = [];

  u8(n: number): this {
    const b = Buffer.allocUnsafe(1);
    b.writeUInt8(n);
    return this.push(b);
  }

  u32(n: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(n);
    return this.push(b);
  }

  i32(n: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(n);
    return this.push(b);
  }

  i64(n: number): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt(n));
    return this.push(b);
  }

  str(s: string): this {
    const bytes = Buffer.from(s, 'utf8');
    if (bytes.length > MAX_STRING) throw new LogError('INVALID_ARGUMENT', `string of ${bytes.length} bytes is longer than ${MAX_STRING}`);
    const len = Buffer.allocUnsafe(2);
    len.writeUInt16BE(bytes.length);
    return this.push(len).push(bytes);
  }

  nullableLongStr(s: string | null): this {
    if (s === null) return this.i32(-1);
    const bytes = Buffer.from(s, 'utf8');
    return this.i32(bytes.length).push(bytes);
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
}

class Reader {
  private at = 0;

  constructor(private readonly b: Buffer) {}

  u8(): number {
    return this.b.readUInt8(this.advance(1));
  }

  u32(): number {
    return this.b.readUInt32BE(this.advance(4));
  }

  i32(): number {
    return this.b.readInt32BE(this.advance(4));
  }

  i64(): number {
    return Number(this.b.readBigInt64BE(this.advance(8)));
  }

  str(): string {
    const len = this.b.readUInt16BE(this.advance(2));
    return this.utf8(len);
  }

  nullableLongStr(): string | null {
    const len = this.i32();
    return len < 0 ? null : this.utf8(len);
  }

  atEnd(): boolean {
    return this.at === this.b.length;
  }

  private utf8(len: number): string {
    const start = this.advance(len);
    return this.b.toString('utf8', start, start + len);
  }

  private advance(n: number): number {
    const start = this.at;
    if (start + n > this.b.length) throw new RangeError('past the end of the record');
    this.at += n;
    return start;
  }
}
