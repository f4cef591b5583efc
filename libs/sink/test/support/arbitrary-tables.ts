/**
 * Arbitrary Arrow tables for property tests of the write and read paths:
 * every input type the sink accepts (flat, and list / large list / fixed-size
 * list / struct / map nested to any depth), nulls, NaN / ±0 / ±Infinity and
 * the extremes of each type, dates and timestamps over 0001–9999, several
 * record batches, sliced vectors, child fields with any name and column
 * names in any case.
 *
 * Each table comes with its expected rows as canonical cells (`Cell`): what
 * reading the table back must give, in the table's Delta types. Columns are
 * built on their buffers (not through arrow-js builders, which round
 * timestamps through milliseconds), and `cellsOf` reads any column back the
 * same way, so a test compares `cellsOf(read column)` with `rows`.
 */
import * as arrow from 'apache-arrow';
import fc from 'fast-check';

/**
 * A value in canonical form: integers up to 32 bits, floats and dates (days
 * since epoch) as numbers; 64-bit integers, timestamps (microseconds since
 * epoch, UTC) and decimals (unscaled) as bigints; binary as bytes; struct
 * rows, lists and maps (of [key, value] pairs) as arrays.
 */
export type Cell = null | boolean | number | bigint | string | Uint8Array | readonly Cell[];

export interface ColumnType {
  /** The input column's Arrow type. */
  readonly type: arrow.DataType;
  /** A non-null cell of this type. */
  readonly cell: fc.Arbitrary<Cell>;
  /** Whether the Delta protocol allows it as a partition column. */
  readonly partitionable: boolean;
}

export interface TableColumn {
  readonly name: string;
  readonly type: ColumnType;
}

export interface ArbitraryTable {
  /** The input: one or more record batches, columns possibly sliced. */
  readonly table: arrow.Table;
  readonly columns: readonly TableColumn[];
  /** Expected rows (cells in column order), in input order. */
  readonly rows: readonly (readonly Cell[])[];
}

const MIN_DAY = -719_162; // 0001-01-01
const MAX_DAY = 2_932_896; // 9999-12-31
const MIN_MICROS = BigInt(MIN_DAY) * 86_400_000_000n;
const MAX_MICROS = BigInt(MAX_DAY + 1) * 86_400_000_000n - 1n;

