import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore } from '../src/index.js';
import { buildData, cellKey, cellsOf, numberToHalf, type Cell } from './support/arbitrary-tables.js';
import { tempDir } from './support/tables.js';

/**
 * Issue 8 items 1, 3, 4: the cast from the input's Arrow types to the table's
 * must keep every value (nested lists whatever their child is called, several
 * record batches, column names in another case, float16), judged by our
 * reader and by DuckDB over the same files.
 */
const { dir, cleanup } = tempDir('sink-cast-');
afterAll(cleanup);
let n = 0;
const freshTable = async (schema: arrow.Schema, partitionColumns: string[] = []): Promise<{ table: DeltaTable; root: string }> => {
  const root = join(dir, `t${n++}`);
  return { table: await DeltaTable.create(new LocalFileStore(root), { schema, partitionColumns }), root };
};
const column = (t: arrow.Table, name: string): Cell[] => cellsOf(t.getChild(name) as arrow.Vector);
/** Cells as a sorted bag: files (and so rows) come back in any order. */
const bag = (cells: readonly unknown[]): string[] => cells.map((c) => cellKey(c as Cell)).sort();

/** DuckDB's rows of every data file of the table (read_parquet), one column. */
async function duckColumn(root: string, name: string): Promise<unknown[]> {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.parquet') && !f.startsWith('_delta_log'));
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const list = files.map((f) => `'${join(root, f).replace(/'/g, "''")}'`).join(', ');
  const reader = await db.runAndReadAll(`SELECT "${name}" FROM read_parquet([${list}])`);
  return reader.getRows().map((r) => plainDuck(r[0] ?? null));
}

function plainDuck(v: DuckDBValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if ('items' in v) return v.items.map(plainDuck);
  if ('entries' in v && Array.isArray(v.entries)) return v.entries.map((e: { key: DuckDBValue; value: DuckDBValue }) => [plainDuck(e.key), plainDuck(e.value)]);
  if ('entries' in v) return Object.values(v.entries as Record<string, DuckDBValue>).map(plainDuck);
  return String(v);
}

const listOf = (child: arrow.Field): arrow.List => new arrow.List(child);

describe('nested columns are cast, not rebuilt value by value (#8.1)', () => {
  it('a list column whose child is "" (tableFromJSON) or "item" keeps its values', async () => {
    const input = arrow.tableFromJSON([{ id: 1, xs: [1.5, 2] }, { id: 2, xs: [3] }, { id: 3, xs: [] }]);
    expect(input.schema.fields[1]?.type.children[0]?.name).toBe('');
    const { table, root } = await freshTable(input.schema);
    await table.append(input);
    const items = new arrow.Table({ id: arrow.vectorFromArray([4], new arrow.Float64()), xs: arrow.makeVector(buildData(listOf(new arrow.Field('item', new arrow.Float64(), true)), [[-0, Number.NaN]])) });
    await table.append(items);
    const back = await table.read();
    const expected = bag([[1.5, 2], [3], [], [-0, Number.NaN]]);
    expect(bag(column(back, 'xs'))).toEqual(expected);
    expect(bag(await duckColumn(root, 'xs'))).toEqual(expected);
  });

  it('list, struct and map columns over several record batches and slices keep every value', async () => {
    const type = new arrow.Struct([
      new arrow.Field('names', listOf(new arrow.Field('item', new arrow.Utf8(), true))),
      new arrow.Field('m', new arrow.Map_(new arrow.Field('entries', new arrow.Struct<{ key: arrow.Utf8; value: arrow.Int64 }>([new arrow.Field('key', new arrow.Utf8(), false), new arrow.Field('value', new arrow.Int64(), true)]), false))),
    ]);
    const cells: Cell[] = [
      [['a', 'b'], [['k', 1n]]],
      null,
      [[], []],
      [[null, 'ccc'], [['x', null], ['y', -(2n ** 63n)]]],
      [['d'], [['z', 7n]]],
    ];
    const full = buildData(type, cells);
    const schema = new arrow.Schema([new arrow.Field('s', type, true)]);
    const batch = (start: number, length: number): arrow.RecordBatch =>
      new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children: [full.slice(start, length)] }));
    const input = new arrow.Table(schema, [batch(0, 2), batch(2, 1), batch(3, 2)]);
    const { table, root } = await freshTable(schema);
    await table.append(input);
    const back = await table.read();
    expect(column(back, 's')).toEqual(cells);
    expect(await duckColumn(root, 's')).toEqual(cells);
  });

  it('a partitioned table gathers list columns by partition with their values', async () => {
    const input = new arrow.Table({
      p: arrow.vectorFromArray(['a', 'b', 'a'], new arrow.Utf8()),
      xs: arrow.makeVector(buildData(listOf(new arrow.Field('element', new arrow.Int32(), true)), [[1, 2], [3], [null, 4]])),
    });
    const { table } = await freshTable(input.schema, ['p']);
    await table.append(input);
    const back = await table.read();
    const rows = column(back, 'p').map((p, i) => [p, column(back, 'xs')[i]]);
    expect(rows.sort()).toEqual([['a', [1, 2]], ['a', [null, 4]], ['b', [3]]].sort());
  });

  it('fixed-size lists with null rows (masked values in a non-nullable child) become lists with those rows null', async () => {
    const inner = new arrow.FixedSizeList(2, new arrow.Field('v', new arrow.Int8(), false));
    const type = new arrow.FixedSizeList(2, new arrow.Field('x', inner, false));
    const cells: Cell[] = [null, [[0, 0], [0, 1]], null, [[-128, 127], [1, 2]]];
    const input = new arrow.Table({ f: arrow.makeVector(buildData(type, cells)) });
    const { table, root } = await freshTable(input.schema);
    await table.append(input);
    expect(column(await table.read(), 'f')).toEqual(cells);
    expect(await duckColumn(root, 'f')).toEqual(cells);
  });

  it('an empty append of list columns reads back (zero-row files)', async () => {
    const input = new arrow.Table({ xs: arrow.makeVector(buildData(listOf(new arrow.Field('item', new arrow.Int32(), true)), [])) });
    const { table } = await freshTable(input.schema);
    await table.append(input);
    await table.append(new arrow.Table({ xs: arrow.makeVector(buildData(listOf(new arrow.Field('item', new arrow.Int32(), true)), [[1]])) }));
    expect(column(await table.read(), 'xs')).toEqual([[1]]);
  });

  it('reads another writer\'s Parquet whose list child is "item"', async () => {
    const schema = new arrow.Schema([new arrow.Field('xs', listOf(new arrow.Field('element', new arrow.Int64(), true)), true)]);
    const { root } = await freshTable(schema);
    // parquet-wasm (arrow-rs) writes the list element under the Arrow child's name.
    const foreign = new arrow.Table({ xs: arrow.makeVector(buildData(listOf(new arrow.Field('item', new arrow.Int64(), true)), [[1n, 2n], null, [3n]])) });
    const bytes = writeParquet(WasmTable.fromIPCStream(arrow.tableToIPC(foreign, 'stream')), new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build());
    writeFileSync(join(root, 'foreign.parquet'), bytes);
    const add = { path: 'foreign.parquet', partitionValues: {}, size: bytes.byteLength, modificationTime: 1, dataChange: true };
    writeFileSync(join(root, '_delta_log', '00000000000000000001.json'), `${JSON.stringify({ add })}\n`);
    expect(readFileSync(join(root, 'foreign.parquet')).byteLength).toBe(bytes.byteLength);
    const back = await (await DeltaTable.open(new LocalFileStore(root))).read();
    expect(column(back, 'xs')).toEqual([[1n, 2n], null, [3n]]);
  });
});

