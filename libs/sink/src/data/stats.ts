/**
 * Per-file statistics (PROTOCOL.md "Per-file Statistics") computed from an
 * Arrow table, serialized as Spark writes them into `add.stats`.
 *
 * JSON conventions: longs are JSON numbers (exact digits, also beyond 2^53),
 * dates `yyyy-MM-dd`, timestamps ISO-8601 with milliseconds and `Z` (without
 * for timestamp_ntz), strings cut to 32 characters. Timestamps are computed
 * exactly from the raw int64 values; the min is floored and the max ceiled to
 * the millisecond, so both still bound every row (the protocol truncates; a
 * truncated max would sit below rows a reader must keep). Bounds outside
 * 0001-01-01…9999-12-31 are left out (readers cannot parse them). Binary,
 * boolean, decimal, array and map columns only get a nullCount; NaN and
 * infinities leave min/max out.
 */
import * as arrow from 'apache-arrow';
import { alignBits, andBits, countBits, fitBits, extremeNumbers, extremeStrings, extremeWords, validRows, type Extremes } from './stats-extremes.js';

export type StatScalar = number | bigint | string | boolean;
export interface StatsObject {
  [column: string]: StatScalar | StatsObject;
}
export interface NullCountObject {
  [column: string]: number | NullCountObject;
}

export interface DeltaStats {
  readonly numRecords: number;
  readonly minValues: StatsObject;
  readonly maxValues: StatsObject;
  readonly nullCount: NullCountObject;
  /** Absent means true (tight bounds). */
  readonly tightBounds?: boolean;
}

/** Delta's default `delta.dataSkippingStringPrefixLength`. */
export const STRING_PREFIX_LENGTH = 32;

export function computeStats(table: arrow.Table, partitionColumns: readonly string[] = []): DeltaStats {
  const skip = new Set(partitionColumns);
  const minValues: StatsObject = {};
  const maxValues: StatsObject = {};
  const nullCount: NullCountObject = {};
  table.schema.fields.forEach((field, i) => {
    if (skip.has(field.name)) return;
    const vector = table.getChildAt(i);
    if (!vector) return;
    collectColumn(field.name, vector, undefined, minValues, maxValues, nullCount);
  });
  return { numRecords: table.numRows, minValues, maxValues, nullCount };
}

type Valid = (row: number) => boolean;

function collectColumn(
  name: string,
  vector: arrow.Vector,
  parentValid: Valid | undefined,
  minOut: StatsObject,
  maxOut: StatsObject,
  nullOut: NullCountObject,
  parentBits?: Uint8Array | null,
): void {
  // Fast path: one chunk (and, under a struct, a parent that took the fast path too).
  if (vector.data.length === 1 && (parentValid === undefined || parentBits !== undefined)) {
    if (collectData(name, vector, parentBits ?? null, minOut, maxOut, nullOut)) return;
  }
  const type = vector.type as arrow.DataType;
  const valid: Valid = parentValid
    ? (row) => parentValid(row) && vector.isValid(row)
    : (row) => vector.isValid(row);

  if (arrow.DataType.isStruct(type)) {
    const mins: StatsObject = {};
    const maxs: StatsObject = {};
    const nulls: NullCountObject = {};
    type.children.forEach((child, j) => {
      const childVector = vector.getChildAt(j);
      if (childVector) collectColumn(child.name, childVector, valid, mins, maxs, nulls);
    });
    if (Object.keys(mins).length > 0) minOut[name] = mins;
    if (Object.keys(maxs).length > 0) maxOut[name] = maxs;
    nullOut[name] = nulls;
    return;
  }

  const kind = statKind(type);
  let nulls = 0;
  let min: number | bigint | string | undefined;
  let max: number | bigint | string | undefined;
  let sawNaN = false;
  const n = vector.length;
  const cmp = kind === 'string' ? compareCodePoints : compareScalar;
  for (let row = 0; row < n; row++) {
    if (!valid(row)) {
      nulls++;
      continue;
    }
    if (kind === 'none') continue;
    const v = kind === 'timestamp' ? rawInt64(vector, row) : (vector.get(row) as number | bigint | string);
    if (typeof v === 'number' && Number.isNaN(v)) {
      sawNaN = true;
      continue;
    }
    if (min === undefined || cmp(v, min) < 0) min = v;
    if (max === undefined || cmp(v, max) > 0) max = v;
  }
  nullOut[name] = nulls;
  if (kind === 'none' || sawNaN) return;
  const lo = min === undefined ? undefined : renderMin(min, kind, type);
  const hi = max === undefined ? undefined : renderMax(max, kind, type);
  if (lo !== undefined) minOut[name] = lo;
  if (hi !== undefined) maxOut[name] = hi;
}