/** Picks edge values more often than fast-check alone would. */
function withEdges<T>(arb: fc.Arbitrary<T>, edges: readonly T[]): fc.Arbitrary<T> {
  return edges.length === 0 ? arb : fc.oneof({ arbitrary: arb, weight: 3 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
}

function int(bits: 8 | 16 | 32, signed: boolean): fc.Arbitrary<Cell> {
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  return withEdges(fc.integer({ min, max }), [min, max, 0, -1].filter((v) => v >= min));
}

const FLOAT_EDGES = [Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/** The number a binary16 bit pattern stands for. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0x1f) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exp === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The binary16 bit pattern of a number binary16 represents exactly. */
export function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Number.POSITIVE_INFINITY) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = -14;
  while (e < 15 && a >= 2 ** (e + 1)) e++;
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

function timestamp(unit: arrow.TimeUnit, tz: string | undefined): ColumnType {
  const per: Record<arrow.TimeUnit, bigint> = { [arrow.TimeUnit.SECOND]: 1_000_000n, [arrow.TimeUnit.MILLISECOND]: 1000n, [arrow.TimeUnit.MICROSECOND]: 1n, [arrow.TimeUnit.NANOSECOND]: 1n };
  // Nanoseconds fit int64 only within 1677–2262.
  const [lo, hi] = unit === arrow.TimeUnit.NANOSECOND ? [-(2n ** 63n) / 1000n + 1n, (2n ** 63n - 1n) / 1000n] : [MIN_MICROS, MAX_MICROS];
  const step = per[unit];
  const cell = withEdges(fc.bigInt({ min: lo / step, max: hi / step }), [lo / step, hi / step, 0n, -1n]).map((v) => v * step);
  return { type: new arrow.Timestamp(unit, tz), cell, partitionable: true };
}

function decimal(precision: number, scale: number): ColumnType {
  const max = 10n ** BigInt(precision) - 1n;
  return { type: new arrow.Decimal(scale, precision, 128), cell: withEdges(fc.bigInt({ min: -max, max }), [max, -max, 0n, 1n, -1n]), partitionable: true };
}

const bytes = (max: number): fc.Arbitrary<Cell> => fc.uint8Array({ maxLength: max });
const text: fc.Arbitrary<Cell> = withEdges(fc.string({ unit: 'grapheme', maxLength: 12 }), ['', 'a', '\u0000', 'é', '😈', 'x'.repeat(40)]);

/** Flat column types (the leaves of nested ones). */
export const LEAF_TYPES: readonly ColumnType[] = [
  { type: new arrow.Int8(), cell: int(8, true), partitionable: true },
  { type: new arrow.Int16(), cell: int(16, true), partitionable: true },
  { type: new arrow.Int32(), cell: int(32, true), partitionable: true },
  { type: new arrow.Int64(), cell: withEdges(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), [-(2n ** 63n), 2n ** 63n - 1n, 0n]), partitionable: true },
  { type: new arrow.Uint8(), cell: int(8, false), partitionable: true },
  { type: new arrow.Uint16(), cell: int(16, false), partitionable: true },
  // A Delta long: its cells are bigints.
  { type: new arrow.Uint32(), cell: withEdges(fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }), [0n, 2n ** 32n - 1n]), partitionable: true },
  { type: new arrow.Float16(), cell: fc.integer({ min: 0, max: 0xffff }).map(halfToNumber), partitionable: false },
  { type: new arrow.Float32(), cell: withEdges(fc.float(), [...FLOAT_EDGES, 3.4028234663852886e38, 1.401298464324817e-45, Math.fround(0.7)]), partitionable: false },
  { type: new arrow.Float64(), cell: withEdges(fc.double(), [...FLOAT_EDGES, Number.MAX_VALUE, Number.MIN_VALUE, 0.1]), partitionable: false },
  { type: new arrow.Bool(), cell: fc.boolean(), partitionable: true },
  { type: new arrow.Utf8(), cell: text, partitionable: true },
  { type: new arrow.LargeUtf8(), cell: text, partitionable: true },
  { type: new arrow.Binary(), cell: bytes(12), partitionable: true },
  { type: new arrow.LargeBinary(), cell: bytes(12), partitionable: false },
  { type: new arrow.FixedSizeBinary(3), cell: fc.uint8Array({ minLength: 3, maxLength: 3 }), partitionable: false },
  { type: new arrow.DateDay(), cell: withEdges(fc.integer({ min: MIN_DAY, max: MAX_DAY }), [MIN_DAY, MAX_DAY, 0, -1]), partitionable: true },
  { type: new arrow.DateMillisecond(), cell: withEdges(fc.integer({ min: MIN_DAY, max: MAX_DAY }), [MIN_DAY, MAX_DAY, 0, -1]), partitionable: true },
  timestamp(arrow.TimeUnit.SECOND, 'UTC'),
  timestamp(arrow.TimeUnit.MILLISECOND, 'UTC'),
  timestamp(arrow.TimeUnit.MICROSECOND, 'UTC'),
  timestamp(arrow.TimeUnit.NANOSECOND, 'UTC'),
  timestamp(arrow.TimeUnit.MICROSECOND, undefined),
  decimal(38, 18),
  decimal(9, 2),
  decimal(18, 0),
  { type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()), cell: fc.constantFrom('a', 'b', 'B', ''), partitionable: true },
];

/** Names for columns and struct fields: identifier-like, any case. */
export const columnName: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);

/** Names of list / map child fields, which Delta does not keep: anything, `item` and "" included. */
const childName: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('item', '', 'element', 'entries', 'key_value', 'Item'), fc.string({ maxLength: 6 }));

/** `count` names distinct case-insensitively, as Delta requires. */
export function distinctNames(count: number, min = count): fc.Arbitrary<string[]> {
  return fc.uniqueArray(columnName, { minLength: min, maxLength: count, selector: (n) => n.toLowerCase() });
}

