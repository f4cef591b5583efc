import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { arrowToDeltaSchema, deltaToArrowSchema, parseSchemaString } from '../schema/delta-schema.js';
import { decodeLogPath } from './partitions.js';
import { readDataFile } from './read.js';
import { fileMatches } from './skipping.js';
import { parseStats } from './stats.js';
import { encodeDataFiles } from './write.js';

const T0 = Date.UTC(2026, 2, 6, 12, 0, 0);
const n = 40;
const input = new arrow.Table({
  session_date: arrow.vectorFromArray(
    Array.from({ length: n }, (_, i) => new Date(T0 + (i % 2) * 86_400_000)),
    new arrow.DateDay(),
  ),
  event_type: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : ['tire', 'lap/x'][i % 2] ?? null))),
  car: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i)), new arrow.Int64()),
  speed: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i === 3 ? null : i * 1.5)), new arrow.Float64()),
  label: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => `car-${i}`), new arrow.Utf8()),
  // Millisecond input: the writer must cast to microseconds UTC.
  ts: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => T0 + i), new arrow.TimestampMillisecond('UTC')),
});
const schema = arrowToDeltaSchema(
  new arrow.Schema(input.schema.fields.map((f) => (f.name === 'ts' ? new arrow.Field('ts', new arrow.TimestampMicrosecond('UTC')) : f))),
);
const partitionColumns = ['session_date', 'event_type'];
const dir = mkdtempSync(join(tmpdir(), 'sink-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let id = 0;
const files = await encodeDataFiles(input, { partitionColumns, schema, rowGroupSize: 4, targetFileSize: 250, fileId: () => `f${id++}`, now: () => 7 });
for (const f of files) {
  mkdirSync(dirname(join(dir, f.relativePath)), { recursive: true });
  writeFileSync(join(dir, f.relativePath), f.bytes);
}

describe('encodeDataFiles', () => {
  it('splits by partition and size, with Hive paths and log paths', () => {
    const partitions = new Set(files.map((f) => JSON.stringify(f.partitionValues)));
    expect(partitions).toEqual(
      new Set([
        '{"session_date":"2026-03-06","event_type":"tire"}',
        '{"session_date":"2026-03-07","event_type":"lap/x"}',
        '{"session_date":"2026-03-06","event_type":null}',
        '{"session_date":"2026-03-07","event_type":null}',
      ]),
    );
    expect(files.length).toBeGreaterThan(4); // targetFileSize forces several files per partition
    expect(files.reduce((s, f) => s + f.numRecords, 0)).toBe(n);
    const lap = files.find((f) => f.partitionValues['event_type'] === 'lap/x');
    expect(lap?.relativePath).toMatch(/^session_date=2026-03-07\/event_type=lap%2Fx\/part-\d{5}-f\d+\.c000\.snappy\.parquet$/);
    expect(lap?.logPath).toBe(lap?.relativePath.replace('%2F', '%252F'));
    expect(decodeLogPath(lap?.logPath ?? '')).toBe(lap?.relativePath);
    expect(files.find((f) => f.partitionValues['event_type'] === null)?.relativePath).toContain('event_type=__HIVE_DEFAULT_PARTITION__/');
    expect(files[0]?.modificationTime).toBe(7);
    expect(parseStats(files[0]?.statsJson)?.numRecords).toBe(files[0]?.numRecords);
    expect(Object.keys(files[0]?.stats.nullCount ?? {})).toEqual(['car', 'speed', 'label', 'ts']);
  });

  it('refuses nulls in non-nullable columns', async () => {
    const strict = { ...schema, fields: schema.fields.map((f) => (f.name === 'speed' ? { ...f, nullable: false } : f)) };
    await expect(encodeDataFiles(input, { partitionColumns, schema: strict })).rejects.toThrowError(/"speed" is not nullable/);
  });
});

describe('readDataFile', () => {
  it('round trips write → read with partitions materialized and exact timestamps', () => {
    const full = deltaToArrowSchema(schema);
    const rows = files.flatMap((f) =>
      readDataFile(f.bytes, { schema: full, partitionColumns, partitionValues: f.partitionValues }).toArray().map((r) => r.toJSON()),
    );
    rows.sort((a, b) => Number(a['car']) - Number(b['car']));
    expect(rows).toHaveLength(n);
    const expected = input.toArray().map((r) => r.toJSON());
    for (let i = 0; i < n; i++) {
      const got = rows[i] as Record<string, unknown>;
      const want = expected[i] as Record<string, unknown>;
      expect(got['car']).toBe(want['car']);
      expect(got['speed']).toBe(want['speed']);
      expect(got['label']).toBe(want['label']);
      expect(got['event_type']).toBe(want['event_type']);
      expect(got['session_date']).toBe(want['session_date']);
      expect(got['ts']).toBe(want['ts']);
    }
  });

  it('adds missing nullable columns, projects and orders by the schema', () => {
    const f = files[0];
    if (!f) throw new Error('no files');
    const evolved = new arrow.Schema([...deltaToArrowSchema(schema).fields, new arrow.Field('extra', new arrow.Utf8(), true)]);
    const t = readDataFile(f.bytes, { schema: evolved, partitionColumns, partitionValues: f.partitionValues, columns: ['extra', 'label', 'event_type'] });
    expect(t.schema.fields.map((x) => x.name)).toEqual(['event_type', 'label', 'extra']);
    expect(t.getChild('extra')?.nullCount).toBe(t.numRows);
  });
});

describe('Parquet checked by DuckDB', () => {
  it('has the rows, Snappy and the Delta physical types', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      for (const f of files.slice(0, 3)) {
        const path = join(dir, f.relativePath).replaceAll("'", "''");
        const count = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS c, min(car)::BIGINT AS lo FROM read_parquet('${path}')`)).getRowObjects();
        expect(count[0]?.['c']).toBe(f.numRecords);
        expect(String(count[0]?.['lo'])).toBe(String(f.stats.minValues['car']));
        const codecs = (await conn.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`)).getRowObjects();
        expect(codecs.map((r) => r['compression'])).toEqual(['SNAPPY']);
      }
      const path = join(dir, files[0]?.relativePath ?? '').replaceAll("'", "''");
      const cols = (
        await conn.runAndReadAll(`SELECT name, type, logical_type::VARCHAR AS logical, converted_type FROM parquet_schema('${path}') WHERE name <> 'arrow_schema' AND num_children IS NULL`)
      ).getRowObjects();
      const byName = Object.fromEntries(cols.map((c) => [c['name'], c]));
      expect(byName['car']?.['type']).toBe('INT64');
      expect(byName['speed']?.['type']).toBe('DOUBLE');
      expect(byName['label']?.['type']).toBe('BYTE_ARRAY');
      expect(byName['label']?.['converted_type']).toBe('UTF8');
      expect(byName['ts']?.['type']).toBe('INT64');
      expect(String(byName['ts']?.['logical'])).toMatch(/isAdjustedToUTC=(1|true).*MICROS|MICROS.*isAdjustedToUTC=(1|true)/i);
      expect(Object.keys(byName)).not.toContain('session_date');
      // Row-group statistics for numbers and timestamps; none for strings (Delta's add stats bound them).
      const stats = (await conn.runAndReadAll(`SELECT path_in_schema AS col, stats_min IS NOT NULL AS has_min FROM parquet_metadata('${path}')`)).getRowObjects();
      const hasMin = Object.fromEntries(stats.map((r) => [r['col'], r['has_min']]));
      expect(hasMin).toMatchObject({ car: true, ts: true, label: false });
    } finally {
      conn.closeSync();
    }
  });
});

