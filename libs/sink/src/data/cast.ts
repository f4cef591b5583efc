/**
 * Casting a column to the table's (Delta-mapped) Arrow type, on buffers and
 * at any nesting depth: the Data tree is rebuilt with the target's field
 * names and types, re-using every buffer that already has the target layout.
 * A single-chunk column of the target type is returned as it is (the write
 * hot path); several chunks (record batches, row groups) are cast one by
 * one and concatenated.
 *
 * Casts: identical types; dictionary → its values; integers and floats of
 * any width (float16 decoded); timestamps of any unit → microseconds
 * (floored); date(ms) → date(day); decimals of any bit width → 128;
 * large / fixed-size / view strings and binaries → utf8 / binary; structs
 * field by field (names resolved as Delta resolves column names); list,
 * large list and fixed-size list → list; maps entry by entry (key and value
 * by position). Anything else is a SchemaMismatchError.
 */
import * as arrow from 'apache-arrow';
import { SchemaMismatchError } from '../errors.js';
import { findColumn } from '../schema/column-names.js';
import { alignBits, floorDiv, microsFactor, sameType, takeVector, type FixedValues } from './arrow-columns.js';
import { concatData, emptyData } from './concat.js';

/** `vector` as one chunk of type `target`. */
export function castVector(vector: arrow.Vector, target: arrow.DataType): arrow.Vector {
  if (vector.data.length === 1 && sameType(vector.type as arrow.DataType, target)) return vector;
  const chunks = vector.data.map((d) => castData(d as arrow.Data, target));
  if (chunks.length === 1) return arrow.makeVector(chunks[0] as arrow.Data);
  return arrow.makeVector(chunks.length === 0 ? emptyData(target) : concatData(chunks, target));
}

/** One Data cast to `target` (the Data itself when its type already is `target`). */
export function castData(data: arrow.Data, target: arrow.DataType): arrow.Data {
  const source = data.type as arrow.DataType;
  if (sameType(source, target)) return data;
  const n = data.length;
  // Zero rows: nothing to keep (arrow-js reads an empty list column without its child).
  if (n === 0) return emptyData(target);
  const nullBitmap = data.nullCount !== 0 && data.nullBitmap && data.nullBitmap.length > 0 ? alignBits(data.nullBitmap, data.offset, n) : undefined;
  const nullCount = nullBitmap ? data.nullCount : 0;
  const mk = (props: Record<string, unknown>): arrow.Data =>
    arrow.makeData({ type: target, length: n, nullCount, nullBitmap, ...props } as never) as arrow.Data;

  if (arrow.DataType.isDictionary(source)) return castData(decodeDictionary(data), target);
  if (arrow.DataType.isTimestamp(target) && arrow.DataType.isTimestamp(source)) {
    const raw = data.values as unknown as BigInt64Array;
    const from = microsFactor(source.unit);
    const to = microsFactor(target.unit);
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = floorDiv((raw[i] ?? 0n) * from.mul * to.div, from.div * to.mul);
    return mk({ data: out });
  }
  if (arrow.DataType.isDate(target) && arrow.DataType.isDate(source)) {
    if (source.unit === arrow.DateUnit.DAY) return mk({ data: data.values });
    const raw = data.values as unknown as BigInt64Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(floorDiv(raw[i] ?? 0n, 86_400_000n));
    return mk({ data: out });
  }
  if ((arrow.DataType.isInt(target) || arrow.DataType.isFloat(target)) && (arrow.DataType.isInt(source) || arrow.DataType.isFloat(source))) {
    return mk({ data: castNumbers(data, source, target) });
  }
  if (arrow.DataType.isDecimal(target) && arrow.DataType.isDecimal(source) && source.scale === target.scale) {
    return mk({ data: resizeDecimal(data.values as Uint32Array, source.bitWidth / 32, target.bitWidth / 32, n) });
  }
  if (isVariable(target) && (isVariable(source) || arrow.DataType.isFixedSizeBinary(source)) && isText(target) === isText(source)) {
    return mk(castVariable(data, source));
  }
  if (arrow.DataType.isStruct(target) && arrow.DataType.isStruct(source)) {
    return mk({ children: castChildren(data, target.children, (f) => findColumn(source.children, f.name)) });
  }
  if (arrow.DataType.isMap(target) && arrow.DataType.isMap(source)) {
    const entries = target.children[0] as arrow.Field<arrow.Struct>;
    const child = data.children[0] as arrow.Data;
    const { offsets, start, end } = rebase(data.valueOffsets as Int32Array, n);
    const rows = child.slice(start, end - start);
    // Key and value by position: other writers name them keys/values, key/value, …
    const entryData = arrow.makeData({
      type: entries.type, length: rows.length, nullCount: 0,
      children: castChildren(rows, entries.type.children, (_, i) => i),
    } as never) as arrow.Data;
    return mk({ valueOffsets: offsets, child: entryData });
  }
  if (arrow.DataType.isList(target) && (arrow.DataType.isList(source) || arrow.DataType.isLargeList(source) || arrow.DataType.isFixedSizeList(source))) {
    const element = target.children[0] as arrow.Field;
    const child = data.children[0] as arrow.Data;
    if (arrow.DataType.isFixedSizeList(source)) {
      const size = source.listSize;
      const rows = castData(child.slice(0, n * size), element.type);
      if (!nullBitmap) return mk({ valueOffsets: Int32Array.from({ length: n + 1 }, (_, i) => i * size), child: rows });
      // A null list is empty, not `size` masked values (which may be nulls in a non-nullable child).
      const offsets = new Int32Array(n + 1);
      const kept: number[] = [];
      for (let i = 0; i < n; i++) {
        const valid = (((nullBitmap[i >> 3] as number) >> (i & 7)) & 1) === 1;
        if (valid) for (let k = 0; k < size; k++) kept.push(i * size + k);
        offsets[i + 1] = (offsets[i] as number) + (valid ? size : 0);
      }
      const taken = takeVector(arrow.makeVector(rows), Int32Array.from(kept)).data[0] as arrow.Data;
      return mk({ valueOffsets: offsets, child: taken });
    }
    const { offsets, start, end } = rebase(data.valueOffsets as Int32Array | BigInt64Array, n);
    const rows = start === 0 && end === child.length ? child : child.slice(start, end - start);
    return mk({ valueOffsets: offsets, child: castData(rows, element.type) });
  }
  throw new SchemaMismatchError(`cannot cast a column of ${String(source)} to ${String(target)}`);
}

