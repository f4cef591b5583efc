import { ProtocolError } from '../errors.js';
import type { Reader } from '../primitives/reader.js';
import { readUtf8, utf8Length } from '../primitives/utf8.js';
import type { Writer } from '../primitives/writer.js';
import { uvarintSize } from '../primitives/writer.js';

/**
 * One record inside a v2 batch: varint length, int8 attributes (unused),
 * varlong timestampDelta, varint offsetDelta, varint-length key and value
 * (-1 = null), varint header count, headers of varint-length key (a string)
 * and value (-1 = null).
 */
export interface RecordHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

export interface KafkaRecord {
  readonly attributes: number;
  readonly timestampDelta: bigint;
  readonly offsetDelta: number;
  /** baseTimestamp + timestampDelta (for LogAppendTime batches the batch's maxTimestamp applies instead). */
  readonly timestamp: bigint;
  /** baseOffset + offsetDelta. */
  readonly offset: bigint;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly RecordHeader[];
}

export function readRecord(r: Reader, baseOffset: bigint, baseTimestamp: bigint): KafkaRecord {
  const at = r.offset;
  const length = r.varint();
  if (length < 0 || length > r.remaining) {
    throw new ProtocolError('CORRUPT_BATCH', `record length ${length} with ${r.remaining} bytes left`, { byteOffset: at });
  }
  const end = r.offset + length;
  const attributes = r.int8();
  const timestampDelta = r.varlong();
  const offsetDelta = r.varint();
  const key = varintBytes(r);
  const value = varintBytes(r);
  const headerCount = r.varint();
  if (headerCount < 0 || headerCount > end - r.offset) {
    throw new ProtocolError('CORRUPT_BATCH', `record header count ${headerCount}`, { byteOffset: r.offset });
  }
  const headers: RecordHeader[] = new Array<RecordHeader>(headerCount);
  for (let i = 0; i < headerCount; i++) {
    const keyAt = r.offset;
    const keyBytes = varintBytes(r);
    if (keyBytes === null) throw new ProtocolError('CORRUPT_BATCH', 'null record header key', { byteOffset: keyAt });
    headers[i] = { key: readUtf8(keyBytes, 0, keyBytes.length), value: varintBytes(r) };
  }
  if (r.offset !== end) {
    throw new ProtocolError('CORRUPT_BATCH', `record declared ${length} bytes but used ${r.offset - (end - length)}`, { byteOffset: at });
  }
  return {
    attributes,
    timestampDelta,
    offsetDelta,
    timestamp: baseTimestamp + timestampDelta,
    offset: baseOffset + BigInt(offsetDelta),
    key,
    value,
    headers,
  };
}

function varintBytes(r: Reader): Uint8Array | null {
  const at = r.offset;
  const length = r.varint();
  if (length === -1) return null;
  if (length < 0) throw new ProtocolError('CORRUPT_BATCH', `record field length ${length}`, { byteOffset: at });
  return r.raw(length);
}

/** What a caller supplies to encode one record. */
export interface RecordInput {
  readonly key?: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[];
  /** Absolute timestamp; defaults to the batch's baseTimestamp. */
  readonly timestamp?: bigint;
  /** Defaults to the record's index in the batch. */
  readonly offsetDelta?: number;
}

export function writeRecord(w: Writer, record: RecordInput, offsetDelta: number, timestampDelta: bigint): void {
  const key = record.key ?? null;
  const headers = record.headers ?? [];
  const headerKeyLengths = headers.map((h) => utf8Length(h.key));
  let size = 1 + varlongSize(timestampDelta) + varintSize(offsetDelta);
  size += nullableSize(key) + nullableSize(record.value) + varintSize(headers.length);
  headers.forEach((h, i) => {
    const keyLength = headerKeyLengths[i] as number;
    size += varintSize(keyLength) + keyLength + nullableSize(h.value);
  });
  w.varint(size);
  w.int8(0);
  w.varlong(timestampDelta);
  w.varint(offsetDelta);
  writeNullable(w, key);
  writeNullable(w, record.value);
  w.varint(headers.length);
  headers.forEach((h, i) => {
    const keyLength = headerKeyLengths[i] as number;
    w.varint(keyLength);
    w.utf8(h.key, keyLength);
    writeNullable(w, h.value);
  });
}

function nullableSize(b: Uint8Array | null): number {
  return b === null ? 1 : varintSize(b.length) + b.length;
}

function writeNullable(w: Writer, b: Uint8Array | null): void {
  if (b === null) w.varint(-1);
  else w.varint(b.length).raw(b);
}

export function varintSize(v: number): number {
  return uvarintSize(((v << 1) ^ (v >> 31)) >>> 0);
}

export function varlongSize(v: bigint): number {
  if (v >= -2147483648n && v <= 2147483647n) return varintSize(Number(v));
  let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  let size = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    size++;
  }
  return size;
}
