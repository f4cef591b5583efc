import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileStore } from '../storage/local-file-store.js';
import { DeltaTable } from '../table/delta-table.js';
import { columnTypesOf, fileMatches, type Predicate } from './skipping.js';
import { computeStats } from './stats.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function tableOf(data: arrow.Table, partitionColumns: string[] = []): Promise<DeltaTable> {
  const dir = mkdtempSync(join(tmpdir(), 'sink-skipping-'));
  dirs.push(dir);
  const table = await DeltaTable.create(new LocalFileStore(dir), { schema: data.schema, partitionColumns });
  await table.append(data);
  return table;
}

const rowsRead = async (table: DeltaTable, filter: Predicate): Promise<number> => (await table.read({ filter })).numRows;

describe('file skipping never drops a matching row (#8.6 float32, #8.5 timestamps)', () => {
  it('float32 stats compare as float32: f < 0.7 keeps the file holding 0.7f', async () => {
    const table = await tableOf(new arrow.Table({ f: arrow.vectorFromArray([0.7, 1.5], new arrow.Float32()) }));
    // The stored value is 0.699999988079071 < 0.7; the stats say 0.7 (its shortest decimal).
    expect(await rowsRead(table, { column: 'f', op: '<', value: 0.7 })).toBe(2);
    expect(await rowsRead(table, { column: 'f', op: '<=', value: 0.6999999880790710 })).toBe(2);
    expect(await rowsRead(table, { column: 'f', op: '>', value: 1.5 })).toBe(0);
    expect(await rowsRead(table, { column: 'f', op: '<', value: 0.6 })).toBe(0);
  });

  it('float32 partition values compare as float32', async () => {
    const data = new arrow.Table({
      p: arrow.vectorFromArray([0.7], new arrow.Float32()),
      x: arrow.vectorFromArray([1], new arrow.Int32()),
    });
    const table = await tableOf(data, ['p']);
    expect(await rowsRead(table, { column: 'p', op: '<', value: 0.7 })).toBe(1);
    expect(await rowsRead(table, { column: 'p', op: '=', value: 0.7 })).toBe(0);
    expect(await rowsRead(table, { column: 'p', op: '=', value: Math.fround(0.7) })).toBe(1);
  });

  it('a timestamp minimum near 9999 is not rounded above the true minimum', async () => {
    const last = 253_402_300_799_999_999n; // 9999-12-31T23:59:59.999999
    const data = new arrow.Table({ ts: arrow.makeVector({ type: new arrow.TimestampMicrosecond('UTC'), data: new BigInt64Array([last]) } as never) });
    const table = await tableOf(data);
    // The row is before 10000-01-01: a min rounded up to 10000-01-01 would skip it.
    expect(await rowsRead(table, { column: 'ts', op: '<', value: new Date(253_402_300_800_000) })).toBe(1);
    expect(await rowsRead(table, { column: 'ts', op: '>', value: new Date(253_402_300_799_999) })).toBe(1);
    expect(await rowsRead(table, { column: 'ts', op: '<', value: new Date(253_402_300_799_999) })).toBe(0);
  });

  it('a timestamp with microseconds is kept by > its millisecond (max rounds up)', async () => {
    const micros = 1_767_225_600_000_500n; // 2026-01-01T00:00:00.000500Z
    const data = new arrow.Table({ ts: arrow.makeVector({ type: new arrow.TimestampMicrosecond('UTC'), data: new BigInt64Array([micros]) } as never) });
    const table = await tableOf(data);
    expect(await rowsRead(table, { column: 'ts', op: '>', value: new Date(1_767_225_600_000) })).toBe(1);
    // Max bounds are read as truncated (Spark's): up to 999 µs above the written one.
    expect(await rowsRead(table, { column: 'ts', op: '>=', value: new Date(1_767_225_600_002) })).toBe(0);
    // A string predicate is read as a timestamp, not compared as text ('Z' sorts after '.').
    expect(await rowsRead(table, { column: 'ts', op: '>', value: '2026-01-01T00:00:00Z' })).toBe(1);
  });

  it('longs beyond 2^53 are not skipped by a bound JSON.parse rounded', () => {
    const data = new arrow.Table({ l: arrow.makeVector({ type: new arrow.Int64(), data: new BigInt64Array([2n ** 53n + 1n]) } as never) });
    const stats = JSON.parse(JSON.stringify({ ...computeStats(data), minValues: { l: 2 ** 53 }, maxValues: { l: 2 ** 53 } })) as never;
    const types = columnTypesOf({ type: 'struct', fields: [{ name: 'l', type: 'long', nullable: true, metadata: {} }] });
    const file = { partitionValues: {}, stats };
    expect(fileMatches(file, { column: 'l', op: '>', value: 2n ** 53n }, types)).toBe(true);
    expect(fileMatches(file, { column: 'l', op: '!=', value: 2n ** 53n }, types)).toBe(true);
    expect(fileMatches(file, { column: 'l', op: '>', value: 2n ** 54n }, types)).toBe(false);
  });
});
