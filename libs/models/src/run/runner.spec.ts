import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { afterAll, describe, expect, it } from 'vitest';
import { lap, lapsTable, tempDir, writeLaps } from '../../test/runner/delta-fixtures.js';
import { writeProject } from '../../test/runner/project-fixture.js';
import { loadProject } from '../project/load.js';
import { Engine, query, type Row } from '../engine/engine.js';
import { createDeltaView } from '../engine/sources.js';
import { runProject, type RunOptions } from './runner.js';
import { runSourceFreshness } from './freshness.js';

const tmp = tempDir('models-runner-');
afterAll(() => tmp.cleanup());
let n = 0;

async function setup(): Promise<{ tables: string; project: Awaited<ReturnType<typeof loadProject>>; silver: DeltaTable }> {
  const root = join(tmp.dir, `case${n++}`);
  const tables = join(root, 'tables');
  const silver = await writeLaps(tables, 'silver/laps', [
    [lap(44, 1, 90_000), lap(44, 2, 89_500), lap(16, 1, 91_000)],
    [lap(16, 2, 90_200), lap(16, 3, 90_100, { date: '2024-03-03' })],
  ]);
  return { tables, silver, project: await loadProject(writeProject(join(root, 'project'))) };
}

async function read(tables: string, path: string, sql: string): Promise<Row[]> {
  const engine = await Engine.open();
  try {
    const t = await DeltaTable.open(new LocalFileStore(join(tables, path)));
    await createDeltaView(engine.main, { view: 't', tableDir: join(tables, path), snapshot: t.state });
    return await query(engine.main, sql);
  } finally {
    engine.close();
  }
}

const run = (project: Awaited<ReturnType<typeof loadProject>>, tables: string, o: Partial<RunOptions> = {}): ReturnType<typeof runProject> => {
  const lines: string[] = [];
  return runProject(project, { command: 'build', tablesDir: tables, log: (l) => lines.push(l), ...o }).then((r) => Object.assign(r, { lines }));
};
const version = async (tables: string, path: string): Promise<DeltaTable> => DeltaTable.open(new LocalFileStore(join(tables, path)));
const LAPS_SQL = 'SELECT car, lap, lap_time_ms, top_speed, driver, session_date::VARCHAR AS d FROM t ORDER BY car, lap';

