/**
 * A fast Arrow IPC *stream* encoder for the tables the sink writes, a drop-in
 * for `arrow.tableToIPC(table, 'stream')` on the Parquet write path.
 *
 * apache-arrow's writer builds every message through generic visitors and a
 * FlatBuffers Builder, which costs ~0.4 ms per small file. Here:
 * - the schema message is encoded once (by apache-arrow itself) and cached.
 *   The cache matches schemas by field names, nullability, metadata and
 *   DataType *objects*, not by Schema or Field identity: arrow-js copies both
 *   in `new arrow.RecordBatch(schema, …)` (Schema.assign clones every Field),
 *   but keeps the DataType instances;
 * - each record batch message is hand-written: its FlatBuffers metadata has a
 *   fixed layout (below), so it is a handful of stores into one output buffer,
 *   followed by the body buffers copied in place (8-byte aligned).
 *
 * Stream layout (Arrow columnar format, "Encapsulated message format"):
 *   per message: 0xFFFFFFFF, int32 metadata length (padded so the body starts
 *   8-byte aligned), the FlatBuffers `Message`, then the body; after the last
 *   batch the end-of-stream marker 0xFFFFFFFF 0x00000000.
 *
 * Supported column types (nested freely in Struct): Int (all widths, signed
 * and unsigned), Float, Bool, Utf8, Binary, Date (day, millisecond),
 * Timestamp, Time, Decimal, FixedSizeBinary, Struct. Tables with any other
 * type (List, Map, Dictionary, Union, …) or with record-batch metadata fall
 * back to `arrow.tableToIPC`.
 *
 * Sliced arrow-js Data (nonzero `offset`) is handled the way arrow-js slices:
 * fixed-width values and value offsets are already cut at the offset, bitmaps
 * (validity, bool values) and the utf8/binary byte buffer are not, so bitmaps
 * are realigned to bit 0 and value offsets rebased to 0.
 */
import * as arrow from 'apache-arrow';
import { alignBits } from './arrow-columns.js';
import { withParquetMapNames } from './parquet-names.js';

/** Encoded schemas by the DataType object of their first field (a few per type, most recent first). */
const SCHEMAS = new WeakMap<arrow.DataType, CachedSchema[]>();
const MAX_SCHEMAS_PER_TYPE = 8;

interface CachedSchema {
  readonly fields: readonly arrow.Field[];
  readonly metadata: ReadonlyMap<string, string>;
  /** The framed schema message; `null` when the schema needs the fallback. */
  readonly message: Uint8Array | null;
}

const EMPTY = new Uint8Array(0);
const CONTINUATION = 0xffffffff;
const METADATA_V5 = 4;
const HEADER_RECORD_BATCH = 3;
/** Size of the hand-written RecordBatch `Message` flatbuffer without its two vectors' elements. */
const FIXED_METADATA = 96;

/** Encodes `table` as an Arrow IPC stream (schema, one record batch message per batch, end-of-stream). */
export function encodeIpcStream(input: arrow.Table): Uint8Array {
  const table = withParquetMapNames(input); // the stream feeds parquet-wasm: maps as Parquet's `key_value` groups
  const schemaMessage = schemaMessageOf(table.schema);
  if (schemaMessage === null) return arrow.tableToIPC(table, 'stream');
  const batches: Body[] = [];
  for (const batch of table.batches) {
    if (batch.metadata.size > 0) return arrow.tableToIPC(table, 'stream');
    const body: Body = { length: batch.numRows, nodes: [], buffers: [] };
    for (const child of batch.data.children) if (!assemble(child, body)) return arrow.tableToIPC(table, 'stream');
    batches.push(body);
  }

  let size = schemaMessage.length + 8;
  for (const body of batches) size += 8 + metadataSize(body) + bodySize(body);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(schemaMessage, 0);
  let pos = schemaMessage.length;
  for (const body of batches) pos = writeRecordBatch(out, view, pos, body);
  view.setUint32(pos, CONTINUATION, true); // end of stream: 0xFFFFFFFF 0x00000000
  return out;
}

/** The flattened record batch: FieldNode (length, null count) pairs and body buffers, depth-first. */
interface Body {
  readonly length: number;
  readonly nodes: number[];
  readonly buffers: Uint8Array[];
}

