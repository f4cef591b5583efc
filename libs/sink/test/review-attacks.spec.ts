import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, SinkError, checkpoint, optimize, runDelta } from '../src/index.js';
import { buildData, cellsOf, type Cell } from './support/arbitrary-tables.js';
import { tempDir } from './support/tables.js';

/**
 * Issue 8 review: inputs the fixes' own tests do not use, judged by our
 * reader and by DuckDB over the same files.
 */
const { dir, cleanup } = tempDir('sink-review-');
let db: DuckDBConnection;
beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  db.closeSync();
  cleanup();
});
let n = 0;
const root = (): string => join(dir, `t${n++}`);
const col = (type: arrow.DataType, cells: Cell[]): arrow.Vector => arrow.makeVector(buildData(type, cells));
const cells = (t: arrow.Table, name: string): Cell[] => cellsOf(t.getChild(name) as arrow.Vector);

async function refusal(p: Promise<unknown>): Promise<SinkError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SinkError);
  return error as SinkError;
}

describe('column names that differ only in case (#8.3)', () => {
  const int32 = (v: number): arrow.Vector => arrow.vectorFromArray([v], new arrow.Int32());
  it('mergeSchema matches new and existing columns in any case (no second column); two spellings of one column are refused everywhere', async () => {
    const at = root();
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: new arrow.Schema([new arrow.Field('id', new arrow.Int32()), new arrow.Field('Speed', new arrow.Float64(), true)]) });
    await table.append(new arrow.Table({ ID: int32(1), SPEED: arrow.vectorFromArray([2.5], new arrow.Float64()), Extra: arrow.vectorFromArray(['e'], new arrow.Utf8()) }), { mergeSchema: true });
    await table.append(new arrow.Table({ id: int32(2), extra: arrow.vectorFromArray(['f'], new arrow.Utf8()) }), { mergeSchema: true });
    const back = await table.read();
    expect(back.schema.fields.map((f) => f.name)).toEqual(['id', 'Speed', 'Extra']);
    expect(back.toArray().map((r) => JSON.parse(JSON.stringify(r)) as unknown)).toEqual(expect.arrayContaining([{ id: 1, Speed: 2.5, Extra: 'e' }, { id: 2, Speed: null, Extra: 'f' }]));

    // `id` and `ID` in one input (existing column or new ones): refused, not one of them dropped.
    expect((await refusal(table.append(new arrow.Table({ id: int32(3), ID: int32(4) })))).code).toBe('INVALID_SCHEMA');
    expect((await refusal(table.append(new arrow.Table({ id: int32(3), x: int32(1), X: int32(2) }), { mergeSchema: true }))).code).toBe('INVALID_SCHEMA');
    expect((await table.read()).numRows).toBe(2);
    const dup = new arrow.Schema([new arrow.Field('a', new arrow.Int32()), new arrow.Field('A', new arrow.Int32())]);
    expect((await refusal(DeltaTable.create(new LocalFileStore(root()), { schema: dup }))).code).toBe('INVALID_SCHEMA');
  });
});