/**
 * Validity of the rows of a one-chunk column combined with its parent's, as a
 * bitmap with row 0 at bit 0 (see alignBits), or null when every row is
 * valid; undefined for unions (left to the generic path). Mirrors
 * Data.getValid: the bitmap only counts when the data says it has nulls.
 */
function validBits(data: arrow.Data, parentBits: Uint8Array | null): Uint8Array | null | undefined {
  if (arrow.DataType.isUnion(data.type)) return undefined;
  const own = data.nullable && data.nullCount > 0 ? data.nullBitmap : undefined;
  // A child longer than its struct: the struct's missing bits count as null.
  if (!own) return parentBits && fitBits(parentBits, data.length);
  const bits = alignBits(own, data.offset, data.length);
  return parentBits ? andBits(bits, parentBits) : bits;
}

type NumberValues = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/** Where a one-chunk column's values are and how they compare (see stats-extremes.ts). */
type Layout =
  | { readonly scan: 'numbers'; readonly values: NumberValues }
  | { readonly scan: 'words'; readonly words: Uint32Array; readonly signed: boolean }
  | { readonly scan: 'strings'; readonly offsets: Int32Array; readonly bytes: Uint8Array };

/**
 * The layout of a one-chunk column's buffers, scanned in an order that agrees
 * with the generic path's comparisons; 'nullCount' for types that get no
 * min/max, undefined for types (or buffer layouts) not handled here.
 */
function layoutOf(data: arrow.Data, kind: StatKind): Layout | 'nullCount' | undefined {
  const type = data.type as arrow.DataType;
  if (arrow.DataType.isDictionary(type)) return undefined;
  if (kind === 'none') return arrow.DataType.isNull(type) ? undefined : 'nullCount';
  if (kind === 'string') {
    const offsets = data.valueOffsets as Int32Array | undefined;
    const bytes = data.values as Uint8Array | undefined;
    if (!(offsets instanceof Int32Array) || !bytes) return undefined;
    return { scan: 'strings', offsets, bytes };
  }
  if (kind === 'int' || kind === 'float32' || (kind === 'float64' && type.typeId === arrow.Type.Float && (type as arrow.Float).precision === arrow.Precision.DOUBLE)) {
    const values = data.values as NumberValues | BigInt64Array | BigUint64Array | undefined;
    if (!values || data.stride !== 1 || values instanceof BigInt64Array || values instanceof BigUint64Array) return undefined;
    return { scan: 'numbers', values };
  }
  if (kind === 'date' && arrow.DataType.isDate(type) && type.unit === arrow.DateUnit.DAY) {
    const values = data.values as Int32Array | undefined;
    if (!(values instanceof Int32Array) || data.stride !== 1) return undefined;
    return { scan: 'numbers', values };
  }
  if (kind === 'bigint' || kind === 'timestamp') {
    const values = data.values as BigInt64Array | BigUint64Array | undefined;
    if (!(values instanceof BigInt64Array || values instanceof BigUint64Array) || data.stride !== 1) return undefined;
    return { scan: 'words', words: new Uint32Array(values.buffer, values.byteOffset, values.length * 2), signed: values instanceof BigInt64Array };
  }
  return undefined;
}

/** The extremes among the valid rows: rows[0..m), or 0..m-1 when rows is null. */
function scan(layout: Layout, rows: Int32Array | null, m: number): Extremes {
  switch (layout.scan) {
    case 'numbers':
      return extremeNumbers(layout.values, rows, m);
    case 'words':
      return extremeWords(layout.words, layout.signed, rows, m);
    case 'strings':
      return extremeStrings(layout.offsets, layout.bytes, rows, m);
  }
}

/**
 * Scratch list of valid rows, reused across columns and calls (computeStats is
 * synchronous); it keeps 4 bytes per row of the largest file seen.
 */
