import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { readParquet, Table as WasmTable, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { encodeIpcStream } from './ipc-stream.js';

interface ColumnKind {
  readonly type: arrow.DataType;
  readonly value: fc.Arbitrary<unknown>;
}

const int = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
const DAY_MS = 86_400_000;
/** A decimal cell as arrow-js takes it: little-endian uint32 words of a two's-complement integer of `precision` digits. */
function decimal(precision: number, bitWidth: 128 | 256): fc.Arbitrary<Uint32Array> {
  const max = 10n ** BigInt(precision) - 1n;
  return fc.bigInt({ min: -max, max }).map((v) => {
    const u = BigInt.asUintN(bitWidth, v);
    return Uint32Array.from({ length: bitWidth / 32 }, (_, i) => Number((u >> BigInt(32 * i)) & 0xffff_ffffn));
  });
}

const FLAT: readonly ColumnKind[] = [
  { type: new arrow.Int8(), value: int(-128, 127) },
  { type: new arrow.Int16(), value: int(-32768, 32767) },
  { type: new arrow.Int32(), value: int(-(2 ** 31), 2 ** 31 - 1) },
  { type: new arrow.Int64(), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
  { type: new arrow.Uint8(), value: int(0, 255) },
  { type: new arrow.Uint16(), value: int(0, 65535) },
  { type: new arrow.Uint32(), value: int(0, 2 ** 32 - 1) },
  { type: new arrow.Uint64(), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
  { type: new arrow.Float16(), value: fc.double() },
  { type: new arrow.Float32(), value: fc.float() },
  { type: new arrow.Float64(), value: fc.double() },
  { type: new arrow.Bool(), value: fc.boolean() },
  { type: new arrow.Utf8(), value: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { type: new arrow.Binary(), value: fc.uint8Array({ maxLength: 10 }) },
  { type: new arrow.DateDay(), value: int(-50_000, 50_000).map((d) => d * DAY_MS) },
  { type: new arrow.DateMillisecond(), value: int(-50_000, 50_000).map((d) => d * DAY_MS) },
  // arrow-js builders take timestamps in epoch milliseconds, whatever the unit.
  { type: new arrow.TimestampSecond(), value: int(-1e10, 1e10).map((s) => s * 1000) },
  { type: new arrow.TimestampMillisecond('UTC'), value: int(-1e13, 1e13) },
  { type: new arrow.TimestampMicrosecond('UTC'), value: int(-1e12, 1e12) },
  { type: new arrow.TimestampNanosecond(), value: int(-1e12, 1e12) },
  { type: new arrow.TimeSecond(), value: int(0, 86_399) },
  { type: new arrow.TimeMillisecond(), value: int(0, DAY_MS - 1) },
  { type: new arrow.TimeMicrosecond(), value: fc.bigInt({ min: 0n, max: 86_400_000_000n - 1n }) },
  { type: new arrow.TimeNanosecond(), value: fc.bigInt({ min: 0n, max: 86_400_000_000_000n - 1n }) },
  { type: new arrow.Decimal(2, 38, 128), value: decimal(38, 128) },
  { type: new arrow.Decimal(0, 76, 256), value: decimal(76, 256) },
  { type: new arrow.FixedSizeBinary(3), value: fc.uint8Array({ minLength: 3, maxLength: 3 }) },
];

/** A struct of up to three cells, possibly holding another struct. */
function structKind(depth: number): fc.Arbitrary<ColumnKind> {
  const child = depth > 0 ? fc.oneof(fc.constantFrom(...FLAT), structKind(depth - 1)) : fc.constantFrom(...FLAT);
  return fc.array(fc.tuple(child, fc.boolean()), { minLength: 1, maxLength: 3 }).map((children) => {
    const fields = children.map(([kind, nullable], i) => new arrow.Field(`f${i}`, kind.type, nullable));
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    children.forEach(([kind, nullable], i) => (record[`f${i}`] = nullable ? fc.option(kind.value, { freq: 3 }) : kind.value));
    return { type: new arrow.Struct(fields), value: fc.record(record) };
  });
}

const KIND: fc.Arbitrary<ColumnKind> = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FLAT) }, { weight: 1, arbitrary: structKind(1) });

interface Column {
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

/** A batch's columns as value lists, then an optional slice of the batch (nonzero Data offsets). */
function batchArb(columns: readonly Column[]): fc.Arbitrary<{ cells: unknown[][]; from: number; to: number }> {
  return fc.integer({ min: 0, max: 40 }).chain((rows) =>
    fc.record({
      cells: fc.tuple(
        ...columns.map((c) => fc.array(c.nullable ? fc.option(c.kind.value, { freq: 3 }) : c.kind.value, { minLength: rows, maxLength: rows })),
      ),
      from: fc.integer({ min: 0, max: rows }),
      to: fc.integer({ min: 0, max: rows }),
    }),
  );
}

/** Random tables: 0–6 columns of the supported types, 1–3 batches, each possibly sliced. */
const TABLE: fc.Arbitrary<arrow.Table> = fc
  .array(fc.record({ kind: KIND, nullable: fc.boolean() }), { maxLength: 6 })
  .chain((columns) => fc.tuple(fc.constant(columns), fc.array(batchArb(columns), { minLength: 1, maxLength: 3 }), fc.boolean()))
  .map(([columns, batches, slice]) => {
    const schema = new arrow.Schema(columns.map((c, i) => new arrow.Field(`c${i}`, c.kind.type, c.nullable)));
    const records = batches.map(({ cells, from, to }) => {
      const rows = cells[0]?.length ?? 0;
      const children = columns.map((c, i) => arrow.vectorFromArray(cells[i] ?? [], c.kind.type).data[0] ?? arrow.makeData({ type: c.kind.type, length: 0 }));
      const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows, nullCount: 0, children }));
      return slice ? batch.slice(Math.min(from, to), Math.max(from, to)) : batch;
    });
    return new arrow.Table(schema, records);
  });