describe('decimal and binary partition values', () => {
  it('decimal edge values (0.00, -0.50, precision 38) partition and read back exactly', async () => {
    const at = root();
    const type = new arrow.Decimal(2, 38, 128);
    const max = 10n ** 38n - 1n;
    const values: Cell[] = [0n, -50n, 50n, -1n, max, -max, null];
    const input = new arrow.Table({ x: col(new arrow.Int32(), values.map((_, i) => i)), d: col(type, values) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: input.schema, partitionColumns: ['d'] });
    await table.append(input);
    const logged = [...table.state.files.values()].map((f) => f.partitionValues['d'] ?? null);
    expect(new Set(logged)).toEqual(new Set(['0.00', '-0.50', '0.50', '-0.01', '999999999999999999999999999999999999.99', '-999999999999999999999999999999999999.99', null]));
    const back = await table.read();
    const xs = cells(back, 'x');
    const ds = cells(back, 'd');
    expect(xs.map((x, i) => [x, ds[i]]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(values.map((v, i) => [i, v]));
    const duck = (await db.runAndReadAll(`SELECT count(*) FROM read_parquet('${at}/**/*.parquet', hive_partitioning=false)`)).getRows();
    expect(Number(duck[0]?.[0])).toBe(values.length);
  });

  it('decimals with a negative scale or a scale above the precision are refused at create, before a log is written', async () => {
    for (const type of [new arrow.Decimal(-2, 5, 128), new arrow.Decimal(6, 5, 128)]) {
      const at = root();
      const error = await refusal(DeltaTable.create(new LocalFileStore(at), { schema: new arrow.Schema([new arrow.Field('d', type, true)]) }));
      expect(error.code, String(type)).toBe('UNSUPPORTED_TYPE');
      expect(existsSync(join(at, '_delta_log', '00000000000000000000.json'))).toBe(false);
    }
  });

  it('binary partition values with NUL, "/", "%", 0xFF and empty bytes round-trip and stay inside the table', async () => {
    const at = root();
    const values: Cell[] = [Uint8Array.of(0), Uint8Array.of(0x2f), Uint8Array.of(0x25), Uint8Array.of(0xff), Uint8Array.of(0x2e, 0x2e), Uint8Array.of(0x2f, 0x2e, 0x2e, 0x2f, 0x25, 0x32, 0x46), new Uint8Array(0)];
    const input = new arrow.Table({ x: col(new arrow.Int32(), values.map((_, i) => i)), b: col(new arrow.Binary(), values) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: input.schema, partitionColumns: ['b'] });
    await table.append(input);
    const paths = [...table.state.files.keys()];
    expect(new Set(paths.map((p) => p.split('/')[0])).size).toBe(values.length);
    expect(paths.every((p) => p.split('/').length === 2)).toBe(true);
    const back = await table.read();
    const xs = cells(back, 'x');
    const bs = cells(back, 'b');
    const expected = values.map((v, i) => [i, v instanceof Uint8Array && v.length === 0 ? null : v]);
    expect(xs.map((x, i) => [x, bs[i]]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(expected);
  });
});

describe('version selectors from untyped callers', () => {
  it("version '1' (a string), -0, null, and timestamps at the ends of Date's range", async () => {
    const at = root();
    const t = new arrow.Table({ x: arrow.vectorFromArray([1], new arrow.Int32()) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: t.schema });
    await table.append(t);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JavaScript caller passes what it likes
    const untyped = (v: unknown): any => v;
    const e = await refusal(table.read({ version: untyped('1') }));
    expect(e.code).toBe('INVALID_OPTIONS');
    expect(e.context.option).toBe('version');
    expect((await refusal(DeltaTable.open(new LocalFileStore(at), { version: untyped('1') }))).code).toBe('INVALID_OPTIONS');
    expect((await table.read({ version: -0 })).numRows).toBe(0);
    expect((await refusal(table.read({ version: untyped(null) }))).code).toBe('INVALID_OPTIONS');
    expect((await table.read({ timestamp: new Date(8.64e15) })).numRows).toBe(1);
    expect((await refusal(table.read({ timestamp: new Date(-8.64e15) }))).code).toBe('VERSION_NOT_FOUND');
    expect((await refusal(table.read({ timestamp: -1 }))).code).toBe('VERSION_NOT_FOUND');
  });
});

describe('hand-written commits with unknown actions and fields', () => {
  it('a stale handle commits over them, checkpoints them, and DuckDB and we read the same rows', async () => {
    const at = root();
    const store = new LocalFileStore(at);
    const t = (x: number): arrow.Table => new arrow.Table({ x: arrow.vectorFromArray([BigInt(x)], new arrow.Int64()) });
    const table = await DeltaTable.create(store, { schema: t(0).schema });
    await table.append(t(1));
    const stale = await DeltaTable.open(store);
    const add = JSON.parse(readFileSync(join(at, '_delta_log', '00000000000000000001.json'), 'utf8').split('\n').find((l) => l.startsWith('{"add"')) ?? '{}') as { add: Record<string, unknown> };
    copyFileSync(join(at, String(add.add['path'])), join(at, 'copy.parquet'));
    writeFileSync(
      join(at, '_delta_log', '00000000000000000002.json'),
      [
        { commitInfo: { timestamp: Date.now(), operation: 'FUTURE OP', inCommitTimestamp: Date.now(), weird: { a: [1] } } },
        { checkpointMetadata: { version: 2, tags: {} } },
        { sidecar: { path: 'x.parquet', sizeInBytes: 1, modificationTime: 1 } },
        { domainMetadata: { domain: 'delta.rowTracking', configuration: '{}', removed: false } },
        { add: { ...add.add, path: 'copy.parquet', baseRowId: 7, defaultRowCommitVersion: 2, clusteringProvider: 'liquid', tags: { k: 'v' } } },
        { txn: { appId: 'app', version: 3, lastUpdated: 5, future: true } },
      ].map((a) => JSON.stringify(a)).join('\n') + '\n',
    );
    await stale.append(t(2));
    await checkpoint(stale);
    const reopened = await DeltaTable.open(store);
    expect(reopened.state.version).toBe(3);
    expect(reopened.state.appTransactions.get('app')?.version).toBe(3);
    const ours = (cells(await reopened.read(), 'x') as bigint[]).sort();
    expect(ours).toEqual([1n, 1n, 2n]);
    const files = (await db.runAndReadAll(`SELECT add.path FROM read_parquet('${at}/_delta_log/00000000000000000003.checkpoint.parquet') WHERE add IS NOT NULL`)).getRows().map((r) => `'${join(at, String(r[0]))}'`);
    const duck = (await db.runAndReadAll(`SELECT x FROM read_parquet([${files.join(',')}]) ORDER BY x`)).getRows().map((r) => r[0]);
    expect(duck).toEqual([1n, 1n, 2n]);
  });
});

describe('maps read by DuckDB', () => {
  const entries = (key: arrow.DataType, value: arrow.DataType): arrow.Field =>
    new arrow.Field('entries', new arrow.Struct<{ key: arrow.DataType; value: arrow.DataType }>([new arrow.Field('key', key, false), new arrow.Field('value', value, true)]), false);
  const mapOf = (key: arrow.DataType, value: arrow.DataType): arrow.Map_ => new arrow.Map_(entries(key, value));

  it('map_keys/map_values over int-keyed maps, maps of maps and lists of maps; checkpoint partitionValues and configuration maps', async () => {
    const at = root();
    const inner = mapOf(new arrow.Utf8(), new arrow.Int32());
    const types = {
      p: new arrow.Utf8(),
      byInt: mapOf(new arrow.Int64(), new arrow.Utf8()),
      nested: mapOf(new arrow.Utf8(), inner),
      listed: new arrow.List(new arrow.Field('item', inner, true)),
    };
    const rows: Cell[][] = [
      ['a', [[1n, 'one'], [-(2n ** 63n), null]], [['k', [['x', 1]]], ['e', []]], [[['q', 2]], null, []]],
      ['b/c', null, [['n', null]], null],
      [null, [], [], [[]]],
    ];
    const input = new arrow.Table(Object.fromEntries(Object.entries(types).map(([name, type], j) => [name, col(type, rows.map((r) => r[j] ?? null))])));
    const store = new LocalFileStore(at);
    const table = await DeltaTable.create(store, { schema: input.schema, partitionColumns: ['p'], configuration: { 'delta.checkpointInterval': '2', 'x.y': 'z' } });
    await table.append(input);
    await table.append(input, { encoderThreads: 2 });
    const back = await table.read();
    expect(back.numRows).toBe(6);
    const files = [...table.state.files.keys()].map((f) => `'${join(at, decodeURIComponent(f))}'`).join(',');
    const q = async (sql: string): Promise<unknown[][]> => (await db.runAndReadAll(sql)).getRowsJson() as unknown[][];
    const got = await q(`SELECT map_keys(byInt)::VARCHAR, map_values(byInt)::VARCHAR, to_json(nested)::VARCHAR, to_json(listed)::VARCHAR, map_keys(listed[1])::VARCHAR
      FROM read_parquet([${files}]) ORDER BY 3, 1`);
    expect(got).toEqual([
      ['[1, -9223372036854775808]', '[one, NULL]', '{"k":{"x":1},"e":{}}', '[{"q":2},null,{}]', '[q]'],
      [null, null, '{"n":null}', null, null],
      ['[]', '[]', '{}', '[{}]', '[]'],
    ].flatMap((r) => [r, r]));
    const cp = `${at}/_delta_log/00000000000000000002.checkpoint.parquet`;
    const parts = await q(`SELECT map_keys(add.partitionValues)::VARCHAR, add.partitionValues['p']::VARCHAR FROM read_parquet('${cp}') WHERE add IS NOT NULL ORDER BY 2 NULLS FIRST`);
    expect(parts).toEqual([['[p]', null], ['[p]', null], ['[p]', 'a'], ['[p]', 'a'], ['[p]', 'b/c'], ['[p]', 'b/c']]);
    const conf = await q(`SELECT metaData.configuration['x.y']::VARCHAR FROM read_parquet('${cp}') WHERE metaData IS NOT NULL`);
    expect(conf).toEqual([['z']]);
  });
});

describe('names in another case, beyond append', () => {
  it('a struct child in another case lands in the table\'s child; mergeSchema adds a new child once', async () => {
    const at = root();
    const s1 = new arrow.Struct([new arrow.Field('a', new arrow.Int32(), true)]);
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: new arrow.Schema([new arrow.Field('s', s1, true)]) });
    const s2 = new arrow.Struct([new arrow.Field('A', new arrow.Int32(), true), new arrow.Field('B', new arrow.Utf8(), true)]);
    await table.append(new arrow.Table({ S: col(s2, [[5, 'x']]) }), { mergeSchema: true });
    const s3 = new arrow.Struct([new arrow.Field('b', new arrow.Utf8(), true), new arrow.Field('a', new arrow.Int32(), true)]);
    await table.append(new arrow.Table({ s: col(s3, [['y', 6]]) }), { mergeSchema: true });
    const back = await table.read();
    expect(back.schema.fields[0]?.type.children.map((f: arrow.Field) => f.name)).toEqual(['a', 'B']);
    expect(cells(back, 's')).toEqual(expect.arrayContaining([[5, 'x'], [6, 'y']]));
    const dup = new arrow.Struct([new arrow.Field('a', new arrow.Int32(), true), new arrow.Field('A', new arrow.Int32(), true)]);
    expect((await refusal(table.append(new arrow.Table({ s: col(dup, [[1, 2]]) })))).code).toBe('INVALID_SCHEMA');
  });

  it('overwrite and optimize take `where` partition columns in any case', async () => {
    const at = root();
    const rows = (p: string, x: number): arrow.Table => new arrow.Table({ x: arrow.vectorFromArray([x], new arrow.Int32()), Day: arrow.vectorFromArray([p], new arrow.Utf8()) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: rows('a', 0).schema, partitionColumns: ['day'] });
    await table.append(rows('a', 1));
    await table.append(rows('a', 2));
    await table.append(rows('b', 3));
    await optimize(table, { where: { DAY: 'a' } });
    expect([...table.state.files.values()].filter((f) => f.partitionValues['Day'] === 'a')).toHaveLength(1);
    await table.overwrite(rows('a', 4), { where: { day: 'a' } });
    const back = await table.read();
    expect(cells(back, 'x').sort()).toEqual([3, 4]);
    await refusal(table.overwrite(rows('a', 5), { where: { day: 'a', DAY: 'b' } }));
  });
});

describe('delta cat past 2262 and before 1677', () => {
  it('timestamps in lists, as map keys and values, and as partition values print exactly', async () => {
    const at = root();
    const MAX = 253402300799999999n;
    const MIN = -62135596800000000n + 1n;
    const EARLY = -9_300_000_000_000_000n; // 1675-04-18T02:40Z, before int64 nanoseconds reach
    const tz = new arrow.TimestampMicrosecond('UTC');
    const ntz = new arrow.TimestampMicrosecond();
    const map = new arrow.Map_(new arrow.Field('entries', new arrow.Struct<{ key: arrow.TimestampMicrosecond; value: arrow.DateDay }>([new arrow.Field('key', tz, false), new arrow.Field('value', new arrow.DateDay(), true)]), false));
    const input = new arrow.Table({
      id: col(new arrow.Int32(), [1, 2]),
      p: col(ntz, [MAX, EARLY]),
      l: col(new arrow.List(new arrow.Field('element', ntz, true)), [[MIN, MAX], [EARLY, null]]),
      m: col(map, [[[MAX, 2932896]], [[EARLY, -719162]]]),
    });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: input.schema, partitionColumns: ['p'] });
    await table.append(input);
    expect(new Set([...table.state.files.values()].map((f) => f.partitionValues['p']))).toEqual(new Set(['9999-12-31 23:59:59.999999', '1675-04-18 02:40:00']));
    const out: string[] = [];
    const err: string[] = [];
    const sink = (to: string[]): NodeJS.WritableStream => new Writable({ write: (c: Buffer, _e, done) => { to.push(c.toString()); done(); } });
    const code = await runDelta(['cat', at], { stdout: sink(out), stderr: sink(err), cwd: process.cwd() });
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const lines = out.join('').trim().split('\n').sort();
    expect(lines).toEqual([
      '{"id":1,"p":"9999-12-31T23:59:59.999999","l":["0001-01-01T00:00:00.000001","9999-12-31T23:59:59.999999"],"m":{"9999-12-31T23:59:59.999999Z":"9999-12-31"}}',
      '{"id":2,"p":"1675-04-18T02:40:00.000","l":["1675-04-18T02:40:00.000",null],"m":{"1675-04-18T02:40:00.000Z":"0001-01-01"}}',
    ]);
  });
});