let rowScratch = new Int32Array(0);
function rowList(n: number): Int32Array {
  if (rowScratch.length < n) rowScratch = new Int32Array(Math.max(n, 2 * rowScratch.length));
  return rowScratch;
}

/**
 * Min/max/nullCount of a one-chunk column from its buffers: the rows holding
 * the min and max are found by comparing raw values in an order that agrees
 * with the generic path's, then rendered from `get()` of those rows exactly as
 * the generic path does. False when the column's type is not handled here.
 */
function collectData(
  name: string,
  vector: arrow.Vector,
  parentBits: Uint8Array | null,
  minOut: StatsObject,
  maxOut: StatsObject,
  nullOut: NullCountObject,
): boolean {
  const data = vector.data[0] as arrow.Data;
  const type = data.type as arrow.DataType;
  const bits = validBits(data, parentBits);
  if (bits === undefined) return false;
  const n = data.length;

  if (arrow.DataType.isStruct(type)) {
    if (data.children.length !== type.children.length) return false;
    const mins: StatsObject = {};
    const maxs: StatsObject = {};
    const nulls: NullCountObject = {};
    const valid: Valid = bits ? (row) => (((bits[row >> 3] as number) >> (row & 7)) & 1) === 1 : () => true;
    type.children.forEach((child, j) => {
      const childVector = vector.getChildAt(j);
      if (childVector) collectColumn(child.name, childVector, valid, mins, maxs, nulls, bits);
    });
    if (Object.keys(mins).length > 0) minOut[name] = mins;
    if (Object.keys(maxs).length > 0) maxOut[name] = maxs;
    nullOut[name] = nulls;
    return true;
  }

  const kind = statKind(type);
  const layout = layoutOf(data, kind);
  if (layout === undefined) return false;
  if (layout === 'nullCount') {
    nullOut[name] = bits ? n - countBits(bits, n) : 0;
    return true;
  }
  // Valid rows: all of them (no list), or those the bitmap lists.
  let rows: Int32Array | null = null;
  let m = n;
  if (bits) {
    rows = rowList(n);
    m = validRows(bits, n, rows);
  }
  nullOut[name] = n - m;
  const { lo, hi, nan } = scan(layout, rows, m);
  if (nan || lo < 0) return true;
  const loValue = renderMin(statValue(vector, lo, kind), kind, type);
  const hiValue = renderMax(statValue(vector, hi, kind), kind, type);
  if (loValue !== undefined) minOut[name] = loValue;
  if (hiValue !== undefined) maxOut[name] = hiValue;
  return true;
}

/** The value of a row as the generic path compares it. */
function statValue(vector: arrow.Vector, row: number, kind: StatKind): number | bigint | string {
  return kind === 'timestamp' ? rawInt64(vector, row) : (vector.get(row) as number | bigint | string);
}

/**
 * A timestamp row's stored int64 (in the column's unit): arrow-js's `get()`
 * gives a double of milliseconds, which rounds microseconds past ~2255.
 */
function rawInt64(vector: arrow.Vector, row: number): bigint {
  let i = row;
  for (const data of vector.data as arrow.Data[]) {
    if (i < data.length) {
      const values = data.values as BigInt64Array;
      const dictionary = data.dictionary as arrow.Vector | undefined;
      return dictionary ? rawInt64(dictionary, Number(values[i])) : (values[i] as bigint);
    }
    i -= data.length;
  }
  throw new RangeError(`row ${row} is past the end of a column of ${vector.length} rows`);
}

type StatKind = 'int' | 'bigint' | 'float32' | 'float64' | 'string' | 'date' | 'timestamp' | 'none';

function statKind(type: arrow.DataType): StatKind {
  if (arrow.DataType.isDictionary(type)) return statKind(type.dictionary);
  if (arrow.DataType.isInt(type)) return type.bitWidth === 64 ? 'bigint' : 'int';
  if (arrow.DataType.isFloat(type)) return type.precision === arrow.Precision.SINGLE ? 'float32' : 'float64';
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return 'string';
  if (arrow.DataType.isDate(type)) return 'date';
  if (arrow.DataType.isTimestamp(type)) return 'timestamp';
  return 'none';
}

