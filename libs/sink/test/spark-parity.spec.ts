import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Field, Float32, Float64, Int32, Int64, Map_, Struct, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, commitPath, encodeCommit, loadSnapshot, writeCheckpoint } from '../src/index.js';
import { parsePartitionValue } from '../src/data/partitions.js';
import { tempDir } from './support/tables.js';

/** #8.13: what Spark writes and expects, checked with DuckDB over our files. */
const { dir, cleanup } = tempDir('sink-spark-parity-');
afterAll(cleanup);
let n = 0;

type Row = Record<string, unknown>;
async function duck(): Promise<{ q: (sql: string) => Promise<Row[]>; close: () => void }> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  return { q: async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson() as Row[], close: () => db.closeSync() };
}

/** A map type whose entries field has arrow-js's usual name, `entries`. */
const mapOf = (value: Int32 | Utf8): Map_ =>
  new Map_(new Field('entries', new Struct([new Field('key', new Utf8(), false), new Field('value', value, true)]), false));
const inner = new Struct([new Field('tags', mapOf(new Utf8()), true)]);
const maps = (): Table =>
  new Table({
    id: vectorFromArray([1n, 2n, 3n], new Int64()),
    m: vectorFromArray([new Map([['a', 1]]), null, new Map([['b', 2], ['c', null]])], mapOf(new Int32()) as never),
    s: vectorFromArray([{ tags: new Map([['k', 'v']]) }, { tags: null }, null], inner as never),
  });

describe('Parquet map groups are named key_value (#8.13a)', () => {
  it('in data files (inline and threaded encoders) and checkpoints; DuckDB reads the maps; files with `entries` still read', async () => {
    const root = join(dir, `t${n++}`);
    const store = new LocalFileStore(root);
    const table = await DeltaTable.create(store, { schema: maps().schema });
    await table.append(maps(), { encoderThreads: 0 });
    await table.append(maps(), { encoderThreads: 2 });
    await writeCheckpoint(store, await loadSnapshot(store));
    const files = [...(await loadSnapshot(store)).files.keys()].map((f) => join(root, f));
    expect(files).toHaveLength(2);
    const { q, close } = await duck();
    for (const file of [...files, join(root, '_delta_log/00000000000000000002.checkpoint.parquet')]) {
      const groups = await q(`SELECT name FROM parquet_schema('${file}') WHERE converted_type IS NULL AND repetition_type = 'REPEATED'`);
      expect(groups.length, file).toBeGreaterThan(0);
      expect(new Set(groups.map((g) => g['name'])), file).toEqual(new Set(['key_value', ...(file.includes('checkpoint') ? ['list'] : [])]));
    }
    const rows = await q(`SELECT id, to_json(m)::VARCHAR AS m, to_json(s)::VARCHAR AS s FROM read_parquet(['${files.join("','")}']) ORDER BY id LIMIT 3`);
    expect(rows).toEqual([
      { id: '1', m: '{"a":1}', s: '{"tags":{"k":"v"}}' },
      { id: '1', m: '{"a":1}', s: '{"tags":{"k":"v"}}' },
      { id: '2', m: null, s: '{"tags":null}' },
    ]);
    close();
    // Our reader: both files, and from the checkpoint.
    const back = await (await DeltaTable.open(store)).read();
    expect(back.numRows).toBe(6);
    expect(back.getChild('m')?.get(0)?.toJSON()).toEqual({ a: 1 });

    // A file another writer (or this lib before) wrote with `entries` reads the same.
    const old = writeParquet(WasmTable.fromIPCStream(tableToIPC(maps(), 'stream')));
    await store.write('old-entries.parquet', old);
    await store.putIfAbsent(commitPath(3), encodeCommit([{ add: { path: 'old-entries.parquet', partitionValues: {}, size: old.byteLength, modificationTime: 1, dataChange: true } }]));
    const all = await (await DeltaTable.open(store)).read();
    expect(all.numRows).toBe(9);
    const ms = Array.from({ length: all.numRows }, (_, i) => JSON.stringify(all.getChild('m')?.get(i)?.toJSON() ?? null));
    expect(ms.filter((m) => m === '{"b":2,"c":null}')).toHaveLength(3);
  });
});

describe('double and float partition values as Java prints them (#8.13b)', () => {
  it('writes Double/Float.toString into partitionValues, reads them (and the JavaScript forms) back exactly', async () => {
    const root = join(dir, `t${n++}`);
    const store = new LocalFileStore(root);
    const doubles = [1, -0, 1e21, NaN, Infinity, 0.1, 1e-4, null];
    const floats = [0.1, 1, 1e10, -0, NaN, -Infinity, 0.7, null];
    const rows = new Table({
      id: vectorFromArray(doubles.map((_, i) => BigInt(i)), new Int64()),
      d: vectorFromArray(doubles, new Float64()),
      f: vectorFromArray(floats, new Float32()),
    });
    const table = await DeltaTable.create(store, { schema: rows.schema, partitionColumns: ['d', 'f'] });
    await table.append(rows);
    const values = [...(await loadSnapshot(store)).files.values()].map((a) => a.partitionValues).sort((a, b) => String(a['d']).localeCompare(String(b['d'])));
    // Rows pair doubles[i] with floats[i].
    expect(values.map((v) => [v['d'], v['f']])).toEqual([
      ['-0.0', '1.0'], ['0.1', '-Infinity'], ['1.0', '0.1'], ['1.0E-4', '0.7'], ['1.0E21', '1.0E10'], ['Infinity', 'NaN'], ['NaN', '-0.0'], [null, null],
    ]);
    // Both the Java text and the JavaScript text older versions wrote parse to the same values.
    for (const [java, js, value] of [['1.0E21', '1e+21', 1e21], ['-0.0', '-0', -0], ['1.0E-4', '0.0001', 1e-4], ['Infinity', 'Infinity', Infinity]] as const) {
      expect(Object.is(parsePartitionValue(java, 'double', 'd'), value)).toBe(true);
      expect(Object.is(parsePartitionValue(js, 'double', 'd'), value)).toBe(true);
    }
    expect(Math.fround(parsePartitionValue('0.10000000149011612', 'float', 'f') as number)).toBe(Math.fround(0.1));
    const back = await table.read();
    const byId = new Map(Array.from({ length: back.numRows }, (_, i) => [Number(back.getChild('id')?.get(i)), i]));
    for (const [id, d] of doubles.entries()) {
      const i = byId.get(id) ?? -1;
      expect(Object.is(back.getChild('d')?.get(i), d), `d of row ${id}`).toBe(true);
      expect(Object.is(back.getChild('f')?.get(i), floats[id] === null ? null : Math.fround(floats[id] ?? 0)), `f of row ${id}`).toBe(true);
    }
  });
});