/** A comparable, bigint-safe form of a cell. */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, plain);
  if (v instanceof arrow.Vector) return plain(v.toArray());
  if (typeof v === 'object' && 'toJSON' in v && typeof v.toJSON === 'function') return plain((v as { toJSON(): unknown }).toJSON());
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Every column's cells (null where invalid), column-major. */
function cells(table: arrow.Table): unknown[][] {
  return table.schema.fields.map((_, i) => {
    const column = table.getChildAt(i);
    return column ? Array.from({ length: column.length }, (_, r) => (column.isValid(r) ? plain(column.get(r)) : null)) : [];
  });
}

function describeFields(fields: readonly arrow.Field[]): unknown[] {
  return fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable, metadata: [...f.metadata], children: describeFields(f.type.children ?? []) }));
}

/** Buffer lengths of the stream's first record batch message. */
function recordBatchBufferLengths(bytes: Uint8Array): number[] {
  const reader = new arrow.MessageReader(bytes);
  for (let message = reader.readMessage(); message; message = reader.readMessage()) {
    if (message.isRecordBatch()) return message.header().buffers.map((b) => b.length);
    if (message.bodyLength > 0) reader.readMessageBody(message.bodyLength);
  }
  return [];
}

function parquetRoundTrip(bytes: Uint8Array): arrow.Table {
  return arrow.tableFromIPC(readParquet(writeParquet(WasmTable.fromIPCStream(bytes))).intoIPCStream());
}

