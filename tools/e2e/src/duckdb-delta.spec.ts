import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateDay, Field, Float64, Int64, Schema, Table, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaTable, LocalFileStore, loadSnapshot, optimize } from '@lakestream/sink';
import { deltaTxnVersions, deltaVersion, readDeltaState, withDeltaViews } from '@lakestream/testing';

/**
 * The independent DuckDB Delta reader (@lakestream/testing) against tables
 * written by @lakestream/sink: partitioned by a date and a string, with
 * checkpoints, txn-only commits, overwrites and optimize (removes). Counts,
 * sums, partition values and txns must agree with what was written and with
 * the sink's own reader.
 */
const root = mkdtempSync(join(tmpdir(), 'e2e-duckdb-delta-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const schema = new Schema([
  new Field('session_date', new DateDay(), true),
  new Field('event_type', new Utf8(), true),
  new Field('event_id', new Int64(), false),
  new Field('speed', new Float64(), true),
  new Field('ts', new TimestampMicrosecond('UTC'), true),
]);

const DAY = 86_400_000;
const BASE_DAY = Date.UTC(2024, 4, 26);
const TYPES = ['lap', 'telemetry', 'pit stop/å%', null] as const;

interface Row {
  readonly day: number;
  readonly type: string | null;
  readonly id: bigint;
  readonly speed: number | null;
}

function rows(start: number, count: number): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const i = start + k;
    return { day: BASE_DAY + (i % 3) * DAY, type: TYPES[i % TYPES.length] ?? null, id: BigInt(i), speed: i % 5 === 0 ? null : i * 0.5 };
  });
}

function toArrow(list: readonly Row[]): Table {
  return new Table({
    session_date: vectorFromArray(list.map((r) => new Date(r.day)), new DateDay()),
    event_type: vectorFromArray(list.map((r) => r.type), new Utf8()),
    event_id: vectorFromArray(list.map((r) => r.id), new Int64()),
    speed: vectorFromArray(list.map((r) => r.speed), new Float64()),
    ts: vectorFromArray(list.map((r) => 1_716_700_000_000 + Number(r.id)), new TimestampMicrosecond('UTC')),
  });
}

const summary = (list: readonly Row[]) => ({
  n: list.length,
  sumSpeed: list.reduce((s, r) => s + (r.speed ?? 0), 0),
  sumId: list.reduce((s, r) => s + r.id, 0n),
});