function schemaMessageOf(schema: arrow.Schema): Uint8Array | null {
  const first = schema.fields[0]?.type;
  const cached: readonly CachedSchema[] = (first && SCHEMAS.get(first)) ?? [];
  const hit = cached.find((c) => sameSchema(c, schema));
  if (hit) return hit.message;
  const message = schema.fields.every((field) => supported(field.type)) ? frame(arrow.Message.encode(arrow.Message.from(schema))) : null;
  const fields = schema.fields.map((f) => new arrow.Field(f.name, f.type, f.nullable, new Map(f.metadata)));
  if (first) SCHEMAS.set(first, [{ fields, metadata: new Map(schema.metadata), message }, ...cached.slice(0, MAX_SCHEMAS_PER_TYPE - 1)]);
  return message;
}

function sameSchema(cached: CachedSchema, schema: arrow.Schema): boolean {
  const { fields } = schema;
  if (cached.fields.length !== fields.length || !sameMap(cached.metadata, schema.metadata)) return false;
  return fields.every((f, i) => {
    const c = cached.fields[i];
    return c !== undefined && c.type === f.type && c.name === f.name && c.nullable === f.nullable && sameMap(c.metadata, f.metadata);
  });
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of b) if (a.get(key) !== value) return false;
  return true;
}

function supported(type: arrow.DataType): boolean {
  if (arrow.DataType.isStruct(type)) return type.children.every((field) => supported(field.type));
  return arrow.DataType.isBool(type) || arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type) || byteWidth(type) !== undefined;
}

/** Bytes per value of a fixed-width type, `undefined` for any other type. */
function byteWidth(type: arrow.DataType): number | undefined {
  if (arrow.DataType.isInt(type) || arrow.DataType.isTime(type) || arrow.DataType.isDecimal(type)) return type.bitWidth / 8;
  if (arrow.DataType.isFloat(type)) return type.precision === arrow.Precision.HALF ? 2 : type.precision === arrow.Precision.SINGLE ? 4 : 8;
  if (arrow.DataType.isDate(type)) return type.unit === arrow.DateUnit.DAY ? 4 : 8;
  if (arrow.DataType.isTimestamp(type)) return 8;
  if (arrow.DataType.isFixedSizeBinary(type)) return type.byteWidth;
  return undefined;
}

/** Appends one column's node and buffers (validity first, then the type's own, then children); false to fall back. */
function assemble(data: arrow.Data, body: Body): boolean {
  const { type, length, offset } = data;
  const nullCount = Math.max(0, data.nullCount); // -1 (unknown) only when there is no bitmap: all valid
  body.nodes.push(length, nullCount);
  body.buffers.push(nullCount > 0 ? alignBits(data.nullBitmap, offset, length) : EMPTY);
  if (arrow.DataType.isStruct(type)) {
    if (data.children.length !== type.children.length) return false;
    return data.children.every((child) => assemble(child, body));
  }
  if (arrow.DataType.isBool(type)) {
    body.buffers.push(alignBits(data.values as Uint8Array | undefined, offset, length));
    return true;
  }
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) return assembleVariable(data as arrow.Data<arrow.Utf8 | arrow.Binary>, body);
  const width = byteWidth(type);
  if (width === undefined) return false;
  body.buffers.push(prefix(bytesOf(data.values as ArrayBufferView | undefined), length * width));
  return true;
}

/** Utf8/Binary: int32 offsets rebased to start at 0, then exactly the referenced bytes. */
function assembleVariable(data: arrow.Data<arrow.Utf8 | arrow.Binary>, body: Body): boolean {
  const { length } = data;
  const offsets = data.valueOffsets as Int32Array | undefined;
  if (offsets === undefined || offsets.length < length + 1) {
    if (length > 0) return false;
    body.buffers.push(new Uint8Array(4), EMPTY); // a zero-length array still has its one offset
    return true;
  }
  const begin = offsets[0] ?? 0;
  const end = offsets[length] ?? 0;
  let rebased = offsets.subarray(0, length + 1);
  if (begin !== 0) {
    rebased = new Int32Array(length + 1);
    for (let i = 0; i <= length; i++) rebased[i] = (offsets[i] ?? 0) - begin;
  }
  body.buffers.push(bytesOf(rebased), prefix(bytesOf(data.values as Uint8Array | undefined).subarray(begin, end), end - begin));
  return true;
}