describe('encodeIpcStream', () => {
  it('round-trips random tables through arrow.tableFromIPC (cells, schema, batches)', () => {
    fc.assert(
      fc.property(TABLE, (table) => {
        const back = arrow.tableFromIPC(encodeIpcStream(table));
        expect(describeFields(back.schema.fields)).toEqual(describeFields(table.schema.fields));
        expect(back.numRows).toBe(table.numRows);
        expect(back.batches.map((b) => b.numRows)).toEqual(table.batches.map((b) => b.numRows));
        expect(cells(back)).toEqual(cells(table));
      }),
      { numRuns: 300 },
    );
  });

  it('is read by parquet-wasm: Table.fromIPCStream, writeParquet, readParquet give the same cells', () => {
    fc.assert(
      fc.property(TABLE, (table) => {
        fc.pre(table.numCols > 0);
        const back = parquetRoundTrip(encodeIpcStream(table));
        expect(back.numRows).toBe(table.numRows);
        expect(back.schema.fields.map((f) => f.name)).toEqual(table.schema.fields.map((f) => f.name));
        expect(cells(back)).toEqual(cells(table));
      }),
      { numRuns: 100 },
    );
  });

  it('encodes the silver-like shape: nullable payload columns, a slice, a fresh and a cached schema', () => {
    const n = 1000;
    const schema = new arrow.Schema([
      new arrow.Field('id', new arrow.Utf8(), false),
      new arrow.Field('t', new arrow.TimestampMicrosecond('UTC'), false),
      new arrow.Field('x', new arrow.Float64(), true),
      new arrow.Field('on', new arrow.Bool(), true),
    ]);
    const columns = {
      id: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => `car-${i % 20}`), new arrow.Utf8()),
      t: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => 1.7e15 + i), new arrow.TimestampMicrosecond('UTC')),
      x: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i / 7)), new arrow.Float64()),
      on: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 2 === 0)), new arrow.Bool()),
    };
    const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children: Object.values(columns).map((v) => v.data[0] as arrow.Data) });
    const table = new arrow.Table(schema, [new arrow.RecordBatch(schema, data)]);
    for (const t of [table, table.slice(3, 503), table.slice(501, 1000), table.slice(3, 503)]) {
      const bytes = encodeIpcStream(t);
      expect(cells(arrow.tableFromIPC(bytes))).toEqual(cells(t));
      expect(cells(parquetRoundTrip(bytes))).toEqual(cells(t));
    }
  });

  it('hand-writes the record batch for every supported type (exact, unpadded buffer lengths; the fallback pads to 8)', () => {
    const kinds = [...FLAT, fc.sample(structKind(1), { numRuns: 1, seed: 7 })[0] as ColumnKind];
    for (const kind of kinds) {
      const values = [...fc.sample(kind.value, { numRuns: 3, seed: 1 }), null];
      const table = new arrow.Table({ c: arrow.vectorFromArray(values, kind.type) }).slice(1);
      const bytes = encodeIpcStream(table);
      const lengths = recordBatchBufferLengths(bytes);
      expect(lengths[0], String(kind.type)).toBe(1); // the validity bitmap of 3 rows
      expect(cells(arrow.tableFromIPC(bytes))).toEqual(cells(table));
    }
  });

  it('writes a table without batches as schema + end-of-stream, like tableToIPC', () => {
    const table = new arrow.Table(new arrow.Schema([new arrow.Field('a', new arrow.Int32(), true)]));
    const bytes = encodeIpcStream(table);
    expect(bytes).toEqual(arrow.tableToIPC(table, 'stream'));
    expect(Array.from(bytes.subarray(-8))).toEqual([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    const back = arrow.tableFromIPC(bytes);
    expect(back.numRows).toBe(0);
    expect(describeFields(back.schema.fields)).toEqual(describeFields(table.schema.fields));
  });

  it('keeps schema metadata (the schema message comes from apache-arrow)', () => {
    const schema = new arrow.Schema([new arrow.Field('a', new arrow.Int32(), true, new Map([['k', 'v']]))], new Map([['table', 'meta']]));
    const table = new arrow.Table(schema, [new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 2, nullCount: 0, children: [arrow.vectorFromArray([1, null], new arrow.Int32()).data[0] as arrow.Data] }))]);
    const back = arrow.tableFromIPC(encodeIpcStream(table));
    expect(back.schema.metadata.get('table')).toBe('meta');
    expect(back.schema.fields[0]?.metadata.get('k')).toBe('v');
    expect(cells(back)).toEqual([[1, null]]);
  });

  it('caches schema messages without mixing up schemas that differ in metadata, names, nullability or types', () => {
    const a = new arrow.Field('a', new arrow.Int32(), true);
    const b = new arrow.Field('b', new arrow.Utf8(), true);
    const column = arrow.vectorFromArray([1, null, 3], new arrow.Int32()).data[0] as arrow.Data;
    const text = arrow.vectorFromArray(['x', 'y', null], new arrow.Utf8()).data[0] as arrow.Data;
    const tableOf = (schema: arrow.Schema): arrow.Table =>
      new arrow.Table([new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 3, nullCount: 0, children: [column, text].slice(0, schema.fields.length) }))]);
    const schemas = [
      new arrow.Schema([a, b]),
      new arrow.Schema([a, b]),
      new arrow.Schema([a, b], new Map([['v', '1']])),
      new arrow.Schema([a, b], new Map([['v', '2']])),
      new arrow.Schema([a]),
      new arrow.Schema([a, b.clone({ nullable: false, name: 'c' })]),
      new arrow.Schema([a, b.clone({ metadata: new Map([['m', '1']]) })]),
      new arrow.Schema([a, new arrow.Field('b', new arrow.Utf8(), true)]),
      new arrow.Schema([a, b]),
    ];
    for (const schema of schemas) {
      const table = tableOf(schema);
      const back = arrow.tableFromIPC(encodeIpcStream(table));
      expect(describeFields(back.schema.fields)).toEqual(describeFields(table.schema.fields));
      expect([...back.schema.metadata]).toEqual([...table.schema.metadata]);
      expect(cells(back)).toEqual(cells(table));
    }
  });

  describe('falls back to arrow.tableToIPC for other types, still round-tripping', () => {
    const cases: readonly [string, arrow.Table][] = [
      ['dictionary', arrow.tableFromArrays({ s: ['a', 'b', 'a', null] as (string | null)[], n: Int32Array.from([1, 2, 3, 4]) })],
      ['list', new arrow.Table({ l: arrow.vectorFromArray([[1, 2], null, [3]], new arrow.List(new arrow.Field('item', new arrow.Int32(), true))) })],
      ['struct holding a list', new arrow.Table({ s: arrow.vectorFromArray([{ l: [1] }, { l: null }], new arrow.Struct([new arrow.Field('l', new arrow.List(new arrow.Field('item', new arrow.Int32(), true)), true)])) })],
    ];
    for (const [name, table] of cases) {
      it(name, () => {
        for (const t of [table, table.slice(1)]) {
          const bytes = encodeIpcStream(t);
          expect(bytes).toEqual(arrow.tableToIPC(t, 'stream'));
          expect(cells(arrow.tableFromIPC(bytes))).toEqual(cells(t));
          expect(cells(parquetRoundTrip(bytes))).toEqual(cells(t));
        }
      });
    }
  });
});