describe('build', () => {
  it('builds models in DAG order, runs tests, writes gold Delta tables with the right numbers', async () => {
    const { tables, project } = await setup();
    const lines: string[] = [];
    const r = await runProject(project, { command: 'build', tablesDir: tables, log: (l) => lines.push(l) });
    expect(r.results.filter((x) => x.status !== 'success' && x.status !== 'pass').map((x) => `${x.uniqueId}:${x.status}:${x.message}`)).toEqual([]);
    expect(r.exitCode).toBe(0);
    const order = r.results.map((x) => x.uniqueId);
    expect(order.indexOf('model.lap_metrics')).toBeLessThan(order.indexOf('model.car_best'));
    expect(order).not.toContain('model.stg_laps'); // ephemeral: inlined, not run
    expect(lines.some((l) => /^1 of \d+ START sql incremental model gold\.lap_metrics \.+ \[RUN\]$/.test(l))).toBe(true);
    expect(lines.some((l) => /OK created sql table model gold\.car_best \.+ \[CREATE TABLE 2 in \d+\.\d\ds\]$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\d+$/);
    expect(await read(tables, 'gold/car_best', 'SELECT car, best_lap_ms, laps, top_speed FROM t ORDER BY car')).toEqual([
      { car: 16, best_lap_ms: 90_100n, laps: 3n, top_speed: 203 },
      { car: 44, best_lap_ms: 89_500n, laps: 2n, top_speed: 202 },
    ]);
    const gold = await version(tables, 'gold/lap_metrics');
    expect(gold.state.partitionColumns).toEqual(['session_date']);
    expect(gold.txnVersion('lap_metrics')).toBe(2);
  });
});

describe('incremental', () => {
  it('run twice = same table and no new version; new silver rows change only the new keys; --full-refresh gives the same table', async () => {
    const { tables, project, silver } = await setup();
    await run(project, tables, { command: 'run' });
    const first = await read(tables, 'gold/lap_metrics', LAPS_SQL);
    const v1 = (await version(tables, 'gold/lap_metrics')).version;

    const again = await run(project, tables, { command: 'run' });
    expect(again.results.find((x) => x.uniqueId === 'model.lap_metrics')?.message).toMatch(/^NO NEW DATA/);
    expect((await version(tables, 'gold/lap_metrics')).version).toBe(v1);
    expect(await read(tables, 'gold/lap_metrics', LAPS_SQL)).toEqual(first);

    // New silver rows: a new lap for car 44 and a corrected lap 1 for car 16 (same key).
    await silver.append(lapsTable([lap(44, 3, 88_800), lap(16, 1, 90_900, { driver: 'X', tsMs: Date.UTC(2024, 2, 2, 16) })]));
    const third = await run(project, tables, { command: 'run' });
    // Every key of the two touched partitions (2024-03-02 × car 44, car 16) is recomputed: 44/1-3, 16/1-2; car 16's
    // 2024-03-03 partition is not read. Only 16:1 and 44:3 change (below).
    expect(third.results.find((x) => x.uniqueId === 'model.lap_metrics')).toMatchObject({ status: 'success', rowsAffected: 5 });
    const gold = await version(tables, 'gold/lap_metrics');
    expect(gold.version).toBe(v1 + 1);
    expect(gold.txnVersion('lap_metrics')).toBe(silver.version);
    const [last] = await gold.history(1);
    expect(last?.commitInfo?.operation).toBe('MERGE');
    const after = await read(tables, 'gold/lap_metrics', LAPS_SQL);
    const key = (r: Row): string => `${String(r['car'])}:${String(r['lap'])}`;
    const changed = after.filter((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) !== JSON.stringify(first.find((f) => key(f) === key(r)) ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    expect(changed.map(key).sort()).toEqual(['16:1', '44:3']);
    expect(after).toHaveLength(first.length + 1);
    expect(after.find((r) => key(r) === '16:1')).toMatchObject({ lap_time_ms: 90_900n, driver: 'X' });
    // downstream table saw the merged rows
    expect(await read(tables, 'gold/car_best', 'SELECT best_lap_ms FROM t WHERE car = 44')).toEqual([{ best_lap_ms: 88_800n }]);

    const full = await run(project, tables, { command: 'run', fullRefresh: true, selected: ['model.lap_metrics'] });
    expect(full.results.map((x) => x.message)).toEqual(['CREATE TABLE 6 (full: --full-refresh)']);
    expect(await read(tables, 'gold/lap_metrics', LAPS_SQL)).toEqual(after);
  });

  it('falls back to a full build when the source removed files since the stored version', async () => {
    const { tables, project, silver } = await setup();
    await run(project, tables, { command: 'run', selected: ['model.lap_metrics'] });
    await silver.overwrite(lapsTable([lap(44, 1, 80_000)]));
    const r = await run(project, tables, { command: 'run', selected: ['model.lap_metrics'] });
    expect(r.results[0]?.message).toMatch(/^CREATE TABLE 1 \(full: silver\/laps removed \d+ file\(s\) since version 2\)$/);
    expect(await read(tables, 'gold/lap_metrics', 'SELECT count(*) AS n FROM t')).toEqual([{ n: 1n }]);
  });
});

describe('incremental through a view', () => {
  it('tracks and narrows the sources a view reads: a rerun is a no-op, only the touched partition is processed', async () => {
    const { tables, silver } = await setup();
    const { LAPS_PROJECT } = await import('../../test/runner/project-fixture.js');
    const project = await loadProject(writeProject(join(tables, '..', 'via-view'), {
      ...LAPS_PROJECT,
      'models/stg_view.sql': "{{ config(materialized='view') }}\nselect * from {{ source('silver', 'laps') }}\n",
      'models/lap_metrics.sql': "{{ config(materialized='incremental', unique_key=['car', 'lap'], partition_by=['session_date']) }}\nselect session_date, car, lap, lap_ms as lap_time_ms, speed as top_speed, driver from {{ ref('stg_view') }}\n",
    }));
    await run(project, tables, { command: 'run' });
    const v = (await version(tables, 'gold/lap_metrics')).version;
    const again = await run(project, tables, { command: 'run', selected: ['model.lap_metrics'] });
    expect(again.results[0]?.message).toMatch(/^NO NEW DATA \(silver\/laps@2\)$/);
    expect((await version(tables, 'gold/lap_metrics')).version).toBe(v);
    await silver.append(lapsTable([lap(44, 9, 80_000)]));
    const third = await run(project, tables, { command: 'run', selected: ['model.lap_metrics'] });
    // The touched partition (2024-03-02 × car 44) is read whole: the file of 44/1 and 44/2, and the new 44/9's; its gold file is rewritten.
    expect(third.results[0]).toMatchObject({ status: 'success', rowsAffected: 3, message: 'MERGE 3 (files -1; read 2 of 5 source files)' });
    expect(third.results[0]?.compiledSql).toContain('inc."lap_metrics__silver__laps"');
    expect(await read(tables, 'gold/lap_metrics', 'SELECT count(*) AS n FROM t')).toEqual([{ n: 6n }]);
  });
});

describe('new_rows() and lookback', () => {
  // gain_ms of a lap needs the lap before it: the laps from the first new one on are recomputed (later laps
  // follow the new one, so their gain may change too), reading one lap further back (lookback=1).
  const GAINS: Record<string, string> = {
    'gold_project.yml': 'name: gains\nmodel-paths: [models]\n',
    'models/sources.yml': 'version: 2\nsources:\n  - name: silver\n    tables:\n      - name: laps\n        meta:\n          delta_path: silver/laps\n',
    'models/stg_laps.sql': "{{ config(materialized='ephemeral') }}\nselect session_date, car, lap, lap_ms from {{ source('silver', 'laps') }}\n",
    'models/gains.sql': `{{ config(materialized='incremental', unique_key=['car', 'lap'], partition_by=['session_date'], lookback_column='lap', lookback=1) }}
{% if is_incremental() %}
with firsts as (select car, min(lap) as first_new from {{ new_rows('stg_laps') }} group by car)
{% endif %}
select x.* from (
    select session_date, car, lap, lap_ms, lap_ms - lag(lap_ms) over (partition by car order by lap) as gain_ms
    from {{ ref('stg_laps') }}
) as x
{% if is_incremental() %}
join firsts as f using (car)
where x.lap >= f.first_new
{% endif %}
`,
  };
  const GAINS_SQL = 'SELECT car, lap, lap_ms, gain_ms FROM t ORDER BY car, lap';

  it('recomputes from the new rows only, reading the files of a touched partition back to the lookback; equals a full build', async () => {
    const root = join(tmp.dir, `case${n++}`);
    const tables = join(root, 'tables');
    // Car 44's laps one file each, lap 3 missing; car 16 in one file.
    const silver = await writeLaps(tables, 'silver/laps', [
      [lap(44, 1, 90_000)], [lap(44, 2, 89_500)], [lap(44, 4, 89_000)], [lap(44, 5, 88_800)], [lap(44, 6, 88_900)],
      [lap(16, 1, 91_000), lap(16, 2, 90_200)],
    ]);
    const project = await loadProject(writeProject(join(root, 'project'), GAINS));
    const full = async (): Promise<Row[]> => {
      const copy = join(root, `full${n++}`);
      await cp(join(tables, 'silver'), join(copy, 'silver'), { recursive: true });
      await run(project, copy, { command: 'run' });
      return read(copy, 'gold/gains', GAINS_SQL);
    };
    expect((await run(project, tables, { command: 'run' })).results[0]?.message).toBe('CREATE TABLE 7');

    // A new lap 7: car 44's files of laps 6 and 7 are read (lap ≥ 7 - 1), not the other four; car 16 not at all.
    await silver.append(lapsTable([lap(44, 7, 88_700)]));
    const seventh = await run(project, tables, { command: 'run' });
    expect(seventh.results[0]?.message).toBe('MERGE 1 (files -0; read 2 of 7 source files)');
    expect(await read(tables, 'gold/gains', GAINS_SQL)).toEqual(await full());

    // Lap 3 arrives late: laps 3.. are recomputed (lap 4's gain changes), reading from lap 2.
    await silver.append(lapsTable([lap(44, 3, 89_200)]));
    const late = await run(project, tables, { command: 'run' });
    expect(late.results[0]?.message).toBe('MERGE 5 (files -2; read 6 of 8 source files)');
    const gains = await read(tables, 'gold/gains', GAINS_SQL);
    expect(gains.find((r) => r['car'] === 44 && r['lap'] === 4)).toMatchObject({ gain_ms: -200n });
    expect(gains).toEqual(await full());
  });

  it('a source that received no files while another did is read whole: the join of the new rows finds it', async () => {
    const root = join(tmp.dir, `case${n++}`);
    const tables = join(root, 'tables');
    const laps = await writeLaps(tables, 'silver/laps', [[lap(44, 1, 90_000), lap(16, 1, 91_000)]]);
    await writeLaps(tables, 'silver/drivers', [[lap(44, 0, 0, { driver: 'Hamilton' }), lap(16, 0, 0, { driver: 'Leclerc' })]]);
    const project = await loadProject(writeProject(join(root, 'project'), {
      'gold_project.yml': 'name: joins\nmodel-paths: [models]\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: silver\n    tables:\n      - name: laps\n        meta: {delta_path: silver/laps}\n      - name: drivers\n        meta: {delta_path: silver/drivers}\n',
      'models/named.sql': `{{ config(materialized='incremental', unique_key=['car', 'lap'], partition_by=['session_date']) }}
select l.session_date, l.car, l.lap, l.lap_ms, d.driver
from {{ source('silver', 'laps') }} as l join {{ source('silver', 'drivers') }} as d using (car)
`,
    }));
    await run(project, tables, { command: 'run' });
    await laps.append(lapsTable([lap(44, 2, 89_000)]));
    const r = await run(project, tables, { command: 'run' });
    expect(r.results[0]?.message).toBe('MERGE 2 (files -1; read 4 of 5 source files)');
    expect(await read(tables, 'gold/named', 'SELECT car, lap, driver FROM t ORDER BY car, lap')).toEqual([
      { car: 16, lap: 1, driver: 'Leclerc' }, { car: 44, lap: 1, driver: 'Hamilton' }, { car: 44, lap: 2, driver: 'Hamilton' },
    ]);
  });

  it('refuses a lookback_column that is not a numeric column of the source, naming it', async () => {
    const { tables, silver } = await setup();
    const project = await loadProject(writeProject(join(tables, '..', 'bad-lookback'), {
      ...GAINS, 'models/gains.sql': GAINS['models/gains.sql']?.replace("lookback_column='lap'", "lookback_column='driver'") ?? '',
      'models/stg_laps.sql': "{{ config(materialized='ephemeral') }}\nselect session_date, car, lap, lap_ms, driver from {{ source('silver', 'laps') }}\n",
    }));
    await run(project, tables, { command: 'run' });
    await silver.append(lapsTable([lap(44, 3, 89_000)]));
    const r = await run(project, tables, { command: 'run' });
    expect(r.results[0]).toMatchObject({ status: 'error' });
    expect(r.results[0]?.message).toMatch(/lookback_column 'driver' must be a numeric column of the source \(found "string"\)/);
  });

  it('new_rows() of a table model is refused with the file', async () => {
    const root = join(tmp.dir, `case${n++}`);
    const tables = join(root, 'tables');
    const silver = await writeLaps(tables, 'silver/laps', [[lap(44, 1, 90_000)]]);
    const project = await loadProject(writeProject(join(root, 'project'), {
      ...GAINS, 'models/stg_laps.sql': "{{ config(materialized='table') }}\nselect session_date, car, lap, lap_ms from {{ source('silver', 'laps') }}\n",
    }));
    await run(project, tables, { command: 'run' });
    await silver.append(lapsTable([lap(44, 2, 89_000)]));
    const r = await run(project, tables, { command: 'run' });
    expect(r.results.find((x) => x.uniqueId === 'model.gains')?.message).toMatch(/models\/gains\.sql.*new_rows\('stg_laps'\) needs an ephemeral or view model/);
  });
});

describe('tests and exit codes', () => {
  it('an error-severity failure exits 1 and skips the models downstream in build; warn-severity does not', async () => {
    const { tables, project, silver } = await setup();
    await silver.append(lapsTable([lap(7, 1, -5, { driver: null })]));
    const r = await run(project, tables, { command: 'build' });
    expect(r.exitCode).toBe(1);
    const status = (id: string): string | undefined => r.results.find((x) => x.uniqueId === id)?.status;
    expect(status('test.accepted_range_lap_metrics_lap_time_ms__0__')).toBe('fail');
    expect(status('test.not_null_lap_metrics_driver')).toBe('warn');
    expect(status('model.car_best')).toBe('skipped');
    expect(r.results.find((x) => x.uniqueId === 'test.accepted_range_lap_metrics_lap_time_ms__0__')?.failures).toBe(1);
  });

  it('store_failures writes the failing rows to an audit Delta table; test alone runs against built models', async () => {
    const { tables, project, silver } = await setup();
    await run(project, tables, { command: 'run' });
    await silver.append(lapsTable([lap(5, 1, 95_000)]));
    await run(project, tables, { command: 'run' });
    const r = await run(project, tables, { command: 'test' });
    const av = r.results.find((x) => x.uniqueId.startsWith('test.accepted_values_car_best_car'));
    expect(av).toMatchObject({ status: 'fail', failures: 1 });
    expect(r.exitCode).toBe(1);
    expect(await read(tables, `gold/dbt_test__audit/${av?.uniqueId.slice(5) ?? ''}`, 'SELECT value_field, n_records FROM t')).toEqual([{ value_field: 5, n_records: 1n }]);
    expect(r.results.find((x) => x.uniqueId === 'test.no_slow_best')?.status).toBe('pass');
  });

  it('threads: the same results on 3 connections', async () => {
    const { tables, project } = await setup();
    const r = await run(project, tables, { command: 'build', threads: 3 });
    expect(r.exitCode).toBe(0);
    expect(new Set(r.results.map((x) => x.thread)).size).toBeGreaterThan(1);
    expect(await read(tables, 'gold/car_best', 'SELECT count(*) AS n FROM t')).toEqual([{ n: 2n }]);
  });

  it('--select a model alone reads its unselected parents from their gold tables; unbuilt parents are an error naming them', async () => {
    const { tables, project } = await setup();
    const missing = await run(project, tables, { command: 'run', selected: ['model.car_best'] });
    expect(missing.results[0]).toMatchObject({ status: 'error', message: expect.stringContaining('model lap_metrics is not selected and has no gold table') });
    await run(project, tables, { command: 'run', selected: ['model.lap_metrics'] });
    const r = await run(project, tables, { command: 'run', selected: ['model.car_best', 'model.fast_laps'] });
    expect(r.results.map((x) => `${x.uniqueId}:${x.status}:${x.message}`)).toEqual(['model.car_best:success:CREATE TABLE 2', 'model.fast_laps:success:CREATE VIEW']);
  });

  it('in build, a failing test on a source skips the models reading it', async () => {
    const { tables, silver } = await setup();
    await silver.append(lapsTable([lap(9, 1, 1, { driver: null })]));
    const { LAPS_PROJECT } = await import('../../test/runner/project-fixture.js');
    const project = await loadProject(writeProject(join(tables, '..', 'src-test'), {
      ...LAPS_PROJECT,
      'models/sources.yml': `${LAPS_PROJECT['models/sources.yml'] ?? ''}        columns:\n          - name: driver\n            tests: [not_null]\n`,
    }));
    const r = await run(project, tables, { command: 'build' });
    const status = (id: string): string | undefined => r.results.find((x) => x.uniqueId === id)?.status;
    expect(status('test.source_not_null_silver_laps_driver')).toBe('fail');
    expect(status('model.lap_metrics')).toBe('skipped');
    expect(status('model.car_best')).toBe('skipped');
  });

  it('a model SQL error exits 1 and skips its children', async () => {
    const { tables } = await setup();
    const root = join(tables, '..', 'broken');
    const project = await loadProject(writeProject(root, { ...(await import('../../test/runner/project-fixture.js')).LAPS_PROJECT, 'models/lap_metrics.sql': "{{ config(materialized='table') }}\nselect no_such_column from {{ source('silver', 'laps') }}\n" }));
    const r = await run(project, tables, { command: 'run' });
    expect(r.exitCode).toBe(1);
    expect(r.results.find((x) => x.uniqueId === 'model.lap_metrics')).toMatchObject({ status: 'error', message: expect.stringContaining('SQL_FAILED') });
    expect(r.results.find((x) => x.uniqueId === 'model.car_best')?.status).toBe('skipped');
  });
});

describe('source freshness', () => {
  it('max(loaded_at_field) against now: pass, warn, error (exit 1)', async () => {
    const { tables, project } = await setup();
    const newest = Date.UTC(2024, 2, 2, 14, 0, 0) + 3 * 90_000;
    const at = async (ms: number): Promise<[string | undefined, number]> => {
      const r = await runSourceFreshness(project, { tablesDir: tables, now: () => new Date(newest + ms) });
      return [r.results[0]?.status, r.exitCode];
    };
    expect(await at(30 * 60_000)).toEqual(['pass', 0]);
    expect(await at(2 * 3_600_000)).toEqual(['warn', 0]);
    expect(await at(2 * 86_400_000)).toEqual(['error', 1]);
    const r = await runSourceFreshness(project, { tablesDir: tables, now: () => new Date(newest) });
    expect(r.results[0]?.maxLoadedAt).toBe(new Date(newest).toISOString());
  });
});