describe('column names resolve case-insensitively everywhere (#8.3)', () => {
  it('appending ID to a table of id writes the values, not nulls', async () => {
    const { table, root } = await freshTable(new arrow.Schema([new arrow.Field('id', new arrow.Int64(), true), new arrow.Field('Part', new arrow.Utf8(), true)]), ['Part']);
    expect((await table.read({ columns: ['ID'] })).schema.fields.map((f: { name: string }) => f.name)).toEqual(['id']);
    await table.append(new arrow.Table({ ID: arrow.vectorFromArray([1n, 2n], new arrow.Int64()), part: arrow.vectorFromArray(['x', 'y'], new arrow.Utf8()) }));
    const back = await table.read();
    expect(back.schema.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'Part']);
    expect(column(back, 'id').sort()).toEqual([1n, 2n]);
    expect(column(back, 'Part').sort()).toEqual(['x', 'y']);
    expect((await duckColumn(root, 'id')).sort()).toEqual([1n, 2n]);
    // Column selection by any case.
    expect(column(await table.read({ columns: ['ID', 'part'] }), 'id').sort()).toEqual([1n, 2n]);
  });

  it('struct fields in another case are matched too', async () => {
    const { table } = await freshTable(new arrow.Schema([new arrow.Field('s', new arrow.Struct([new arrow.Field('a', new arrow.Int32(), true)]), true)]));
    const input = new arrow.Table({ s: arrow.makeVector(buildData(new arrow.Struct([new arrow.Field('A', new arrow.Int32(), true)]), [[5], null, [7]])) });
    await table.append(input);
    expect(column(await table.read(), 's')).toEqual([[5], null, [7]]);
  });
});

describe('float16 input (#8.4)', () => {
  it('is stored as the float values its bits stand for', async () => {
    const halfs = [1, -2.5, 65504, 2 ** -24, -0, Number.POSITIVE_INFINITY, Number.NaN];
    const input = new arrow.Table({ h: arrow.makeVector(arrow.makeData({ type: new arrow.Float16(), length: halfs.length, data: Uint16Array.from(halfs, numberToHalf) })) });
    expect(numberToHalf(1)).toBe(15360);
    const { table, root } = await freshTable(input.schema);
    await table.append(input);
    const back = await table.read();
    expect(String(back.schema.fields[0]?.type)).toBe('Float32');
    expect(column(back, 'h')).toEqual(halfs);
    expect(bag(await duckColumn(root, 'h'))).toEqual(bag(halfs));
  });
});
