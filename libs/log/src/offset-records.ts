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
 *   2 DELETE_GROUP group   (its offsets and its group metadata)
 *   3 DELETE_TOPIC topic   (its offsets in every group)
 *   4 GROUP        group, generation i32, protocolType, protocolName, leader,
 *                  timestamp i64, count u32 × member: (memberId,
 *                  groupInstanceId (nullable), clientId, clientHost: i32
 *                  length + UTF-8; sessionTimeoutMs i32, rebalanceTimeoutMs
 *                  i32, count u32 × protocol (name: i32 length + UTF-8,
 *                  metadata: u32 length + bytes), assignment: u32 length + bytes)
 *
 * One COMMIT holds one OffsetCommit request, so a request is all-or-nothing
 * across a crash. GROUP is the whole membership of a group as Kafka keeps it
 * in __consumer_offsets (generation, protocol, leader, members with their
 * subscriptions and assignments); the latest one per group wins. Version 2
 * added GROUP; a version 1 file is read and rewritten as version 2 on open,
 * and a version 1 reader refuses a version 2 file (bad header) instead of
 * cutting it at the first GROUP record.
 */
import { crc32c } from './batch.js';
import { LogError } from './errors.js';

export const OFFSETS_MAGIC = Buffer.from('LSOF', 'latin1');
export const OFFSETS_VERSION = 2;
/** Versions this code reads (1 has no GROUP records). */
const READABLE_VERSIONS: ReadonlySet<number> = new Set([1, 2]);
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

/** A protocol a member offered when it joined (e.g. `range` and its subscription bytes). */
export interface StoredGroupProtocol {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface StoredGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocols: readonly StoredGroupProtocol[];
  readonly assignment: Uint8Array;
}

/** A group's membership as of its last completed rebalance (or its last member leaving: no members). */
export interface StoredGroup {
  readonly group: string;
  readonly generationId: number;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly leaderId: string;
  /** When it was stored (ms). */
  readonly timestamp: number;
  readonly members: readonly StoredGroupMember[];
}

export type OffsetRecord =
  | { readonly type: 'commit'; readonly group: string; readonly offsets: readonly CommittedOffset[] }
  | { readonly type: 'delete-group'; readonly group: string }
  | { readonly type: 'delete-topic'; readonly topic: string }
  | ({ readonly type: 'group' } & StoredGroup);

export function offsetsFileHeader(): Buffer {
  const out = Buffer.alloc(OFFSETS_HEADER_SIZE);
  OFFSETS_MAGIC.copy(out, 0);
  out.writeUInt32BE(OFFSETS_VERSION, 4);
  return out;
}

/** The file's format version, or undefined when it is not a committed-offsets file this code reads. */
export function offsetsFileVersion(bytes: Buffer): number | undefined {
  if (bytes.length < OFFSETS_HEADER_SIZE || !bytes.subarray(0, 4).equals(OFFSETS_MAGIC)) return undefined;
  const version = bytes.readUInt32BE(4);
  return READABLE_VERSIONS.has(version) ? version : undefined;
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
    case 'group':
      w.u8(4).str(record.group).i32(record.generationId).longStr(record.protocolType).longStr(record.protocolName).longStr(record.leaderId);
      w.i64(record.timestamp).u32(record.members.length);
      for (const m of record.members) {
        w.longStr(m.memberId).nullableLongStr(m.groupInstanceId).longStr(m.clientId).longStr(m.clientHost);
        w.i32(m.sessionTimeoutMs).i32(m.rebalanceTimeoutMs).u32(m.protocols.length);
        for (const p of m.protocols) w.longStr(p.name).bytes(p.metadata);
        w.bytes(m.assignment);
      }
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
  for (;;) {
    const frame = decodeFrame(bytes, at);
    if (typeof frame === 'string') break;
    records.push(frame.record);
    at += frame.size;
  }
  return { records, validEnd: at };
}

/**
 * Exactly one frame (as `encodeOffsetRecord` makes it). Bytes that are not
 * one whole, CRC-correct, well-formed frame throw CORRUPT_FILE saying why.
 */
export function decodeOffsetRecord(frame: Buffer): OffsetRecord {
  const decoded = decodeFrame(frame, 0);
  if (typeof decoded === 'string') throw new LogError('CORRUPT_FILE', `not an offset-store record: ${decoded}`);
  if (decoded.size !== frame.length) throw new LogError('CORRUPT_FILE', `not an offset-store record: ${frame.length - decoded.size} bytes after the frame`);
  return decoded.record;
}

/** The frame at `at`, or why there is none (torn, corrupt, malformed). Never throws. */
function decodeFrame(bytes: Buffer, at: number): { readonly record: OffsetRecord; readonly size: number } | string {
  if (at + FRAME_OVERHEAD > bytes.length) return 'torn frame header';
  const length = bytes.readUInt32BE(at);
  if (length === 0 || length > MAX_PAYLOAD) return `implausible payload length ${length}`;
  if (at + FRAME_OVERHEAD + length > bytes.length) return 'torn payload';
  const payload = bytes.subarray(at + FRAME_OVERHEAD, at + FRAME_OVERHEAD + length);
  if (crc32c(payload) !== bytes.readUInt32BE(at + 4)) return 'CRC mismatch';
  const record = decodePayload(payload);
  return record ? { record, size: FRAME_OVERHEAD + length } : 'malformed payload';
}

function decodePayload(p: Buffer): OffsetRecord | undefined {
  const r = new Reader(p);
  try {
    const type = r.u8();
    let record: OffsetRecord | undefined;
    if (type === 4) {
      record = decodeGroup(r);
    } else if (type === 1) {
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

function decodeGroup(r: Reader): OffsetRecord {
  const group = r.str();
  const generationId = r.i32();
  const protocolType = r.longStr();
  const protocolName = r.longStr();
  const leaderId = r.longStr();
  const timestamp = r.i64();
  const count = r.u32();
  const members: StoredGroupMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = r.longStr();
    const groupInstanceId = r.nullableLongStr();
    const clientId = r.longStr();
    const clientHost = r.longStr();
    const sessionTimeoutMs = r.i32();
    const rebalanceTimeoutMs = r.i32();
    const protocolCount = r.u32();
    const protocols: StoredGroupProtocol[] = [];
    for (let j = 0; j < protocolCount; j++) protocols.push({ name: r.longStr(), metadata: r.bytes() });
    members.push({ memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocols, assignment: r.bytes() });
  }
  return { type: 'group', group, generationId, protocolType, protocolName, leaderId, timestamp, members };
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

  longStr(s: string): this {
    return this.nullableLongStr(s);
  }

  bytes(b: Uint8Array): this {
    return this.u32(b.length).push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
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

  longStr(): string {
    const s = this.nullableLongStr();
    if (s === null) throw new RangeError('a null where a string is required');
    return s;
  }

  /** A copy: the file's buffer is not kept alive by the records. */
  bytes(): Uint8Array {
    const len = this.u32();
    const start = this.advance(len);
    return new Uint8Array(this.b.subarray(start, start + len));
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
