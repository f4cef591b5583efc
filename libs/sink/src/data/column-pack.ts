/**
 * Columns of a write, copied once into one SharedArrayBuffer so every
 * encoder thread reads the same bytes without a copy of its own. The copy
 * can reorder rows (`order`: the batch's rows grouped by partition), so each
 * file is a contiguous range of the packed columns. Each column is
 * normalized on the way: offset 0, bitmaps realigned, variable-width
 * offsets rebased, so a slice of a large table carries only its own rows.
 *
 * Handles the types the sink's Delta mapping produces for flat and struct
 * columns (fixed width, bool, utf8/binary, struct); `packColumns` returns
 * undefined for anything else and the caller encodes on its own thread.
 */
import * as arrow from 'apache-arrow';
import { alignBits, gatherBits, gatherFixed, gatherVariable, hasFixedWidthValues, type FixedValues } from './arrow-columns.js';

/** Byte range [offset, offset + length) of the shared buffer. */
export type Span = readonly [offset: number, length: number];

export interface PackedNode {
  readonly length: number;
  readonly nullCount: number;
  readonly validity?: Span;
  readonly offsets?: Span;
  readonly values?: Span;
  readonly children: readonly PackedNode[];
}

export interface PackedColumns {
  readonly buffer: SharedArrayBuffer;
  readonly columns: readonly PackedNode[];
}

/** Space reserved in the shared buffer, and how to fill it once the buffer exists. */
interface Layout {
  size: number;
  readonly fills: ((target: SharedArrayBuffer) => void)[];
}

/**
 * Packs `columns` (all of one length); with `order`, row i of the packed
 * columns is row `order[i]` of the input. Undefined for unsupported types.
 */
export function packColumns(columns: readonly arrow.Data[], order?: Int32Array): PackedColumns | undefined {
  const layout: Layout = { size: 0, fills: [] };
  const nodes: PackedNode[] = [];
  for (const data of columns) {
    const node = packNode(data, order, layout);
    if (!node) return undefined;
    nodes.push(node);
  }
  const buffer = new SharedArrayBuffer(Math.max(8, layout.size));
  for (const fill of layout.fills) fill(buffer);
  return { buffer, columns: nodes };
}

/** The columns back as arrow Data of the given types (views on the shared buffer, no copy). */
export function unpackColumns(packed: PackedColumns, types: readonly arrow.DataType[]): arrow.Data[] {
  return packed.columns.map((node, i) => unpackNode(packed.buffer, node, types[i] as arrow.DataType));
}

function reserve(layout: Layout, byteLength: number, fill: (target: Uint8Array) => void): Span {
  const span: Span = [layout.size, byteLength];
  layout.size += (byteLength + 7) & ~7;
  layout.fills.push((buffer) => fill(new Uint8Array(buffer, span[0], byteLength)));
  return span;
}

/** `view`'s bytes [start, start + length). */
function bytesOf(view: ArrayBufferView, start: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + start, length);
}

/** A typed array of `like`'s kind over `bytes` (8-aligned in the shared buffer). */
function sameKind(like: FixedValues, bytes: Uint8Array): FixedValues {
  const Ctor = like.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => FixedValues;
  return new Ctor(bytes.buffer, bytes.byteOffset, bytes.byteLength / like.BYTES_PER_ELEMENT);
}

/** `values` zero-extended to `byteLength` bytes. */
function padded(values: FixedValues, byteLength: number): FixedValues {
  const out = new Uint8Array(byteLength);
  out.set(bytesOf(values, 0, values.byteLength));
  return sameKind(values, out);
}

function bitmapSpan(layout: Layout, bits: Uint8Array, offset: number, n: number, order: Int32Array | undefined): Span {
  return reserve(layout, (n + 7) >> 3, (out) => {
    if (order) gatherBits(bits, offset, order, out);
    else out.set(alignBits(bits, offset, n));
  });
}