describe('appending to Spark-written tables (DAT)', () => {
  it('each DAT table, copied, takes its own rows appended back (columns upper-cased) and reads them twice', async () => {
    const DAT = '/work/shared/delta-conformance/dat';
    for (const name of readdirSync(DAT)) {
      const at = root();
      cpSync(join(DAT, name, 'delta'), at, { recursive: true });
      const table = await DeltaTable.open(new LocalFileStore(at));
      const before = await table.read();
      const upper = new arrow.Table(Object.fromEntries(before.schema.fields.map((f) => [f.name.toUpperCase(), before.getChild(f.name) as arrow.Vector])));
      await table.append(upper);
      const after = await (await DeltaTable.open(new LocalFileStore(at))).read();
      const key = (t: arrow.Table): string[] => t.toArray().map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).sort();
      expect(after.schema.fields.map((f) => f.name), name).toEqual(before.schema.fields.map((f) => f.name));
      expect(key(after), name).toEqual([...key(before), ...key(before)].sort());
    }
  });
});

describe('file skipping with dotted column names', () => {
  it('a top-level column named "a.b" next to a struct a{b}: filters on either never drop a row', async () => {
    const at = root();
    const s = new arrow.Struct([new arrow.Field('b', new arrow.Int32(), true)]);
    const input = new arrow.Table({ 'a.b': col(new arrow.Int32(), [100, 200]), a: col(s, [[1], [2]]) });
    const table = await DeltaTable.create(new LocalFileStore(at), { schema: input.schema });
    await table.append(input);
    for (const value of [1, 100, 200]) {
      for (const op of ['=', '>=', '<='] as const) {
        const back = await table.read({ filter: { column: 'a.b', op, value } });
        const top = cells(back, 'a.b') as number[];
        const nested = (cells(back, 'a') as number[][]).map((r) => r[0] as number);
        const holds = (x: number): boolean => (op === '=' ? x === value : op === '>=' ? x >= value : x <= value);
        const want = [100, 200].filter(holds).length + [1, 2].filter(holds).length;
        expect(top.filter(holds).length + nested.filter(holds).length, `a.b ${op} ${value}`).toBe(want);
      }
    }
  });
});
