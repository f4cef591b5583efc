import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, Int64, Schema, Table, Uint64, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, isSinkError, loadSnapshot } from '../src/index.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/** #8.11 / #8.12: every failure names what a person needs (table, version, file); bad versions fail typed at the edge. */
const { dir, cleanup } = tempDir('sink-errors-');
afterAll(cleanup);
let n = 0;
const fresh = (): LocalFileStore => new LocalFileStore(join(dir, `t${n++}`));

async function failure(p: Promise<unknown>): Promise<{ code: string; context: Record<string, unknown>; message: string; name: string }> {
  try {
    await p;
  } catch (error) {
    if (!isSinkError(error)) throw error;
    return { code: error.code, context: { ...error.context }, message: error.message, name: error.name };
  }
  throw new Error('expected a failure');
}

describe('error context (#8.11)', () => {
  it('a table path that is a file says so, instead of "no Delta log"', async () => {
    const file = join(dir, 'not-a-table.parquet');
    writeFileSync(file, 'PAR1');
    const e = await failure(DeltaTable.open(new LocalFileStore(file)));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/table root is a file, not a directory/);
    expect(e.context['table']).toBe(file);
    const created = await failure(DeltaTable.create(new LocalFileStore(file), { schema: telemetrySchema }));
    expect(created.code).toBe('NOT_FOUND');
    expect(created.message).toMatch(/table root is a file/);
  });

  it('schema and data-mismatch errors name the table and version', async () => {
    const store = fresh();
    const unsupported = await failure(DeltaTable.create(store, { schema: new Schema([new Field('u', new Uint64(), true)]) }));
    expect(unsupported.code).toBe('UNSUPPORTED_TYPE');
    expect(unsupported.context).toMatchObject({ table: store.location, column: 'u' });

    const strict = new Schema([new Field('car', new Int64(), false)]);
    const table = await DeltaTable.create(store, { schema: strict });
    const nulls = new Table({ car: vectorFromArray([1n, null], new Int64()) });
    const mismatch = await failure(table.append(nulls));
    expect(mismatch.code).toBe('SCHEMA_MISMATCH');
    expect(mismatch.name).toBe('SchemaMismatchError');
    expect(mismatch.context).toMatchObject({ table: store.location, version: 0, column: 'car' });
    const badType = await failure(table.append(new Table({ car: vectorFromArray([1n], new Uint64()) })));
    expect(badType.code).toBe('UNSUPPORTED_TYPE');
    expect(badType.context).toMatchObject({ table: store.location, version: 0 });
  });

  it('a missing data file read through the API names table, version and file', async () => {
    const store = fresh();
    const table = await DeltaTable.create(store, { schema: telemetrySchema });
    await table.append(telemetryRows(0, 5));
    const [add] = [...(await loadSnapshot(store)).files.values()];
    rmSync(join(store.location, add?.path ?? ''));
    const e = await failure(table.read());
    expect(e.code).toBe('NOT_FOUND');
    expect(e.context).toMatchObject({ table: store.location, version: 1 });
    expect(String(e.context['file'])).toContain('part-');
    const old = await failure(table.read({ version: 1 }));
    expect(old.context).toMatchObject({ table: store.location, version: 1 });
  });
});

describe('versions are validated at the API edge (#8.12)', () => {
  it('fractional, NaN, infinite and unsafe versions are INVALID_OPTIONS; negative or future ones VERSION_NOT_FOUND', async () => {
    const store = fresh();
    const table = await DeltaTable.create(store, { schema: telemetrySchema });
    await table.append(telemetryRows(0, 5));
    await table.append(telemetryRows(5, 5));
    for (const version of [1.5, Number.NaN, Infinity, 2 ** 60]) {
      for (const call of [() => DeltaTable.open(store, { version }), () => table.read({ version }), () => table.snapshot({ version })]) {
        const e = await failure(call());
        expect(e.code, `version ${version}`).toBe('INVALID_OPTIONS');
        expect(e.context).toMatchObject({ table: store.location, option: 'version' });
      }
    }
    for (const version of [-1, 3]) expect((await failure(table.read({ version }))).code).toBe('VERSION_NOT_FOUND');
    expect((await failure(loadSnapshot(store, { version: 1.5 }))).code).toBe('VERSION_NOT_FOUND');
    for (const timestamp of [new Date(Number.NaN), Number.NaN, Infinity]) {
      const e = await failure(table.read({ timestamp }));
      expect(e.code).toBe('INVALID_OPTIONS');
      expect(e.context).toMatchObject({ option: 'timestamp' });
    }
    expect((await failure(table.read({ version: 1, timestamp: Date.now() }))).code).toBe('INVALID_OPTIONS');
    expect((await table.read({ version: 1 })).numRows).toBe(5);
  });
});
