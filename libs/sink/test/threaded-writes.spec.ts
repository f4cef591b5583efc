import { readdirSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, StorageError } from '../src/index.js';
import { telemetryRows, telemetrySchema, tempDir } from './support/tables.js';

/**
 * Writes whose files are encoded on threads and stored while others encode:
 * storage failures come back as the write's error (never an unhandled
 * rejection), nothing they stored stays behind, and the number of store
 * writes in flight is bounded.
 */
const { dir, cleanup } = tempDir('sink-threaded-');
afterAll(cleanup);

/** A LocalFileStore that can fail or count `write` calls. */
class TestStore extends LocalFileStore {
  inFlight = 0;
  maxInFlight = 0;
  constructor(root: string, private readonly failOn?: { readonly path: RegExp; readonly sync?: boolean }) {
    super(root);
  }
  override write(path: string, bytes: Uint8Array): Promise<void> {
    if (this.failOn?.path.test(path)) {
      const error = new StorageError('STORAGE_ERROR', 'disk full (test)', { table: this.location, file: path });
      if (this.failOn.sync) throw error;
      return new Promise((_, reject) => setTimeout(() => reject(error), 5));
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return super.write(path, bytes).finally(() => this.inFlight--);
  }
}

function dataFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.parquet') && !p.includes('_delta_log'));
}

/** 40 sessions, so 40 files encoded on threads. */
const rows = telemetryRows(0, 8_000, Array.from({ length: 40 }, (_, i) => `s${i}`));

describe('threaded writes and storage', () => {
  for (const sync of [false, true]) {
    it(`a store write that fails ${sync ? 'synchronously' : 'asynchronously'} fails the append and leaves no data file`, async () => {
      const root = `${dir}/fail-${sync}`;
      await DeltaTable.create(new LocalFileStore(root), { schema: telemetrySchema, partitionColumns: ['session'] });
      const table = await DeltaTable.open(new TestStore(root, { path: /session=s17\//, sync }));
      await expect(table.append(rows, { encoderThreads: 2 })).rejects.toMatchObject({ code: 'STORAGE_ERROR', context: { file: expect.stringMatching(/session=s17\//) } });
      expect(dataFiles(root)).toEqual([]);
      expect((await DeltaTable.open(new LocalFileStore(root))).version).toBe(0);
    });
  }

  it('keeps at most 16 store writes in flight', async () => {
    const root = `${dir}/bounded`;
    const store = new TestStore(root);
    const table = await DeltaTable.create(store, { schema: telemetrySchema, partitionColumns: ['session'] });
    const result = await table.append(rows, { encoderThreads: 2 });
    expect(result).toMatchObject({ skipped: false, filesAdded: 40, rows: 8_000 });
    expect(store.maxInFlight).toBeGreaterThan(1);
    expect(store.maxInFlight).toBeLessThanOrEqual(16);
  });

  it('writes an all-null column that has no values buffer, on threads as on the calling thread', async () => {
    const n = 3_000;
    const empty = arrow.makeData({ type: new arrow.Int32(), length: n, nullCount: n, nullBitmap: new Uint8Array(Math.ceil(n / 8)) });
    const schema = new arrow.Schema([new arrow.Field('car', new arrow.Int64(), true), new arrow.Field('lap', new arrow.Int32(), true)]);
    const data = new arrow.Table(schema, new arrow.RecordBatch(schema, arrow.makeData({
      type: new arrow.Struct(schema.fields), length: n, nullCount: 0,
      children: [arrow.vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i % 7)), new arrow.Int64()).data[0] as arrow.Data, empty],
    })));
    for (const threads of [0, 2]) {
      const table = await DeltaTable.create(new LocalFileStore(`${dir}/nulls-${threads}`), { schema, partitionColumns: ['car'] });
      await table.append(data, { encoderThreads: threads });
      const back = await table.read();
      expect(back.numRows).toBe(n);
      expect(back.getChild('lap')?.nullCount).toBe(n);
    }
  });
});