/** Column types nested up to `depth` levels (0: flat). */
export function arbitraryColumnType(depth = 2): fc.Arbitrary<ColumnType> {
  const leaf = fc.constantFrom(...LEAF_TYPES);
  if (depth <= 0) return leaf;
  const inner = arbitraryColumnType(depth - 1);
  const nullable = fc.boolean();
  const list = fc.tuple(inner, childName, nullable, fc.constantFrom('list', 'large', 'fixed')).map(([t, name, n, kind]): ColumnType => {
    const field = new arrow.Field(name, t.type, n);
    const cell = n ? fc.option(t.cell, { nil: null, freq: 4 }) : t.cell;
    if (kind === 'fixed') return { type: new arrow.FixedSizeList(2, field), cell: fc.array(cell, { minLength: 2, maxLength: 2 }), partitionable: false };
    return { type: kind === 'list' ? new arrow.List(field) : new arrow.LargeList(field), cell: fc.array(cell, { maxLength: 3 }), partitionable: false };
  });
  const struct = fc
    .tuple(distinctNames(3, 1), fc.array(fc.tuple(inner, nullable), { minLength: 3, maxLength: 3 }))
    .map(([names, kids]): ColumnType => {
      const fields = names.map((name, i) => new arrow.Field(name, (kids[i] as [ColumnType, boolean])[0].type, (kids[i] as [ColumnType, boolean])[1]));
      const cells = names.map((_, i) => {
        const [t, n] = kids[i] as [ColumnType, boolean];
        return n ? fc.option(t.cell, { nil: null, freq: 4 }) : t.cell;
      });
      return { type: new arrow.Struct(fields), cell: fc.tuple(...cells), partitionable: false };
    });
  const mapKey = fc.constantFrom(...LEAF_TYPES.filter((t) => arrow.DataType.isUtf8(t.type) || (arrow.DataType.isInt(t.type) && t.type.bitWidth === 32)));
  const map = fc.tuple(mapKey, inner, nullable, childName).map(([k, v, n, entriesName]): ColumnType => {
    const entries = new arrow.Field(entriesName, new arrow.Struct([new arrow.Field('key', k.type, false), new arrow.Field('value', v.type, n)]), false);
    const value = n ? fc.option(v.cell, { nil: null, freq: 4 }) : v.cell;
    const pairs = fc.uniqueArray(fc.tuple(k.cell, value), { maxLength: 3, selector: ([key]) => key as string | number });
    return { type: new arrow.Map_(entries), cell: pairs, partitionable: false };
  });
  return fc.oneof({ arbitrary: leaf, weight: 3 }, { arbitrary: list, weight: 1 }, { arbitrary: struct, weight: 1 }, { arbitrary: map, weight: 1 });
}

export interface ArbitraryTableOptions {
  readonly maxColumns?: number;
  readonly maxRows?: number;
  readonly maxBatches?: number;
  readonly depth?: number;
}

