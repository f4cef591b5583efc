/**
 * Column surgery on arrow-js tables that arrow-js lacks: gathering rows by
 * index (lists and maps included), constant and null columns (casting is in
 * `cast.ts`, concatenating chunks in `concat.ts`). Fixed-width columns go through their typed arrays so 64-bit
 * integers and microsecond timestamps stay exact (arrow-js getters/builders
 * round timestamps through milliseconds).
 */
import * as arrow from 'apache-arrow';

export type FixedValues = Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

export function sameType(a: arrow.DataType, b: arrow.DataType): boolean {
  return arrow.util.compareTypes(a, b);
}

/** Validity bitmap (LSB order) and null count of rows of `vector`, optionally gathered by `indices`. */
function validity(vector: arrow.Vector, indices?: Int32Array): { bitmap: Uint8Array | undefined; nullCount: number } {
  const n = indices ? indices.length : vector.length;
  if (vector.nullCount === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (vector.isValid(indices ? (indices[i] ?? 0) : i)) bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
    else nulls++;
  }
  return { bitmap, nullCount: nulls };
}

/** Values of a fixed-width vector as one typed array (chunks concatenated). */
function fixedValues(vector: arrow.Vector): FixedValues {
  const chunks = vector.data.map((d) => (d.values as FixedValues).subarray(0, d.length));
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const first = vector.data[0]?.values as FixedValues | undefined;
  const Ctor = (first?.constructor ?? Float64Array) as new (n: number) => FixedValues;
  const out = new Ctor(vector.length);
  let at = 0;
  for (const c of chunks) {
    (out as Float64Array).set(c as Float64Array, at);
    at += c.length;
  }
  return out;
}

function isFixedWidth(t: arrow.DataType): boolean {
  return (
    arrow.DataType.isInt(t) ||
    arrow.DataType.isFloat(t) ||
    arrow.DataType.isDate(t) ||
    arrow.DataType.isTimestamp(t) ||
    arrow.DataType.isTime(t)
  );
}

/** Types whose values are one fixed-size slot per row (`stride` elements of `values`). */
export function hasFixedWidthValues(t: arrow.DataType): boolean {
  return isFixedWidth(t) || arrow.DataType.isDecimal(t) || arrow.DataType.isFixedSizeBinary(t);
}

/**
 * `n` bits of an LSB-ordered bitmap starting at bit `offset`, moved to start
 * at bit 0: a view when byte-aligned, zero-padded when `bits` is short or absent.
 */
export function alignBits(bits: Uint8Array | undefined, offset: number, n: number): Uint8Array {
  const bytes = (n + 7) >> 3;
  const start = offset >> 3;
  const shift = offset & 7;
  const source = bits ?? new Uint8Array(0);
  if (shift === 0) {
    const view = source.subarray(start, start + bytes);
    if (view.length === bytes) return view;
    const padded = new Uint8Array(bytes);
    padded.set(view);
    return padded;
  }
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = (((source[start + i] ?? 0) >> shift) | ((source[start + i + 1] ?? 0) << (8 - shift))) & 0xff;
  return out;
}

