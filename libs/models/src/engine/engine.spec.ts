import { join } from 'node:path';
import { DeltaTable, LocalFileStore, rewriteFiles } from '@lakestream/sink';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lap, tempDir, writeLaps } from '../../test/runner/delta-fixtures.js';
import { Engine, query } from './engine.js';
import { createDeltaView } from './sources.js';
import { planColumn, relationToArrow } from './to-arrow.js';
import { partitionLiteral, quoteIdent } from './sql.js';

const tmp = tempDir('models-engine-');
afterAll(() => tmp.cleanup());

describe('source views over Delta snapshots', () => {
  it('reads active files with typed partition values, across a checkpoint and an overwrite', async () => {
    const t = await writeLaps(tmp.dir, 'silver/laps', [
      [lap(44, 1, 90_000), lap(44, 2, 89_500), lap(16, 1, 91_000, { driver: null })],
      [lap(16, 2, 90_200), lap(1, 1, 88_000, { date: '2024-03-03' })],
      [lap(1, 2, 87_900, { date: '2024-03-03' })],
    ]);
    await t.overwrite((await t.read()).slice(0, 0), { where: { session_date: '2024-03-03', car: '1' } });
    const engine = await Engine.open();
    try {
      await createDeltaView(engine.main, { view: 'laps', tableDir: join(tmp.dir, 'silver/laps'), snapshot: (await DeltaTable.open(t.store)).state });
      const rows = await query(engine.main, 'SELECT car, count(*) AS n, min(session_date)::VARCHAR AS d, sum(lap_ms) AS ms, count(driver) AS drivers FROM laps GROUP BY car ORDER BY car');
      expect(rows).toEqual([
        { car: 16, n: 2n, d: '2024-03-02', ms: 181_200n, drivers: 1n },
        { car: 44, n: 2n, d: '2024-03-02', ms: 179_500n, drivers: 2n },
      ]);
      const types = await query(engine.main, "SELECT column_name, column_type FROM (DESCRIBE laps)");
      expect(types.map((r) => `${String(r['column_name'])}:${String(r['column_type'])}`)).toEqual([
        'session_date:DATE', 'car:INTEGER', 'lap:INTEGER', 'lap_ms:BIGINT', 'speed:DOUBLE', 'driver:VARCHAR', 'ts:TIMESTAMP WITH TIME ZONE',
      ]);
    } finally {
      engine.close();
    }
  });

  it('an empty table is an empty view with the schema columns; a file subset reads only those files', async () => {
    const t = await writeLaps(tmp.dir, 'silver/empty', []);
    const u = await writeLaps(tmp.dir, 'silver/two', [[lap(5, 1, 100)], [lap(5, 2, 200)]]);
    const engine = await Engine.open();
    try {
      await createDeltaView(engine.main, { view: 'e', tableDir: join(tmp.dir, 'silver/empty'), snapshot: t.state });
      expect(await query(engine.main, 'SELECT count(*) AS n, count(car) AS c FROM e')).toEqual([{ n: 0n, c: 0n }]);
      const second = [...u.state.files.values()].filter((f) => !f.path.includes('lap=')).slice(-1);
      await createDeltaView(engine.main, { view: 'two', tableDir: join(tmp.dir, 'silver/two'), snapshot: u.state, files: second });
      expect((await query(engine.main, 'SELECT count(*) AS n FROM two'))[0]?.['n']).toBe(1n);
    } finally {
      engine.close();
    }
  });

  it('uses a join on file names when there are many partition groups (same rows)', async () => {
    const many = Array.from({ length: 140 }, (_, i) => lap(i, 1, 1000 + i));
    const t = await writeLaps(tmp.dir, 'silver/many', [many]);
    const engine = await Engine.open();
    try {
      await createDeltaView(engine.main, { view: 'm', tableDir: join(tmp.dir, 'silver/many'), snapshot: t.state });
      expect(await query(engine.main, 'SELECT count(*) AS n, sum(car) AS cars, sum(lap_ms - car) AS ms FROM m')).toEqual([{ n: 140n, cars: BigInt((139 * 140) / 2), ms: 140_000n }]);
    } finally {
      engine.close();
    }
  });
});