/** A table of 1..maxColumns columns, 0..maxRows rows in 1..maxBatches record batches, columns sliced at random. */
export function arbitraryTable(options: ArbitraryTableOptions = {}): fc.Arbitrary<ArbitraryTable> {
  const maxColumns = options.maxColumns ?? 4;
  const maxRows = options.maxRows ?? 8;
  return fc
    .tuple(distinctNames(maxColumns, 1), fc.array(arbitraryColumnType(options.depth ?? 2), { minLength: maxColumns, maxLength: maxColumns }), fc.integer({ min: 0, max: maxRows }))
    .chain(([names, types, numRows]) => {
      const columns = names.map((name, i) => ({ name, type: types[i] as ColumnType }));
      const cellsOfColumn = columns.map((c) => fc.array(fc.option(c.type.cell, { nil: null, freq: 5 }), { minLength: numRows + 2, maxLength: numRows + 2 }));
      return fc.record({
        columns: fc.constant(columns),
        cells: fc.tuple(...cellsOfColumn),
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, numRows - 1) }), { maxLength: numRows > 1 ? (options.maxBatches ?? 3) - 1 : 0 }),
        lead: fc.integer({ min: 0, max: 2 }),
        numRows: fc.constant(numRows),
      });
    })
    .map(({ columns, cells, cuts, lead, numRows }) => {
      // Each column is built with `lead` extra rows before and 2 - lead after, and sliced to its rows.
      const full = columns.map((c, i) => buildData(c.type.type, cells[i] as Cell[]));
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), numRows];
      const fields = columns.map((c) => new arrow.Field(c.name, c.type.type, true));
      const schema = new arrow.Schema(fields);
      const batches: arrow.RecordBatch[] = [];
      for (let b = 0; b + 1 < bounds.length; b++) {
        const start = bounds[b] as number;
        const length = (bounds[b + 1] as number) - start;
        const children = full.map((d) => d.slice(lead + start, length));
        const data = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children });
        batches.push(new arrow.RecordBatch(schema, data));
      }
      const rows = Array.from({ length: numRows }, (_, r) => columns.map((_, i) => (cells[i] as Cell[])[lead + r] ?? null));
      return { table: new arrow.Table(schema, batches), columns, rows };
    });
}

/** The table with its columns renamed (e.g. to other letter cases); buffers shared. */
export function renameColumns(table: arrow.Table, names: readonly string[]): arrow.Table {
  const fields = table.schema.fields.map((f, i) => new arrow.Field(names[i] ?? f.name, f.type, f.nullable, f.metadata));
  const schema = new arrow.Schema(fields, table.schema.metadata);
  return new arrow.Table(schema, table.batches.map((b) => new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: b.numRows, nullCount: 0, children: b.data.children }))));
}

// ---------------------------------------------------------------------------
// Building columns from cells
// ---------------------------------------------------------------------------

function validity(cells: readonly Cell[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(cells.length / 8));
  let nullCount = 0;
  cells.forEach((c, i) => {
    if (c === null) nullCount++;
    else nullBitmap[i >> 3] = (nullBitmap[i >> 3] as number) | (1 << (i & 7));
  });
  return { nullBitmap, nullCount };
}

const utf8 = new TextEncoder();

