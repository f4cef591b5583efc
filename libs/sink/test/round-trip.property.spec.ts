import { join } from 'node:path';
import {
  DuckDBArrayValue, DuckDBBlobValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBInstance, DuckDBListValue, DuckDBMapValue,
  DuckDBStructValue, DuckDBTimestampTZValue, DuckDBTimestampValue, type DuckDBConnection, type DuckDBValue,
} from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLogPath } from '../src/data/partitions.js';
import { DeltaTable, LocalFileStore } from '../src/index.js';
import { arbitraryTable, renameColumns, rowsOf, sortedRowKeys, type Cell } from './support/arbitrary-tables.js';
import { tempDir } from './support/tables.js';

/**
 * Issue 8, closing property: any Arrow table the sink accepts (every type,
 * nested at any depth, edge values, several batches, slices, child fields
 * of any name), appended as it is and again with its column names in
 * another case, reads back as the same rows, and DuckDB reads the same
 * values from the same Parquet files.
 */
const { dir, cleanup } = tempDir('sink-roundtrip-');
let db: DuckDBConnection;
beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(cleanup);

/** A DuckDB value in the canonical form of arbitrary-tables' cells. */
function duckCell(v: DuckDBValue): Cell {
  if (v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof DuckDBBlobValue) return v.bytes;
  if (v instanceof DuckDBDateValue) return v.days;
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return v.micros;
  if (v instanceof DuckDBDecimalValue) return v.value;
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(duckCell);
  if (v instanceof DuckDBMapValue) return v.entries.map((e) => [duckCell(e.key), duckCell(e.value)]);
  if (v instanceof DuckDBStructValue) return Object.values(v.entries).map(duckCell);
  throw new TypeError(`no canonical form for DuckDB value ${String(v)}`);
}

/** A partition value that is "" or empty bytes is the null partition (PROTOCOL.md): it reads back as null. */
const asPartitionValue = (c: Cell): Cell => (c === '' || (c instanceof Uint8Array && c.length === 0) ? null : c);

let runs = 0;

describe('round trip property (#8)', () => {
  it('appended tables read back equal, and DuckDB reads the same values from the files', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryTable({ maxColumns: 4, maxRows: 6, maxBatches: 3, depth: 2 }), fc.boolean(), fc.infiniteStream(fc.boolean()), async (t, partitioned, flips) => {
        const root = join(dir, `t${runs++}`);
        const names = t.columns.map((c) => c.name);
        const partitionIndex = partitioned && t.columns.length > 1 ? t.columns.findIndex((c) => c.type.partitionable) : -1;
        const partitionColumns = partitionIndex >= 0 ? [names[partitionIndex] as string] : [];
        const table = await DeltaTable.create(new LocalFileStore(root), { schema: t.table.schema, partitionColumns });
        await table.append(t.table);
        const otherCase = names.map((n) => [...n].map((ch) => (flips.next().value ? ch.toUpperCase() : ch.toLowerCase())).join(''));
        await table.append(renameColumns(t.table, otherCase));

        const expected = [...t.rows, ...t.rows].map((row) => row.map((c, i) => (i === partitionIndex ? asPartitionValue(c) : c)));
        const about = `${t.table.schema.fields.map(String).join(', ')}; ${t.table.batches.length} batches; partitioned by ${partitionColumns.join() || '-'}`;
        const back = await table.read();
        expect(back.schema.fields.map((f: { name: string }) => f.name)).toEqual(names);
        expect(sortedRowKeys(rowsOf(back, names)), about).toEqual(sortedRowKeys(expected));

        // DuckDB over the live data files: the data columns (partition values live in the log).
        const dataIndexes = names.map((_, i) => i).filter((i) => i !== partitionIndex);
        const files = [...table.state.files.values()].map((f) => `'${join(root, decodeLogPath(f.path)).replace(/'/g, "''")}'`);
        if (files.length === 0) {
          expect(expected).toEqual([]);
          return;
        }
        const select = dataIndexes.map((i) => `"${names[i]}"`).join(', ');
        const duck = (await db.runAndReadAll(`SELECT ${select} FROM read_parquet([${files.join(', ')}])`)).getRows().map((r) => r.map(duckCell));
        expect(sortedRowKeys(duck), `DuckDB: ${about}`).toEqual(sortedRowKeys(expected.map((row) => dataIndexes.map((i) => row[i] ?? null))));
      }),
      { numRuns: Number(process.env['SINK_PROPERTY_RUNS'] ?? 25) },
    );
  }, 60_000);
});
