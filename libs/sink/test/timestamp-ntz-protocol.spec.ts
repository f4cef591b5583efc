import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Field, Int64, Schema, Table, TimestampMicrosecond, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot, writeCheckpoint } from '../src/index.js';
import { tempDir } from './support/tables.js';

/**
 * #8.9: a timestamp without time zone is Delta `timestamp_ntz`, which needs
 * reader 3 / writer 7 with the `timestampNtz` feature (PROTOCOL.md
 * "Timestamp without timezone"), at create and when mergeSchema adds one.
 */
const { dir, cleanup } = tempDir('sink-ntz-');
afterAll(cleanup);
let n = 0;

const US = [0n, -62_135_596_800_000_000n, 253_402_300_799_999_999n, 1_700_000_000_123_456n]; // 1970, 0001-01-01, 9999-12-31T23:59:59.999999, 2023
const ntzRows = (): Table => new Table({ id: vectorFromArray([1n, 2n, 3n, 4n], new Int64()), at: makeVector(makeData({ type: new TimestampMicrosecond(), length: US.length, data: BigInt64Array.from(US) })) });

function protocolLines(root: string): unknown[] {
  return readdirSync(join(root, '_delta_log')).filter((f) => f.endsWith('.json')).sort().map((f) =>
    readFileSync(join(root, '_delta_log', f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((a) => 'protocol' in a)?.['protocol']);
}

describe('timestamp_ntz protocol (#8.9)', () => {
  it('create: reader 3 / writer 7 with timestampNtz in both lists; our reader and DuckDB read the rows', async () => {
    const root = join(dir, `t${n++}`);
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: ntzRows().schema });
    expect(table.state.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz'] });
    await table.append(ntzRows());
    const back = await (await DeltaTable.open(new LocalFileStore(root))).read();
    expect(back.schema.fields.map((f) => String(f.type))).toEqual(['Int64', 'Timestamp<MICROSECOND>']);
    expect(back.numRows).toBe(4);
    expect(back.getChild('at')?.data.flatMap((d) => [...(d.values as BigInt64Array)])).toEqual(US);

    // The checkpoint keeps the feature lists, and a reader loading from it accepts the table.
    await writeCheckpoint(new LocalFileStore(root), await loadSnapshot(new LocalFileStore(root)));
    const fromCheckpoint = await loadSnapshot(new LocalFileStore(root));
    expect(fromCheckpoint.checkpointVersion).toBe(1);
    expect(fromCheckpoint.protocol).toEqual(table.state.protocol);

    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const q = async (sql: string): Promise<Record<string, unknown>[]> => (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    const [cp] = await q(`SELECT protocol.minReaderVersion AS r, protocol.minWriterVersion AS w, protocol.readerFeatures AS rf, protocol.writerFeatures AS wf
      FROM read_parquet('${root}/_delta_log/00000000000000000001.checkpoint.parquet') WHERE protocol IS NOT NULL`);
    expect(cp).toEqual({ r: 3, w: 7, rf: ['timestampNtz'], wf: ['timestampNtz'] });
    const [file] = [...fromCheckpoint.files.keys()];
    const path = join(root, file ?? '');
    const types = await q(`SELECT name, logical_type::VARCHAR AS lt FROM parquet_schema('${path}') WHERE name = 'at'`);
    expect(String(types[0]?.['lt'])).toMatch(/isAdjustedToUTC=(0|false)/i);
    const rows = await q(`SELECT id, epoch_us("at")::VARCHAR AS us, typeof("at") AS t FROM read_parquet('${path}') ORDER BY id`);
    expect(rows.map((r) => r['us'])).toEqual(US.map(String));
    expect(rows[0]?.['t']).toBe('TIMESTAMP');
    db.closeSync();
  });

  it('mergeSchema adding a timestamp_ntz column upgrades the protocol in the same commit, keeping the legacy features', async () => {
    const root = join(dir, `t${n++}`);
    const table = await DeltaTable.create(new LocalFileStore(root), { schema: new Schema([new Field('id', new Int64(), true)]) });
    expect(table.state.protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    await table.append(new Table({ id: vectorFromArray([0n], new Int64()) }));
    expect(table.state.protocol.minReaderVersion).toBe(1); // nothing needs an upgrade
    const result = await table.append(ntzRows(), { mergeSchema: true });
    expect(result.version).toBe(2);
    const upgraded = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['appendOnly', 'invariants', 'timestampNtz'] };
    expect(protocolLines(root)).toEqual([{ minReaderVersion: 1, minWriterVersion: 2 }, undefined, upgraded]);
    expect(table.state.protocol).toEqual(upgraded);
    // The upgraded table stays writable and readable, and the next merge does not upgrade again.
    await table.append(ntzRows());
    const more = new Table({ id: vectorFromArray([9n], new Int64()), at: vectorFromArray([0], new TimestampMicrosecond()), at2: vectorFromArray([0], new TimestampMicrosecond()) });
    await table.append(more, { mergeSchema: true });
    expect(protocolLines(root).slice(3)).toEqual([undefined, undefined]);
    expect((await (await DeltaTable.open(new LocalFileStore(root))).read()).numRows).toBe(10);
  });
});