/** One column holding `cells`, built on its buffers. */
export function buildData(type: arrow.DataType, cells: readonly Cell[]): arrow.Data {
  const length = cells.length;
  const { nullBitmap, nullCount } = validity(cells);
  const base = { type, length, nullCount, nullBitmap } as const;
  const mk = (props: Record<string, unknown>): arrow.Data => arrow.makeData({ ...base, ...props } as never) as arrow.Data;
  if (arrow.DataType.isDictionary(type)) {
    const values = [...new Set(cells.filter((c) => c !== null))];
    const dictionary = arrow.makeVector(buildData(type.dictionary, values));
    return mk({ data: Int32Array.from(cells, (c) => (c === null ? 0 : values.indexOf(c))), dictionary });
  }
  if (arrow.DataType.isFloat(type) && type.precision === arrow.Precision.HALF) return mk({ data: Uint16Array.from(cells, (c) => numberToHalf(c === null ? 0 : (c as number))) });
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    const Ctor = type.ArrayType as unknown as { from(a: ArrayLike<unknown>): ArrayBufferView };
    const big = arrow.DataType.isInt(type) && type.bitWidth === 64;
    return mk({ data: Ctor.from(cells.map((c) => (c === null ? (big ? 0n : 0) : big ? c : Number(c)))) });
  }
  if (arrow.DataType.isBool(type)) return mk({ data: validity(cells.map((c) => (c === true ? true : null))).nullBitmap });
  if (arrow.DataType.isDate(type)) {
    if (type.unit === arrow.DateUnit.DAY) return mk({ data: Int32Array.from(cells, (c) => (c === null ? 0 : (c as number))) });
    return mk({ data: BigInt64Array.from(cells, (c) => BigInt(c === null ? 0 : (c as number)) * 86_400_000n) });
  }
  if (arrow.DataType.isTimestamp(type)) {
    const mul = type.unit === arrow.TimeUnit.NANOSECOND ? 1000n : 1n;
    const div = ({ [arrow.TimeUnit.SECOND]: 1_000_000n, [arrow.TimeUnit.MILLISECOND]: 1000n } as Record<number, bigint>)[type.unit] ?? 1n;
    return mk({ data: BigInt64Array.from(cells, (c) => (c === null ? 0n : ((c as bigint) * mul) / div)) });
  }
  if (arrow.DataType.isDecimal(type)) {
    const words = new Uint32Array(length * 4);
    cells.forEach((c, i) => {
      const twos = BigInt.asUintN(128, c === null ? 0n : (c as bigint));
      for (let w = 0; w < 4; w++) words[i * 4 + w] = Number((twos >> BigInt(32 * w)) & 0xffffffffn);
    });
    return mk({ data: words });
  }
  if (arrow.DataType.isFixedSizeBinary(type)) {
    const out = new Uint8Array(length * type.byteWidth);
    cells.forEach((c, i) => c !== null && out.set(c as Uint8Array, i * type.byteWidth));
    return mk({ data: out });
  }
  const variable = arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type);
  if (variable) {
    const parts = cells.map((c) => (c === null ? new Uint8Array(0) : typeof c === 'string' ? utf8.encode(c) : (c as Uint8Array)));
    const offsets = new Int32Array(length + 1);
    parts.forEach((p, i) => (offsets[i + 1] = (offsets[i] as number) + p.length));
    const data = new Uint8Array(offsets[length] as number);
    parts.forEach((p, i) => data.set(p, offsets[i] as number));
    const large = arrow.DataType.isLargeUtf8(type) || arrow.DataType.isLargeBinary(type);
    return mk({ data, valueOffsets: large ? BigInt64Array.from(offsets, BigInt) : offsets });
  }
  if (arrow.DataType.isStruct(type)) {
    const children = type.children.map((f, j) => buildData(f.type, cells.map((c) => (c === null ? null : ((c as Cell[])[j] ?? null)))));
    return mk({ children });
  }
  if (arrow.DataType.isFixedSizeList(type)) {
    const items = cells.flatMap((c) => (c === null ? new Array<Cell>(type.listSize).fill(null) : (c as Cell[])));
    return mk({ child: buildData(type.children[0]?.type as arrow.DataType, items) });
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isLargeList(type) || arrow.DataType.isMap(type)) {
    const offsets = new Int32Array(length + 1);
    cells.forEach((c, i) => (offsets[i + 1] = (offsets[i] as number) + (c === null ? 0 : (c as Cell[]).length)));
    const items = cells.flatMap((c) => (c === null ? [] : (c as Cell[])));
    const child = buildData(type.children[0]?.type as arrow.DataType, items);
    return mk({ child, valueOffsets: arrow.DataType.isLargeList(type) ? BigInt64Array.from(offsets, BigInt) : offsets });
  }
  throw new TypeError(`buildData: unsupported type ${String(type)}`);
}

// ---------------------------------------------------------------------------
// Reading columns back as cells
// ---------------------------------------------------------------------------

const bit = (bits: Uint8Array | undefined | null, i: number): boolean => !!bits && (((bits[i >> 3] as number) >> (i & 7)) & 1) === 1;
const text8 = new TextDecoder();