describe('skipping', () => {
  it('prunes by partition and stats', () => {
    const f = files.find((x) => x.partitionValues['event_type'] === 'tire');
    if (!f) throw new Error('no file');
    const file = { partitionValues: f.partitionValues, stats: f.stats };
    expect(fileMatches(file, { column: 'event_type', op: '=', value: 'tire' })).toBe(true);
    expect(fileMatches(file, { column: 'event_type', op: 'is null' })).toBe(false);
    expect(fileMatches(file, { column: 'session_date', op: '>', value: '2026-03-06' })).toBe(false);
    const car = f.stats.maxValues['car'] as bigint;
    expect(fileMatches(file, { column: 'car', op: '>', value: car })).toBe(false);
    expect(fileMatches(file, { column: 'car', op: '<=', value: car })).toBe(true);
    expect(fileMatches(file, { or: [{ column: 'car', op: '>', value: car }, { column: 'event_type', op: 'in', value: ['x', 'tire'] }] })).toBe(true);
    expect(fileMatches(file, { and: [{ column: 'label', op: 'is not null' }, { column: 'ts', op: '<', value: new Date(T0 - 1) }] })).toBe(false);
    expect(fileMatches({ partitionValues: {} }, { column: 'car', op: '=', value: 1 })).toBe(true);
  });
});

describe('reading DAT data files written by Spark', () => {
  const root = join(import.meta.dirname, '../../test/data/dat');
  const table = (name: string) => {
    const log = readFileSync(join(root, name, '_delta_log/00000000000000000000.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    const meta = log.find((a) => a['metaData'])?.['metaData'];
    const adds = log.filter((a) => a['add']).map((a) => a['add'] as { path: string; partitionValues: Record<string, string | null> });
    return { schema: parseSchemaString(String(meta?.['schemaString'])), partitionColumns: (meta?.['partitionColumns'] ?? []) as string[], adds };
  };

  it('all_primitive_types', () => {
    const t = table('all_primitive_types');
    const add = t.adds[0];
    if (!add) throw new Error('no add');
    const bytes = readFileSync(join(root, 'all_primitive_types', decodeLogPath(add.path)));
    const out = readDataFile(bytes, { schema: deltaToArrowSchema(t.schema), partitionColumns: [], partitionValues: {} });
    expect(out.numRows).toBe(5);
    expect(String(out.getChild('timestamp')?.type)).toBe('Timestamp<MICROSECOND, UTC>');
    const row = out.get(1)?.toJSON() as Record<string, unknown>;
    expect(row['utf8']).toBe('1');
    expect(row['int64']).toBe(1n);
    expect(row['int32']).toBe(1);
    expect(row['int16']).toBe(1);
    expect(row['int8']).toBe(1);
    expect(row['float32']).toBe(1);
    expect(row['float64']).toBe(1);
    expect(row['bool']).toBe(false);
    expect(row['date32']).toBe(Date.UTC(1970, 0, 2));
    expect(row['timestamp']).toBe(3_600_000);
  });

  it('multi_partitioned (escaped values, binary partition, nulls)', () => {
    const t = table('multi_partitioned');
    const schemaArrow = deltaToArrowSchema(t.schema);
    const rows = t.adds.flatMap((add) =>
      readDataFile(readFileSync(join(root, 'multi_partitioned', decodeLogPath(add.path))), {
        schema: schemaArrow,
        partitionColumns: t.partitionColumns,
        partitionValues: add.partitionValues,
      }).toArray().map((r) => r.toJSON()),
    );
    expect(rows.length).toBe(t.adds.length);
    expect(rows.map((r) => r['letter'])).toContain('a');
    expect(rows.map((r) => r['number'])).toContain(1n);
  });
});