describe('DuckDB → Arrow → Delta', () => {
  it('round-trips every supported type exactly (timestamps to the microsecond, 64-bit integers, nulls)', async () => {
    const engine = await Engine.open();
    try {
      await engine.main.run(`CREATE TABLE x AS SELECT * FROM (VALUES
        (true, 1::TINYINT, 2::SMALLINT, 3::INTEGER, 9007199254740993::BIGINT, 12::HUGEINT, 1.5::FLOAT, 2.25::DOUBLE, 3.125::DECIMAL(10,3), 'é''x', DATE '2024-03-02', TIMESTAMP '2024-03-02 10:00:00.123456', TIMESTAMPTZ '2024-03-02 10:00:00.654321+00'),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
      ) AS v(b, i8, i16, i32, i64, h, f, d, dec, s, dt, ts, tstz)`);
      const table = await relationToArrow(engine.main, 'x');
      const dir = join(tmp.dir, 'gold/x');
      const delta = await DeltaTable.create(new LocalFileStore(dir), { schema: table.schema });
      await rewriteFiles(delta, { data: table });
      await createDeltaView(engine.main, { view: 'back', tableDir: dir, snapshot: delta.state });
      const diff = await query(engine.main, `SELECT count(*) AS n FROM (SELECT b, i8, i16, i32, i64, h::BIGINT, f, d, dec::DOUBLE, s, dt, ts, tstz FROM x EXCEPT SELECT * FROM back)`);
      expect(diff).toEqual([{ n: 0n }]);
      expect((await query(engine.main, 'SELECT count(*) AS n FROM back'))[0]?.['n']).toBe(2n);
    } finally {
      engine.close();
    }
  });

  it('refuses nested and interval columns, naming the column', async () => {
    const engine = await Engine.open();
    try {
      await expect(relationToArrow(engine.main, '(SELECT [1, 2] AS xs)')).rejects.toMatchObject({ code: 'SQL_FAILED', detail: expect.stringContaining('column xs has type INTEGER[]') });
    } finally {
      engine.close();
    }
  });

  it('property: any BIGINT/DOUBLE/VARCHAR values and nulls survive DuckDB → Arrow exactly', async () => {
    const engine = await Engine.open();
    try {
      await fc.assert(fc.asyncProperty(
        fc.array(fc.record({ i: fc.option(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n })), d: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })), s: fc.option(fc.string()) }), { maxLength: 40 }),
        async (rows) => {
          const values = rows.map((r, k) => `(${k}, ${r.i === null ? 'NULL::BIGINT' : `${r.i}::BIGINT`}, ${r.d === null ? 'NULL::DOUBLE' : `'${String(r.d)}'::DOUBLE`}, ${r.s === null ? 'NULL::VARCHAR' : `'${r.s.replace(/'/g, "''")}'`})`);
          const rel = rows.length === 0 ? '(SELECT 0 AS k, 0::BIGINT AS i, 0::DOUBLE AS d, \'\' AS s WHERE false)' : `(SELECT * FROM (VALUES ${values.join(', ')}) AS v(k, i, d, s) ORDER BY k)`;
          const t = await relationToArrow(engine.main, rel);
          expect(t.numRows).toBe(rows.length);
          rows.forEach((r, k) => {
            expect(t.getChild('i')?.get(k) ?? null).toEqual(r.i);
            const d = (t.getChild('d')?.get(k) ?? null) as number | null;
            expect(d === 0 ? 0 : d).toEqual(r.d === 0 ? 0 : r.d); // the SQL literal of -0 is 0
            expect(t.getChild('s')?.get(k) ?? null).toEqual(r.s);
          });
        },
      ), { numRuns: 25 });
    } finally {
      engine.close();
    }
  });

  it('planColumn maps the documented types and nothing else', () => {
    expect(planColumn('a', 'HUGEINT')).toMatchObject({ kind: 'i64' });
    expect(planColumn('a', 'DECIMAL(18,3)')).toMatchObject({ kind: 'f64' });
    expect(planColumn('a', 'TIMESTAMP_NS')).toMatchObject({ kind: 'ts' });
    expect(planColumn('a', 'INTERVAL')).toBeUndefined();
    expect(planColumn('a', 'STRUCT(x INTEGER)')).toBeUndefined();
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(partitionLiteral('', 'integer')).toBe('NULL::INTEGER');
    expect(partitionLiteral('', 'string')).toBe("CAST('' AS VARCHAR)");
  });
});