function packNode(data: arrow.Data, order: Int32Array | undefined, layout: Layout): PackedNode | undefined {
  const type = data.type as arrow.DataType;
  const n = data.length;
  const hasNulls = data.nullCount !== 0 && data.nullBitmap !== undefined && data.nullBitmap.byteLength > 0;
  const validity = hasNulls ? bitmapSpan(layout, data.nullBitmap as Uint8Array, data.offset, n, order) : undefined;
  const base = { length: n, nullCount: hasNulls ? data.nullCount : 0, ...(validity ? { validity } : {}) };
  if (hasFixedWidthValues(type)) {
    const values = data.values as FixedValues | undefined;
    if (!values) return undefined;
    const byteLength = n * data.stride * values.BYTES_PER_ELEMENT;
    // A values buffer may be shorter than its rows (an all-null column built without one):
    // the span starts zeroed, so only what exists is copied.
    const available = Math.min(byteLength, values.byteLength);
    const span = reserve(layout, byteLength, (out) => {
      if (order && available === byteLength) gatherFixed(values, data.stride, order, sameKind(values, out));
      else if (order) gatherFixed(padded(values, byteLength), data.stride, order, sameKind(values, out));
      else out.set(bytesOf(values, 0, available));
    });
    return { ...base, values: span, children: [] };
  }
  if (arrow.DataType.isBool(type)) {
    const values = data.values as Uint8Array | undefined;
    if (!values) return undefined;
    return { ...base, values: bitmapSpan(layout, values, data.offset, n, order), children: [] };
  }
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) {
    const offsets = data.valueOffsets as Int32Array | undefined;
    const bytes = data.values as Uint8Array | undefined;
    if (!(offsets instanceof Int32Array) || !bytes) return undefined;
    const first = offsets[0] ?? 0;
    const total = (offsets[n] ?? first) - first;
    // Both spans are filled by one gather; the offsets' fill runs first and leaves the bytes to the second.
    let gatheredOffsets: Int32Array | undefined;
    const offsetsSpan = reserve(layout, (n + 1) * 4, (out) => {
      const own = new Int32Array(out.buffer, out.byteOffset, n + 1);
      if (order) gatheredOffsets = own;
      else for (let i = 0; i <= n; i++) own[i] = (offsets[i] as number) - first;
    });
    const valuesSpan = reserve(layout, total, (out) => {
      if (order && gatheredOffsets) gatherVariable(offsets, bytes, order, { offsets: gatheredOffsets, bytes: out });
      else out.set(bytesOf(bytes, first, total));
    });
    return { ...base, offsets: offsetsSpan, values: valuesSpan, children: [] };
  }
  if (arrow.DataType.isStruct(type)) {
    const children: PackedNode[] = [];
    for (const child of data.children) {
      // arrow-js struct slices slice their children; an unsliced child may be longer than its parent.
      const node = packNode(child.length === n ? child : child.slice(0, n), order, layout);
      if (!node) return undefined;
      children.push(node);
    }
    return { ...base, children };
  }
  return undefined;
}

function view(buffer: SharedArrayBuffer, span: Span | undefined): Uint8Array | undefined {
  return span ? new Uint8Array(buffer, span[0], span[1]) : undefined;
}

function unpackNode(buffer: SharedArrayBuffer, node: PackedNode, type: arrow.DataType): arrow.Data {
  const nullBitmap = view(buffer, node.validity);
  const common = { type, length: node.length, nullCount: node.nullCount, ...(nullBitmap ? { nullBitmap } : {}) };
  if (arrow.DataType.isStruct(type)) {
    const children = node.children.map((c, j) => unpackNode(buffer, c, type.children[j]?.type as arrow.DataType));
    return arrow.makeData({ ...common, children } as never) as arrow.Data;
  }
  const values = view(buffer, node.values) ?? new Uint8Array(0);
  if (node.offsets) {
    const [at, len] = node.offsets;
    return arrow.makeData({ ...common, valueOffsets: new Int32Array(buffer, at, len / 4), data: values } as never) as arrow.Data;
  }
  return arrow.makeData({ ...common, data: values } as never) as arrow.Data;
}