function compareScalar(a: number | bigint | string, b: number | bigint | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Code point order (= UTF-8 byte order, what Spark compares), not UTF-16
 * order: surrogates (astral characters) sort after U+E000..U+FFFF.
 */
export function compareCodePoints(a: number | bigint | string, b: number | bigint | string): number {
  const x = a as string;
  const y = b as string;
  const len = Math.min(x.length, y.length);
  for (let i = 0; i < len; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx !== cy) return fixup(cx) - fixup(cy);
  }
  return x.length - y.length;
}

function fixup(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function renderMin(v: number | bigint | string, kind: StatKind, type: arrow.DataType): StatScalar | undefined {
  return render(v, kind, type, 'min');
}
function renderMax(v: number | bigint | string, kind: StatKind, type: arrow.DataType): StatScalar | undefined {
  return render(v, kind, type, 'max');
}

function render(v: number | bigint | string, kind: StatKind, type: arrow.DataType, side: 'min' | 'max'): StatScalar | undefined {
  switch (kind) {
    case 'bigint':
      return v as bigint;
    case 'int':
    case 'float64':
      return Number.isFinite(v as number) ? v : undefined;
    case 'float32':
      return Number.isFinite(v as number) ? shortestFloat32(v as number) : undefined;
    case 'string':
      return side === 'min' ? truncateMin(v as string) : truncateMax(v as string);
    case 'date': {
      const ms = Math.floor((v as number) / MS_PER_DAY) * MS_PER_DAY;
      return ms < MIN_MS || ms > MAX_MS ? undefined : new Date(ms).toISOString().slice(0, 10);
    }
    case 'timestamp': {
      const ms = timestampMs(v as bigint, (type as arrow.Timestamp).unit, side);
      if (ms < MIN_MS || ms > MAX_MS) return undefined;
      const iso = new Date(ms).toISOString();
      return (type as arrow.Timestamp).timezone ? iso : iso.slice(0, -1);
    }
    default:
      return undefined;
  }
}

const MS_PER_DAY = 86_400_000;
/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range Delta readers parse. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

/** Epoch milliseconds of a raw timestamp, floored (min) or ceiled (max); ±Infinity when past the range of doubles we print. */
function timestampMs(raw: bigint, unit: arrow.TimeUnit, side: 'min' | 'max'): number {
  let ms: bigint;
  switch (unit) {
    case arrow.TimeUnit.SECOND:
      ms = raw * 1000n;
      break;
    case arrow.TimeUnit.MILLISECOND:
      ms = raw;
      break;
    default: {
      const per = unit === arrow.TimeUnit.MICROSECOND ? 1000n : 1_000_000n;
      const q = raw / per;
      const r = raw % per;
      // BigInt division truncates toward zero: step to the floor (min) or ceiling (max).
      ms = side === 'min' ? (r < 0n ? q - 1n : q) : r > 0n ? q + 1n : q;
    }
  }
  return ms < BigInt(MIN_MS) ? -Infinity : ms > BigInt(MAX_MS) ? Infinity : Number(ms);
}

/** The shortest decimal that reads back as the same float32 (what Java's Float.toString aims for). */
function shortestFloat32(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(v.toPrecision(p));
    if (Math.fround(candidate) === v) return candidate;
  }
  return v;
}

export function truncateMin(s: string, prefix = STRING_PREFIX_LENGTH): string {
  const cps = Array.from(s);
  return cps.length <= prefix ? s : cps.slice(0, prefix).join('');
}

/**
 * A string ≥ every string that is ≤ `s`, at most `prefix` characters long:
 * the prefix with its last incrementable character bumped. Undefined when no
 * such bound exists (all U+10FFFF), so the max is left out.
 */
export function truncateMax(s: string, prefix = STRING_PREFIX_LENGTH): string | undefined {
  const cps = Array.from(s);
  if (cps.length <= prefix) return s;
  const head = cps.slice(0, prefix).map((c) => c.codePointAt(0) ?? 0);
  for (let i = head.length - 1; i >= 0; i--) {
    const cp = head[i] ?? 0;
    if (cp >= 0x10ffff) continue;
    const next = cp === 0xd7ff ? 0xe000 : cp + 1;
    return String.fromCodePoint(...head.slice(0, i), next);
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

export { parseStats, statsJson } from './stats-json.js';
