import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DateDay, Field, Float64, Int32, Schema, Table, TimestampMicrosecond, Utf8, makeData, makeVector, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { loadProject, runProject, type RunOutcome } from '@lakestream/models';
import { deltaTxnVersions, deltaVersion, withDeltaViews, type DeltaRow } from '@lakestream/testing';

/**
 * The gold runner end to end over real Delta tables: a silver table written
 * by @lakestream/sink (partitioned by session_date and car_number, with
 * checkpoints), a small project on disk, `build` through @lakestream/models,
 * and every gold table read back by the independent DuckDB reader of
 * @lakestream/testing (log replay + Parquet) and checked against numbers
 * computed here in JS. Then incremental: a second run commits nothing, new
 * silver laps change only their keys (one MERGE commit, txn = silver
 * version), and --full-refresh rebuilds the same table.
 */
const root = mkdtempSync(join(tmpdir(), 'e2e-gold-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tables = join(root, 'delta-tables');

interface Sample { session: string; date: string; car: number; lap: number; speed: number; tsMs: number }

const schema = new Schema([
  new Field('session_id', new Utf8(), true),
  new Field('session_date', new DateDay(), true),
  new Field('car_number', new Int32(), true),
  new Field('lap', new Int32(), true),
  new Field('speed_kph', new Float64(), true),
  new Field('event_ts', new TimestampMicrosecond('UTC'), true),
]);

function fixed<T extends DataType>(type: T, data: unknown, length: number): Vector<T> {
  return makeVector(makeData({ type, length, nullCount: 0, data } as never)) as unknown as Vector<T>;
}
function table(rows: readonly Sample[]): Table {
  const n = rows.length;
  return new Table({
    session_id: vectorFromArray(rows.map((r) => r.session), new Utf8()),
    session_date: fixed(new DateDay(), Int32Array.from(rows.map((r) => Date.parse(`${r.date}T00:00:00Z`) / 86_400_000)), n),
    car_number: fixed(new Int32(), Int32Array.from(rows.map((r) => r.car)), n),
    lap: fixed(new Int32(), Int32Array.from(rows.map((r) => r.lap)), n),
    speed_kph: fixed(new Float64(), Float64Array.from(rows.map((r) => r.speed)), n),
    event_ts: fixed(new TimestampMicrosecond('UTC'), BigInt64Array.from(rows.map((r) => BigInt(r.tsMs) * 1000n)), n),
  });
}

/** Deterministic samples: 2 sessions × 4 cars × laps [from, to), 6 samples a lap. */
function samples(fromLap: number, toLap: number): Sample[] {
  const out: Sample[] = [];
  let seed = fromLap * 7919;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const [session, date] of [['S1', '2024-03-02'], ['S2', '2024-03-03']] as const) {
    for (const car of [1, 16, 44, 81]) {
      for (let lap = fromLap; lap < toLap; lap++) {
        for (let i = 0; i < 6; i++) out.push({ session, date, car, lap, speed: Math.round((180 + rnd() * 150) * 100) / 100, tsMs: Date.parse(`${date}T14:00:00Z`) + lap * 90_000 + i * 15_000 });
      }
    }
  }
  return out;
}

const PROJECT: Record<string, string> = {
  'gold_project.yml': 'name: e2e_gold\n',
  'models/sources.yml': 'version: 2\nsources:\n  - name: silver\n    tables:\n      - name: samples\n        meta: {delta_path: silver/samples}\n',
  'models/lap_stats.sql': `{{ config(materialized='incremental', unique_key=['session_id', 'car_number', 'lap'], partition_by=['session_date']) }}
select session_id, session_date, car_number, lap, count(*) as samples, avg(speed_kph) as avg_speed, max(speed_kph) as top_speed,
       (epoch_ms(max(event_ts)) - epoch_ms(min(event_ts))) as span_ms
from {{ source('silver', 'samples') }}
group by all
`,
  'models/car_summary.sql': `{{ config(materialized='table') }}
select car_number, count(*) as laps, max(top_speed) as top_speed, sum(samples) as samples from {{ ref('lap_stats') }} group by car_number
`,
  'models/schema.yml': `version: 2
models:
  - name: lap_stats
    tests:
      - unique_combination_of_columns:
          combination_of_columns: [session_id, car_number, lap]
    columns:
      - name: avg_speed
        tests: [not_null]
  - name: car_summary
    columns:
      - name: car_number
        tests: [unique, not_null]
`,
};

function writeProject(dir: string): string {
  for (const [f, text] of Object.entries(PROJECT)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** lap_stats computed in JS from every sample so far. */
function expectedLaps(all: readonly Sample[]): Map<string, { samples: number; avg: number; top: number; date: string }> {
  const m = new Map<string, { samples: number; sum: number; top: number; date: string }>();
  for (const s of all) {
    const k = `${s.session}/${s.car}/${s.lap}`;
    const e = m.get(k) ?? { samples: 0, sum: 0, top: -Infinity, date: s.date };
    e.samples++;
    e.sum += s.speed;
    e.top = Math.max(e.top, s.speed);
    m.set(k, e);
  }
  return new Map([...m].map(([k, e]) => [k, { samples: e.samples, avg: e.sum / e.samples, top: e.top, date: e.date }]));
}

async function goldLaps(): Promise<DeltaRow[]> {
  return withDeltaViews({ laps: join(tables, 'gold/lap_stats') }, (q) =>
    q("SELECT session_id || '/' || car_number || '/' || lap AS k, session_date::VARCHAR AS d, samples, avg_speed, top_speed, span_ms FROM laps ORDER BY k"));
}

describe('gold runner over Delta (independent reader)', () => {
  const all: Sample[] = [];
  let silver: DeltaTable;
  let project: Awaited<ReturnType<typeof loadProject>>;
  const build = (o: { fullRefresh?: boolean; command?: 'run' | 'build' } = {}): Promise<RunOutcome> =>
    runProject(project, { command: o.command ?? 'build', tablesDir: tables, threads: 2, ...(o.fullRefresh ? { fullRefresh: true } : {}) });

  it('build: gold tables hold the numbers computed independently', async () => {
    silver = await DeltaTable.create(new LocalFileStore(join(tables, 'silver/samples')), { schema, partitionColumns: ['session_date', 'car_number'], configuration: { 'delta.checkpointInterval': '3' } });
    for (const [a, b] of [[1, 3], [3, 5], [5, 8], [8, 10]] as const) {
      const batch = samples(a, b);
      all.push(...batch);
      await silver.append(table(batch));
    }
    project = await loadProject(writeProject(join(root, 'project')));
    const r = await build();
    expect(r.results.filter((x) => x.status !== 'success' && x.status !== 'pass')).toEqual([]);
    expect(r.exitCode).toBe(0);

    const expected = expectedLaps(all);
    const rows = await goldLaps();
    expect(rows).toHaveLength(expected.size);
    for (const row of rows) {
      const e = expected.get(String(row['k']));
      expect(e, String(row['k'])).toBeDefined();
      expect(row['d']).toBe(e?.date);
      expect(row['samples']).toBe(BigInt(e?.samples ?? -1));
      expect(row['avg_speed'] as number).toBeCloseTo(e?.avg ?? NaN, 9);
      expect(row['top_speed']).toBe(e?.top);
      expect(row['span_ms']).toBe(75_000n);
    }
    const cars = await withDeltaViews({ cars: join(tables, 'gold/car_summary') }, (q) => q('SELECT car_number, laps, samples FROM cars ORDER BY car_number'));
    expect(cars).toEqual([1, 16, 44, 81].map((c) => ({ car_number: c, laps: 18n, samples: 108n })));
    // the gold table is partitioned by session_date in its log, and records the silver version it read
    await withDeltaViews({ laps: join(tables, 'gold/lap_stats') }, async (_q, ctx) => {
      expect(ctx.tables['laps']?.partitionColumns).toEqual(['session_date']);
    });
    expect((await deltaTxnVersions(join(tables, 'gold/lap_stats'))).get('lap_stats')).toBe(silver.version);
  });

  it('incremental: a rerun commits nothing; new silver laps change only their keys in one commit', async () => {
    const before = await goldLaps();
    const v = await deltaVersion(join(tables, 'gold/lap_stats'));
    const again = await build({ command: 'run' });
    expect(again.results.find((x) => x.uniqueId === 'model.lap_stats')?.message).toMatch(/^NO NEW DATA/);
    expect(await deltaVersion(join(tables, 'gold/lap_stats'))).toBe(v);
    expect(await goldLaps()).toEqual(before);

    const batch = samples(10, 12);
    all.push(...batch);
    await silver.append(table(batch));
    await build({ command: 'run' });
    expect(await deltaVersion(join(tables, 'gold/lap_stats'))).toBe(v + 1);
    expect((await deltaTxnVersions(join(tables, 'gold/lap_stats'))).get('lap_stats')).toBe(silver.version);
    const after = await goldLaps();
    const show = (r: DeltaRow): string => JSON.stringify(r, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
    const old = new Set(before.map(show));
    const changed = after.filter((r) => !old.has(show(r))).map((r) => String(r['k']));
    expect(changed.sort()).toEqual([...expectedLaps(batch).keys()].sort());
    expect(after).toHaveLength(before.length + expectedLaps(batch).size);

    const full = await build({ command: 'run', fullRefresh: true });
    expect(full.exitCode).toBe(0);
    expect(await goldLaps()).toEqual(after);
  });
});