/** Children of a struct-like Data cast to `fields`; `sourceIndex` finds each one's source child (missing: nulls). */
function castChildren(data: arrow.Data, fields: readonly arrow.Field[], sourceIndex: (f: arrow.Field, i: number) => number): arrow.Data[] {
  return fields.map((f, i) => {
    const j = sourceIndex(f, i);
    const child = j >= 0 ? data.children[j] : undefined;
    if (!child) return allNulls(f.type, data.length);
    return castData(child.length === data.length ? child : child.slice(0, data.length), f.type);
  });
}

/** Offsets of `n` rows starting at 0 (a view when they already do) and the child range they address. */
function rebase(valueOffsets: Int32Array | BigInt64Array, n: number): { offsets: Int32Array; start: number; end: number } {
  const start = Number(valueOffsets[0] ?? 0);
  const end = Number(valueOffsets[n] ?? 0);
  if (valueOffsets instanceof Int32Array && start === 0) return { offsets: valueOffsets.subarray(0, n + 1), start, end };
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) offsets[i] = Number(valueOffsets[i] ?? 0) - start;
  return { offsets, start, end };
}

/** A dictionary-encoded Data as its values, gathered by index (nulls where the index or the value is null). */
function decodeDictionary(data: arrow.Data): arrow.Data {
  const type = data.type as arrow.Dictionary;
  const dictionary = data.dictionary;
  const n = data.length;
  if (!dictionary || dictionary.length === 0) return allNulls(type.dictionary, n);
  const raw = data.values as unknown as ArrayLike<number | bigint>;
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = Number(raw[i] ?? 0);
  const valid = (i: number): boolean => {
    const pos = data.offset + i;
    return data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0 || (((data.nullBitmap[pos >> 3] as number) >> (pos & 7)) & 1) === 1;
  };
  for (let i = 0; i < n; i++) if (!valid(i)) indices[i] = 0;
  const taken = takeVector(dictionary as arrow.Vector, indices).data[0] as arrow.Data;
  if (data.nullCount === 0) return taken;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const takenValid = taken.nullCount === 0 || !taken.nullBitmap || (((taken.nullBitmap[(taken.offset + i) >> 3] as number) >> ((taken.offset + i) & 7)) & 1) === 1;
    if (valid(i) && takenValid) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    else nulls++;
  }
  // takeVector's result starts at offset 0: its buffers stay, with the combined validity.
  return taken.clone(taken.type, 0, n, nulls, [taken.valueOffsets, taken.values, bitmap, taken.typeIds] as never);
}