function bytesOf(values: ArrayBufferView | undefined): Uint8Array {
  return values === undefined ? EMPTY : new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** The first `length` bytes of `bytes`, zero-padded when it is shorter (e.g. values of an all-null column). */
function prefix(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length >= length) return bytes.length === length ? bytes : bytes.subarray(0, length);
  const out = new Uint8Array(length);
  out.set(bytes);
  return out;
}

/** Continuation marker, metadata length, the flatbuffer, zero padding to 8 bytes. */
function frame(flatbuffer: Uint8Array): Uint8Array {
  const padded = align8(flatbuffer.length);
  const out = new Uint8Array(8 + padded);
  const view = new DataView(out.buffer);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, padded, true);
  out.set(flatbuffer, 8);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function metadataSize(body: Body): number {
  return FIXED_METADATA + 8 * body.nodes.length + 16 * body.buffers.length; // nodes holds 2 numbers per FieldNode
}

function bodySize(body: Body): number {
  let size = 0;
  for (const buffer of body.buffers) size += align8(buffer.length);
  return size;
}

/**
 * Writes one RecordBatch message at `pos` and returns the position after its body.
 * The FlatBuffers metadata (offsets relative to its start m, little-endian):
 *
 *   m+0   u32 16                      root: Message table at m+16
 *   m+4   Message vtable: u16 12 (vtable size), 24 (table size), field offsets
 *         version 16, header_type 18, header 4, bodyLength 8
 *   m+16  Message table: i32 12 (vtable at m+4), u32 36 (header → m+56),
 *         i64 bodyLength, i16 version V5, u8 header_type RecordBatch, pad
 *   m+40  RecordBatch vtable: u16 10, 24, field offsets length 8, nodes 4, buffers 16; pad
 *   m+56  RecordBatch table: i32 16 (vtable at m+40), u32 24 (nodes → m+84),
 *         i64 length, u32 20+16n (buffers → m+92+16n), pad
 *   m+84  u32 n, then n FieldNode{i64 length, i64 null_count} from m+88 (8-aligned)
 *         pad 4, u32 b, then b Buffer{i64 offset, i64 length} from m+96+16n
 */
function writeRecordBatch(out: Uint8Array, view: DataView, pos: number, body: Body): number {
  const metadata = metadataSize(body);
  const nodes = body.nodes.length / 2;
  const bodyLength = bodySize(body);
  view.setUint32(pos, CONTINUATION, true);
  view.setInt32(pos + 4, metadata, true);
  const m = pos + 8;
  view.setUint32(m, 16, true);
  view.setUint16(m + 4, 12, true);
  view.setUint16(m + 6, 24, true);
  view.setUint16(m + 8, 16, true);
  view.setUint16(m + 10, 18, true);
  view.setUint16(m + 12, 4, true);
  view.setUint16(m + 14, 8, true);
  view.setInt32(m + 16, 12, true);
  view.setUint32(m + 20, 36, true);
  setInt64(view, m + 24, bodyLength);
  view.setInt16(m + 32, METADATA_V5, true);
  view.setUint8(m + 34, HEADER_RECORD_BATCH);
  view.setUint16(m + 40, 10, true);
  view.setUint16(m + 42, 24, true);
  view.setUint16(m + 44, 8, true);
  view.setUint16(m + 46, 4, true);
  view.setUint16(m + 48, 16, true);
  view.setInt32(m + 56, 16, true);
  view.setUint32(m + 60, 24, true);
  setInt64(view, m + 64, body.length);
  view.setUint32(m + 72, 20 + 16 * nodes, true);
  view.setUint32(m + 84, nodes, true);
  let at = m + 88;
  for (const value of body.nodes) {
    setInt64(view, at, value);
    at += 8;
  }
  view.setUint32(at + 4, body.buffers.length, true);
  at += 8;
  const bodyStart = m + metadata;
  let offset = 0;
  for (const buffer of body.buffers) {
    setInt64(view, at, offset);
    setInt64(view, at + 8, buffer.length);
    at += 16;
    out.set(buffer, bodyStart + offset);
    offset += align8(buffer.length);
  }
  return bodyStart + bodyLength;
}

/** A non-negative safe integer as a little-endian int64. */
function setInt64(view: DataView, pos: number, value: number): void {
  view.setUint32(pos, value >>> 0, true);
  view.setUint32(pos + 4, Math.floor(value / 0x1_0000_0000), true);
}