export function microsFactor(unit: arrow.TimeUnit): { mul: bigint; div: bigint } {
  switch (unit) {
    case arrow.TimeUnit.SECOND:
      return { mul: 1_000_000n, div: 1n };
    case arrow.TimeUnit.MILLISECOND:
      return { mul: 1000n, div: 1n };
    case arrow.TimeUnit.MICROSECOND:
      return { mul: 1n, div: 1n };
    default:
      return { mul: 1n, div: 1000n };
  }
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Rows `indices` (ascending or not) of `vector`, as a one-chunk vector of the same type. */
export function takeVector(vector: arrow.Vector, indices: Int32Array): arrow.Vector {
  if (vector.data.length === 1) {
    const data = takeData(vector.data[0] as arrow.Data, indices);
    if (data) return arrow.makeVector(data);
  }
  return takeVectorSlow(vector, indices);
}

/** The generic gather (multi-chunk vectors and types takeData does not handle). */
function takeVectorSlow(vector: arrow.Vector, indices: Int32Array): arrow.Vector {
  const type = vector.type as arrow.DataType;
  const n = indices.length;
  const { bitmap, nullCount } = validity(vector, indices);
  if (isFixedWidth(type)) {
    const raw = fixedValues(vector);
    const out = new (raw.constructor as new (n: number) => FixedValues)(n);
    for (let i = 0; i < n; i++) (out as Float64Array)[i] = (raw as Float64Array)[indices[i] ?? 0] ?? 0;
    return arrow.makeVector(arrow.makeData({ type, length: n, nullCount, nullBitmap: bitmap, data: out } as never));
  }
  if (arrow.DataType.isStruct(type)) {
    const children = type.children.map((_, j) => {
      const child = vector.getChildAt(j);
      return child ? takeVector(child, indices) : nullVector(type.children[j]?.type ?? new arrow.Null(), n);
    });
    return arrow.makeVector(
      arrow.makeData({ type, length: n, nullCount, nullBitmap: bitmap, children: children.map((c) => c.data[0]) } as never),
    );
  }
  const values = Array.from(indices, (i) => vector.get(i) as unknown);
  return arrow.vectorFromArray(values, type);
}

/**
 * Rows `indices` of one Data, gathered on its buffers (arrow-js layout: a
 * slice's fixed-width values and value offsets are already cut at its offset,
 * bit buffers are not). Undefined for types it does not handle.
 */
function takeData(data: arrow.Data, indices: Int32Array): arrow.Data | undefined {
  const type = data.type as arrow.DataType;
  const n = indices.length;
  let valuesOrOffsets: { data?: ArrayBufferView; valueOffsets?: Int32Array; children?: arrow.Data[]; child?: arrow.Data };
  if (hasFixedWidthValues(type)) {
    const values = data.values as FixedValues | undefined;
    if (!values) return undefined;
    valuesOrOffsets = { data: gatherFixed(values, data.stride, indices) };
  } else if (arrow.DataType.isBool(type)) {
    const values = data.values as Uint8Array | undefined;
    if (!values) return undefined;
    valuesOrOffsets = { data: gatherBits(values, data.offset, indices).bits };
  } else if (arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) {
    const offsets = data.valueOffsets as Int32Array | undefined;
    const bytes = data.values as Uint8Array | undefined;
    if (!(offsets instanceof Int32Array) || !bytes) return undefined;
    const out = gatherVariable(offsets, bytes, indices);
    valuesOrOffsets = { data: out.bytes, valueOffsets: out.offsets };
  } else if (arrow.DataType.isStruct(type)) {
    const children: arrow.Data[] = [];
    for (const child of data.children) {
      const taken = takeData(child, indices);
      if (!taken) return undefined;
      children.push(taken);
    }
    if (children.length !== type.children.length) return undefined;
    valuesOrOffsets = { children };
  } else if (arrow.DataType.isList(type) || arrow.DataType.isMap(type)) {
    const offsets = data.valueOffsets as Int32Array | undefined;
    const child = data.children[0];
    if (!(offsets instanceof Int32Array) || !child) return undefined;
    // Each row's child range, gathered in row order (offsets are already cut at a slice's offset; the child is not).
    const out = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const row = indices[i] as number;
      out[i + 1] = (out[i] as number) + (offsets[row + 1] as number) - (offsets[row] as number);
    }
    const childRows = new Int32Array(out[n] as number);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const row = indices[i] as number;
      for (let k = offsets[row] as number; k < (offsets[row + 1] as number); k++) childRows[at++] = k;
    }
    const taken = takeData(child, childRows);
    if (!taken) return undefined;
    valuesOrOffsets = { valueOffsets: out, child: taken };
  } else {
    return undefined;
  }
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (data.nullCount !== 0) {
    const bitmap = data.nullBitmap;
    if (!bitmap || bitmap.byteLength === 0) return undefined;
    const gathered = gatherBits(bitmap, data.offset, indices);
    nullBitmap = gathered.bits;
    nullCount = n - gathered.ones;
  }
  return arrow.makeData({ type, length: n, nullCount, nullBitmap, ...valuesOrOffsets } as never) as arrow.Data;
}

/** Same-width unsigned view of a typed array's bytes (8-byte elements as pairs of 32-bit words). */
function wordView(values: ArrayBufferView & { length: number; BYTES_PER_ELEMENT: number }): {
  words: Uint8Array | Uint16Array | Uint32Array;
  per: number;
} {
  const bpe = values.BYTES_PER_ELEMENT;
  if (bpe >= 4) return { words: new Uint32Array(values.buffer, values.byteOffset, (values.length * bpe) / 4), per: bpe / 4 };
  if (bpe === 2) return { words: new Uint16Array(values.buffer, values.byteOffset, values.length), per: 1 };
  return { words: new Uint8Array(values.buffer, values.byteOffset, values.length), per: 1 };
}

/** Fixed-width gather, bit-exact (64-bit and float values copied as 32-bit words), into `out` when given. */
export function gatherFixed(values: FixedValues, stride: number, indices: Int32Array, out?: FixedValues): FixedValues {
  const n = indices.length;
  const Ctor = values.constructor as new (n: number) => FixedValues;
  out ??= new Ctor(n * stride);
  const src = wordView(values);
  const dst = wordView(out).words;
  const s = src.words;
  const width = stride * src.per;
  if (width === 1) {
    for (let i = 0; i < n; i++) dst[i] = s[indices[i] as number] as number;
  } else if (width === 2) {
    for (let i = 0; i < n; i++) {
      const from = (indices[i] as number) * 2;
      const to = i * 2;
      dst[to] = s[from] as number;
      dst[to + 1] = s[from + 1] as number;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const from = (indices[i] as number) * width;
      const to = i * width;
      for (let k = 0; k < width; k++) dst[to + k] = s[from + k] as number;
    }
  }
  return out;
}