/** An all-null Data of `type` (buffers zeroed, children all-null). */
export function allNulls(type: arrow.DataType, length: number): arrow.Data {
  return arrow.vectorFromArray(new Array<null>(length).fill(null), type).data[0] as arrow.Data;
}

function isVariable(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || t.typeId === arrow.Type.Utf8View || t.typeId === arrow.Type.BinaryView;
}

function isText(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || t.typeId === arrow.Type.Utf8View;
}

/** Int32 offsets and the bytes they address, from large, fixed-size or view strings/binaries. */
function castVariable(data: arrow.Data, source: arrow.DataType): { valueOffsets: Int32Array; data: Uint8Array } {
  const n = data.length;
  if (arrow.DataType.isFixedSizeBinary(source)) {
    const w = source.byteWidth;
    return { valueOffsets: Int32Array.from({ length: n + 1 }, (_, i) => i * w), data: (data.values as Uint8Array).subarray(0, n * w) };
  }
  if (arrow.DataType.isLargeUtf8(source) || arrow.DataType.isLargeBinary(source)) {
    const { offsets, start, end } = rebase(data.valueOffsets as unknown as BigInt64Array, n);
    return { valueOffsets: offsets, data: (data.values as Uint8Array).subarray(start, end) };
  }
  // Views: through the getters (leaf values, so nothing nested is rebuilt).
  const vector = arrow.makeVector(data);
  const encoder = new TextEncoder();
  const parts = Array.from({ length: n }, (_, i) => {
    const v = vector.get(i) as string | Uint8Array | null;
    return v === null ? new Uint8Array(0) : typeof v === 'string' ? encoder.encode(v) : v;
  });
  const valueOffsets = new Int32Array(n + 1);
  parts.forEach((p, i) => (valueOffsets[i + 1] = (valueOffsets[i] as number) + p.length));
  const bytes = new Uint8Array(valueOffsets[n] as number);
  parts.forEach((p, i) => bytes.set(p, valueOffsets[i] as number));
  return { valueOffsets, data: bytes };
}

/** Numbers converted element by element (float16 decoded; integers truncated toward zero). */
function castNumbers(data: arrow.Data, source: arrow.DataType, target: arrow.DataType): FixedValues {
  const n = data.length;
  const raw = data.values as FixedValues;
  const Ctor = target.ArrayType as unknown as new (n: number) => FixedValues;
  const out = new Ctor(n);
  const half = arrow.DataType.isFloat(source) && source.precision === arrow.Precision.HALF;
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < n; i++) {
    const v = half ? halfToNumber((raw[i] as number) ?? 0) : (raw[i] ?? 0);
    (out as unknown as (number | bigint)[])[i] = big ? BigInt(typeof v === 'bigint' ? v : Math.trunc(v)) : Number(v);
  }
  return out;
}

/** The number a binary16 bit pattern stands for (exact in float32). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0x1f) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exp === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decimal words (little-endian 32-bit, two's complement) from `from` to `to` words per value, sign-extended. */
function resizeDecimal(words: Uint32Array, from: number, to: number, n: number): Uint32Array {
  if (from === to) return words.subarray(0, n * to);
  const out = new Uint32Array(n * to);
  for (let i = 0; i < n; i++) {
    const negative = ((words[i * from + from - 1] as number) & 0x80000000) !== 0;
    for (let k = 0; k < to; k++) out[i * to + k] = k < from ? (words[i * from + k] as number) : negative ? 0xffffffff : 0;
  }
  return out;
}
