import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deltaVersion, readDeltaState, withDeltaViews } from './duckdb-delta.js';
import { DeltaReadError } from './errors.js';

/**
 * The DuckDB Delta reader on tables we did not write: the Delta Acceptance
 * Testing tables (`../shared/delta-conformance/dat`, written by Spark /
 * delta-rs). Each table's latest snapshot must equal DAT's expected content
 * row for row (a multiset comparison in DuckDB), at DAT's expected version.
 */
const DAT = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'delta-conformance', 'dat');
const cases = existsSync(DAT) ? readdirSync(DAT).filter((name) => existsSync(join(DAT, name, 'delta', '_delta_log'))).sort() : [];

if (cases.length === 0) {
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') throw new Error(`DAT tables missing under CI: ${DAT}`);
  console.warn(`[skip] DAT tables not found at ${DAT}`);
}

describe.runIf(cases.length > 0)('DuckDB Delta reader on the DAT tables', () => {
  it('finds the conformance tables', () => {
    expect(cases).toEqual(expect.arrayContaining(['basic_append', 'basic_partitioned', 'multi_partitioned', 'with_checkpoint', 'no_replay', 'with_schema_change', 'all_primitive_types', 'nested_types']));
  });

  it.each(cases)('%s: latest snapshot equals the expected content', async (name) => {
    const dir = join(DAT, name, 'delta');
    const expectedDir = join(DAT, name, 'expected', 'latest');
    const meta = JSON.parse(readFileSync(join(expectedDir, 'table_version_metadata.json'), 'utf8')) as { version: number };
    expect(await deltaVersion(dir)).toBe(meta.version);
    const expectedGlob = join(expectedDir, 'table_content.parquet', '*.parquet');
    await withDeltaViews({ t: dir }, async (query, { tables }) => {
      const state = tables['t'];
      expect(state?.version).toBe(meta.version);
      // The view's columns are the schema's, in order.
      const columns = (await query('DESCRIBE t')).map((r) => r['column_name']);
      expect(columns).toEqual(state?.schema.map((f) => f.name));
      await query(`CREATE TABLE expected AS SELECT * FROM read_parquet('${expectedGlob}', union_by_name = true)`);
      const list = columns.map((c) => `"${String(c)}"`).join(', ');
      const [counts] = await query(`SELECT (SELECT count(*) FROM t) AS ours, (SELECT count(*) FROM expected) AS theirs`);
      expect(counts?.['ours']).toBe(counts?.['theirs']);
      // Multiset difference both ways, compared as DuckDB values (the view casts to the Delta schema types).
      const diff = await query(`SELECT count(*) AS n FROM (
          (SELECT ${list} FROM t EXCEPT ALL SELECT ${list} FROM expected)
          UNION ALL (SELECT ${list} FROM expected EXCEPT ALL SELECT ${list} FROM t))`);
      expect(diff[0]?.['n']).toBe(0n);
    });
  });

  it('reads txn-free tables as an empty txn map and reports the checkpoint it started from', async () => {
    const state = await readDeltaState(join(DAT, 'with_checkpoint', 'delta'));
    expect(state.checkpointVersion).toBe(2);
    expect(state.version).toBe(3);
    expect(state.txns.size).toBe(0);
    expect(state.files.length).toBeGreaterThan(0);
  });

  it('refuses a directory without a Delta log with a typed error', async () => {
    expect(await deltaVersion(join(DAT, 'basic_append'))).toBe(-1);
    const error = await readDeltaState(join(DAT, 'basic_append')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeltaReadError);
    expect((error as DeltaReadError).code).toBe('DELTA_LOG_INVALID');
  });
});