/** Bits `offset + indices[i]` of an LSB-ordered bitmap (into `out` when given), and how many of them are set. */
export function gatherBits(bits: Uint8Array, offset: number, indices: Int32Array, out: Uint8Array = new Uint8Array(Math.ceil(indices.length / 8))): { bits: Uint8Array; ones: number } {
  const n = indices.length;
  let ones = 0;
  let byte = 0;
  for (let i = 0; i < n; i++) {
    const pos = offset + (indices[i] as number);
    const bit = ((bits[pos >> 3] as number) >> (pos & 7)) & 1;
    ones += bit;
    byte |= bit << (i & 7);
    if ((i & 7) === 7) {
      out[i >> 3] = byte;
      byte = 0;
    }
  }
  if ((n & 7) !== 0) out[n >> 3] = byte;
  return { bits: out, ones };
}

/**
 * Variable-width (Utf8/Binary) gather: new offsets from 0, byte ranges
 * copied. `into` gives the output buffers, sized by `gatheredBytes`.
 */
export function gatherVariable(
  offsets: Int32Array, bytes: Uint8Array, indices: Int32Array, into?: { offsets: Int32Array; bytes: Uint8Array },
): { offsets: Int32Array; bytes: Uint8Array } {
  const n = indices.length;
  const outOffsets = into?.offsets ?? new Int32Array(n + 1);
  outOffsets[0] = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = indices[i] as number;
    total += (offsets[row + 1] as number) - (offsets[row] as number);
    outOffsets[i + 1] = total;
  }
  const out = into?.bytes ?? new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const row = indices[i] as number;
    const start = offsets[row] as number;
    const end = offsets[row + 1] as number;
    const len = end - start;
    if (len > 24) out.set(bytes.subarray(start, end), at);
    else for (let k = 0; k < len; k++) out[at + k] = bytes[start + k] as number;
    at += len;
  }
  return { offsets: outOffsets, bytes: out };
}

/** An all-null column of `type`. */
export function nullVector(type: arrow.DataType, length: number): arrow.Vector {
  return arrow.vectorFromArray(new Array<null>(length).fill(null), type);
}

/** A column repeating one value; `value` as returned by parsePartitionValue. */
export function constantVector(type: arrow.DataType, value: unknown, length: number): arrow.Vector {
  if (value === null || value === undefined) return nullVector(type, length);
  if (arrow.DataType.isTimestamp(type) && typeof value === 'bigint') {
    const f = microsFactor(type.unit);
    const raw = floorDiv(value * f.div, f.mul);
    return arrow.makeVector(arrow.makeData({ type, length, nullCount: 0, data: new BigInt64Array(length).fill(raw) } as never));
  }
  if (arrow.DataType.isDate(type) && typeof value === 'number') {
    const ms = value * 86_400_000;
    return arrow.vectorFromArray(new Array<Date>(length).fill(new Date(ms)), type);
  }
  if (arrow.DataType.isInt(type) && type.bitWidth === 64) {
    return arrow.vectorFromArray(new Array<bigint>(length).fill(BigInt(value as bigint)), type);
  }
  if (arrow.DataType.isDecimal(type) && typeof value === 'string') {
    return arrow.makeVector(arrow.makeData({ type, length, nullCount: 0, data: decimalWords(unscaledDecimal(value, type.scale), length) } as never));
  }
  return arrow.vectorFromArray(new Array<unknown>(length).fill(value), type);
}

/** The unscaled integer of a decimal's text at `scale` digits ("10.5" at scale 2 → 1050n). */
function unscaledDecimal(text: string, scale: number): bigint {
  const negative = text.startsWith('-');
  const [intPart = '0', frac = ''] = text.replace(/^[-+]/, '').split('.');
  const digits = `${intPart}${frac.padEnd(scale, '0').slice(0, scale)}`;
  const unscaled = BigInt(digits || '0');
  return negative ? -unscaled : unscaled;
}

/** Arrow's decimal128 layout: four little-endian 32-bit words per value, two's complement. */
function decimalWords(unscaled: bigint, length: number): Uint32Array {
  const twos = BigInt.asUintN(128, unscaled);
  const words = new Uint32Array(length * 4);
  for (let i = 0; i < 4; i++) {
    const word = Number((twos >> BigInt(32 * i)) & 0xffffffffn);
    for (let row = 0; row < length; row++) words[row * 4 + i] = word;
  }
  return words;
}
