import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, SinkError, loadSnapshot } from '../src/index.js';
import { buildData, cellsOf, type Cell } from './support/arbitrary-tables.js';
import { tempDir } from './support/tables.js';

/** Issue 8 items 7 and 8: what a table may be partitioned by, and partition values of every type that round-trip. */
const { dir, cleanup } = tempDir('sink-partitions-');
afterAll(cleanup);
let n = 0;
const root = (): string => join(dir, `t${n++}`);
const col = (type: arrow.DataType, cells: Cell[]): arrow.Vector => arrow.makeVector(buildData(type, cells));

async function refusal(p: Promise<unknown>): Promise<SinkError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SinkError);
  return error as SinkError;
}

describe('partition columns refused at create (#8.7, #8.8)', () => {
  it('a table whose only column is its partition column is refused, naming the table', async () => {
    const at = root();
    const error = await refusal(DeltaTable.create(new LocalFileStore(at), { schema: new arrow.Schema([new arrow.Field('p', new arrow.Utf8(), true)]), partitionColumns: ['p'] }));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.context.table).toBe(new LocalFileStore(at).location);
    expect(error.context.option).toBe('partitionColumns');
    expect(error.message).toMatch(/all columns/);
  });

  it('a write to such a table made by another writer is refused instead of writing column-less files', async () => {
    const at = root();
    mkdirSync(join(at, '_delta_log'), { recursive: true });
    const schemaString = JSON.stringify({ type: 'struct', fields: [{ name: 'p', type: 'string', nullable: true, metadata: {} }] });
    const v0 = [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, { metaData: { id: 'x', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: ['p'], configuration: {} } }];
    writeFileSync(join(at, '_delta_log', '00000000000000000000.json'), v0.map((a) => JSON.stringify(a)).join('\n') + '\n');
    const table = await DeltaTable.open(new LocalFileStore(at));
    const error = await refusal(table.append(new arrow.Table({ p: arrow.vectorFromArray(['a'], new arrow.Utf8()) })));
    expect(error.code).toBe('INVALID_SCHEMA');
    expect(error.context.table).toBe(new LocalFileStore(at).location);
    expect((await loadSnapshot(new LocalFileStore(at))).files.size).toBe(0);
  });

  it('struct, list and map partition columns are refused at create', async () => {
    for (const type of [new arrow.Struct([new arrow.Field('a', new arrow.Int32())]), new arrow.List(new arrow.Field('element', new arrow.Int32())), new arrow.Map_(new arrow.Field('entries', new arrow.Struct<{ key: arrow.Utf8; value: arrow.Int32 }>([new arrow.Field('key', new arrow.Utf8(), false), new arrow.Field('value', new arrow.Int32())])))]) {
      const schema = new arrow.Schema([new arrow.Field('x', new arrow.Int32()), new arrow.Field('S', type)]);
      const error = await refusal(DeltaTable.create(new LocalFileStore(root()), { schema, partitionColumns: ['s'] }));
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.context.column).toBe('S');
      expect(error.message).toMatch(/primitive/);
    }
  });

  it('partition columns named in another case are logged as the schema spells them', async () => {
    const at = root();
    const schema = new arrow.Schema([new arrow.Field('x', new arrow.Int32()), new arrow.Field('Day', new arrow.Utf8())]);
    const table = await DeltaTable.create(new LocalFileStore(at), { schema, partitionColumns: ['day'] });
    expect(table.state.partitionColumns).toEqual(['Day']);
  });
});

describe('decimal and binary partition values round-trip (#8.8)', () => {
  it('decimal partition values are plain decimal text with the scale, and read back exactly', async () => {
    const at = root();
    const type = new arrow.Decimal(2, 10, 128);
    const input = new arrow.Table({ x: col(new arrow.Int32(), [1, 2, 3, 4]), d: col(type, [1230n, -5n, null, 9_999_999_999n]) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: input.schema, partitionColumns: ['d'] });
    await table.append(input);
    const logged = [...table.state.files.values()].map((f) => f.partitionValues['d'] ?? null).sort();
    expect(logged).toEqual(['-0.05', '12.30', '99999999.99', null].sort());
    const back = await table.read();
    const rows = cellsOf(back.getChild('x') as arrow.Vector).map((x, i) => [x, cellsOf(back.getChild('d') as arrow.Vector)[i]]);
    expect(rows.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([[1, 1230n], [2, -5n], [3, null], [4, 9_999_999_999n]]);
  });

  it('binary partition values are escaped bytes (PROTOCOL.md) and read back as the same bytes', async () => {
    const at = root();
    const values: Cell[] = [Uint8Array.of(1, 2, 3), Uint8Array.of(0xff, 0x00, 0x80), Uint8Array.of(0xc3, 0xa9), null];
    const input = new arrow.Table({ x: col(new arrow.Int32(), [0, 1, 2, 3]), b: col(new arrow.Binary(), values) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: input.schema, partitionColumns: ['b'] });
    await table.append(input);
    const log = readFileSync(join(at, '_delta_log', '00000000000000000001.json'), 'utf8');
    expect(log).toContain('"partitionValues":{"b":"\\u0001\\u0002\\u0003"}');
    const logged = [...table.state.files.values()].map((f) => f.partitionValues['b'] ?? null);
    expect(logged).toContain('\u00ff\u0000\u0080');
    expect(logged).toContain('\u00c3\u00a9');
    const back = await table.read();
    const xs = cellsOf(back.getChild('x') as arrow.Vector);
    const bs = cellsOf(back.getChild('b') as arrow.Vector);
    expect(xs.map((x, i) => [x, bs[i]]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(values.map((v, i) => [i, v]));
  });
});