describe('DuckDB Delta reader over tables written by @lakestream/sink', () => {
  it('agrees on rows, partition values and txns through checkpoints, txn-only commits, overwrite and optimize', async () => {
    const dir = join(root, 'bronze');
    const store = new LocalFileStore(dir);
    expect(await deltaVersion(dir)).toBe(-1);
    const table = await DeltaTable.create(store, { schema, partitionColumns: ['session_date', 'event_type'], configuration: { 'delta.checkpointInterval': '3' } });
    let live: Row[] = [];
    // Micro-batches with txn ids per "partition" (app-topic-p), as the consumer writes them.
    for (let b = 0; b < 5; b++) {
      const batch = rows(b * 40, 40);
      await table.append(toArrow(batch), { txn: [{ appId: 'app-f1-telemetry-0', version: b * 40 + 39 }, { appId: 'app-f1-telemetry-1', version: b * 10 }] });
      live = live.concat(batch);
    }
    // A quiet partition: a commit with txn actions alone.
    await table.append(toArrow([]), { txn: [{ appId: 'app-f1-telemetry-2', version: 17 }] });
    // Overwrite one event type (removes its files, adds new ones).
    const replacement = rows(1000, 8).map((r) => ({ ...r, type: 'lap' }));
    await table.overwrite(toArrow(replacement), { where: { event_type: 'lap' } });
    live = live.filter((r) => r.type !== 'lap').concat(replacement);
    // Compaction: removes + adds with the same rows.
    const compacted = await optimize(table, { targetFileSize: 1 << 20 });
    expect(compacted.filesRemoved).toBeGreaterThan(0);
    // One more batch after the latest checkpoint.
    const last = rows(2000, 12);
    await table.append(toArrow(last), { txn: [{ appId: 'app-f1-telemetry-0', version: 2011 }] });
    live = live.concat(last);

    const ours = await loadSnapshot(store);
    const state = await readDeltaState(dir);
    expect(state.version).toBe(ours.version);
    expect(await deltaVersion(dir)).toBe(ours.version);
    expect(state.checkpointVersion).not.toBeNull();
    expect(state.checkpointVersion).toBeGreaterThanOrEqual(3);
    expect(state.files.map((f) => f.path)).toEqual([...ours.files.keys()].sort());

    // txns: DuckDB's replay, the sink's replay and what was written all agree.
    const txns = await deltaTxnVersions(dir);
    expect(Object.fromEntries(txns)).toEqual({ 'app-f1-telemetry-0': 2011, 'app-f1-telemetry-1': 40, 'app-f1-telemetry-2': 17 });
    expect(Object.fromEntries([...ours.appTransactions].map(([id, t]) => [id, Number(t.version)]))).toEqual(Object.fromEntries(txns));

    const expected = summary(live);
    await withDeltaViews({ bronze: dir }, async (query) => {
      const [totals] = await query('SELECT count(*) AS n, sum(speed) AS s, sum(event_id) AS ids, count(DISTINCT event_id) AS d FROM bronze');
      expect(totals?.['n']).toBe(BigInt(expected.n));
      expect(totals?.['d']).toBe(BigInt(expected.n));
      expect(totals?.['s']).toBeCloseTo(expected.sumSpeed, 6);
      expect(BigInt(String(totals?.['ids']))).toBe(expected.sumId);
      // Partition values come back typed (DATE, VARCHAR incl. escapes and NULL), per group.
      const types = await query('DESCRIBE bronze');
      expect(types.map((r) => [r['column_name'], r['column_type']])).toEqual([
        ['session_date', 'DATE'], ['event_type', 'VARCHAR'], ['event_id', 'BIGINT'], ['speed', 'DOUBLE'], ['ts', 'TIMESTAMP WITH TIME ZONE'],
      ]);
      const groups = await query(`SELECT strftime(session_date, '%Y-%m-%d') AS day, coalesce(event_type, '<null>') AS type, count(*) AS n FROM bronze GROUP BY ALL ORDER BY ALL`);
      const want = new Map<string, number>();
      for (const r of live) {
        const key = `${new Date(r.day).toISOString().slice(0, 10)}|${r.type ?? '<null>'}`;
        want.set(key, (want.get(key) ?? 0) + 1);
      }
      expect(Object.fromEntries(groups.map((g) => [`${String(g['day'])}|${String(g['type'])}`, Number(g['n'])]))).toEqual(Object.fromEntries(want));
      // Row by row: each event id sits in the partition it was written to.
      const misplaced = await query(`SELECT count(*) AS n FROM bronze WHERE event_id < 1000 AND (
          session_date <> DATE '2024-05-26' + CAST(event_id % 3 AS INTEGER)
          OR coalesce(event_type, '') <> coalesce(['lap', 'telemetry', 'pit stop/å%', NULL][CAST(event_id % 4 AS INTEGER) + 1], ''))`);
      expect(misplaced[0]?.['n']).toBe(0n);
    });
    // The sink's own reader agrees.
    expect((await table.read()).numRows).toBe(expected.n);
  });

  it('an empty table is an empty view with the schema columns; txn-only commits count as versions', async () => {
    const dir = join(root, 'quarantine');
    const table = await DeltaTable.create(new LocalFileStore(dir), { schema, partitionColumns: ['event_type'] });
    await table.append(toArrow([]), { txn: [{ appId: 'app-sat-data-0', version: 99 }] });
    expect(await deltaVersion(dir)).toBe(1);
    expect(Object.fromEntries(await deltaTxnVersions(dir))).toEqual({ 'app-sat-data-0': 99 });
    await withDeltaViews({ q: dir }, async (query, { tables }) => {
      expect(tables['q']?.files).toEqual([]);
      expect(await query('SELECT count(*) AS n FROM q')).toEqual([{ n: 0n }]);
      expect((await query('DESCRIBE q')).map((r) => r['column_name'])).toEqual(['session_date', 'event_type', 'event_id', 'speed', 'ts']);
    });
  });
});