/** Row `i` of one Data as a canonical cell (arrow-js slicing conventions: bitmaps and child-by-offsets not cut). */
export function cellAt(data: arrow.Data, i: number): Cell {
  const type = data.type as arrow.DataType;
  if (data.nullCount !== 0 && data.nullBitmap && data.nullBitmap.length > 0 && !bit(data.nullBitmap, data.offset + i)) return null;
  if (arrow.DataType.isDictionary(type)) {
    const dict = data.dictionary?.data[0] as arrow.Data;
    return cellAt(dict, Number((data.values as Int32Array)[i]));
  }
  if (arrow.DataType.isFloat(type) && type.precision === arrow.Precision.HALF) return halfToNumber((data.values as Uint16Array)[i] as number);
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    const v = (data.values as unknown as ArrayLike<number | bigint>)[i] as number | bigint;
    // Delta has no unsigned types: uint32 is a long.
    return arrow.DataType.isInt(type) && (type.bitWidth === 64 || (type.bitWidth === 32 && !type.isSigned)) ? BigInt(v) : Number(v);
  }
  if (arrow.DataType.isBool(type)) return bit(data.values as Uint8Array, data.offset + i);
  if (arrow.DataType.isDate(type)) {
    if (type.unit === arrow.DateUnit.DAY) return (data.values as Int32Array)[i] as number;
    return Number((data.values as unknown as BigInt64Array)[i] as bigint / 86_400_000n);
  }
  if (arrow.DataType.isTimestamp(type)) {
    const v = (data.values as unknown as BigInt64Array)[i] as bigint;
    if (type.unit === arrow.TimeUnit.NANOSECOND) return v / 1000n - (v % 1000n < 0n ? 1n : 0n);
    return v * (({ [arrow.TimeUnit.SECOND]: 1_000_000n, [arrow.TimeUnit.MILLISECOND]: 1000n } as Record<number, bigint>)[type.unit] ?? 1n);
  }
  if (arrow.DataType.isDecimal(type)) {
    const w = data.values as Uint32Array;
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(w[i * 4 + k] as number);
    return BigInt.asIntN(128, v);
  }
  if (arrow.DataType.isFixedSizeBinary(type)) return (data.values as Uint8Array).slice(i * type.byteWidth, (i + 1) * type.byteWidth);
  const offsets = data.valueOffsets as Int32Array | BigInt64Array | undefined;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) {
    const bytes = (data.values as Uint8Array).slice(Number(offsets?.[i] ?? 0), Number(offsets?.[i + 1] ?? 0));
    return arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) ? text8.decode(bytes) : bytes;
  }
  if (arrow.DataType.isStruct(type)) return data.children.map((c) => cellAt(c, i));
  if (arrow.DataType.isFixedSizeList(type)) {
    const child = data.children[0] as arrow.Data;
    return Array.from({ length: type.listSize }, (_, k) => cellAt(child, i * type.listSize + k));
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isLargeList(type) || arrow.DataType.isMap(type)) {
    const child = data.children[0] as arrow.Data;
    const out: Cell[] = [];
    for (let k = Number(offsets?.[i] ?? 0); k < Number(offsets?.[i + 1] ?? 0); k++) out.push(cellAt(child, k));
    return out;
  }
  throw new TypeError(`cellAt: unsupported type ${String(type)}`);
}

/** Every row of a column (all chunks) as canonical cells. */
export function cellsOf(vector: arrow.Vector): Cell[] {
  return vector.data.flatMap((d) => Array.from({ length: d.length }, (_, i) => cellAt(d, i)));
}

/** Rows of a table as canonical cells, columns in `names` order (matched case-insensitively). */
export function rowsOf(table: arrow.Table, names: readonly string[]): Cell[][] {
  const columns = names.map((n) => {
    const idx = table.schema.fields.findIndex((f) => f.name.toLowerCase() === n.toLowerCase());
    const child = idx >= 0 ? table.getChildAt(idx) : null;
    if (!child) throw new TypeError(`rowsOf: no column ${n}`);
    return cellsOf(child);
  });
  return Array.from({ length: table.numRows }, (_, r) => columns.map((c) => c[r] ?? null));
}

/** A canonical text of a cell (NaN, -0, bigints and bytes spelled out), to compare or sort rows. */
export function cellKey(cell: Cell): string {
  return JSON.stringify(cell, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key]; // before toJSON (a Buffer's turns it into an object)
    if (raw instanceof Uint8Array) return `0x${Buffer.from(raw).toString('hex')}`;
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : v;
    if (v instanceof Uint8Array) return `0x${Buffer.from(v).toString('hex')}`;
    return v;
  });
}

/** Rows as sorted canonical texts: equal for the same multiset of rows. */
export function sortedRowKeys(rows: readonly (readonly Cell[])[]): string[] {
  return rows.map((r) => cellKey(r)).sort();
}
