/**
 * lap_metrics is incremental: a second `gold build` after new silver rows
 * merges only the touched keys (one MERGE commit recording the silver version)
 * and gives exactly the table a single build over all the rows gives — laps
 * that span the two loads included. A third build with nothing new commits
 * nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quarantineTable, TABLES } from '@lakestream/schema';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { afterAll, expect, it } from 'vitest';
import { rowsToTable } from './support/arrow-rows.js';
import { writeTable } from './support/delta-fixture.js';
import { silverF1Rows } from './support/f1-silver.js';
import { withGoldTables } from './support/run-gold.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function emptyOthers(root: string): Promise<void> {
  await writeTable(root, TABLES.satelliteSilver, []);
  await writeTable(root, TABLES.validationResults, []);
  await writeTable(root, quarantineTable('f1'), []);
  await writeTable(root, quarantineTable('satellite'), []);
}

const LAPS = 'SELECT * EXCLUDE (session_date) FROM lap_metrics ORDER BY car_number, lap';
const plain = (rows: readonly Record<string, unknown>[]): string => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
/** Same rows, doubles equal to 12 significant digits (sums over other file orders differ in the last bits). */
function expectSameRows(actual: readonly Record<string, unknown>[], expected: readonly Record<string, unknown>[]): void {
  expect(actual.map((r) => r['lap_key'])).toEqual(expected.map((r) => r['lap_key']));
  const round = (v: unknown): unknown => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v);
  const norm = (rows: readonly Record<string, unknown>[]): unknown => JSON.parse(plain(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)])))));
  expect(norm(actual)).toEqual(norm(expected));
}

it('an incremental build after new rows equals one build over all rows; a rerun with nothing new commits nothing', async () => {
  const rows = silverF1Rows();
  const times = rows.map((r) => Number(r['event_time'])).sort((a, b) => a - b);
  const cut = times[Math.floor(times.length / 2)] as number;
  // The second load arrives an hour later (ingested_at), mid-lap for every car.
  const first = rows.filter((r) => Number(r['event_time']) < cut);
  const second = rows.filter((r) => Number(r['event_time']) >= cut).map((r) => ({ ...r, ingested_at: Number(r['ingested_at']) + 3_600_000 }));

  const once = mkdtempSync(join(tmpdir(), 'gold-inc-once-'));
  const twice = mkdtempSync(join(tmpdir(), 'gold-inc-twice-'));
  roots.push(once, twice);
  await writeTable(once, TABLES.f1Silver, [first, second]);
  await emptyOthers(once);
  const expected = await withGoldTables(once, (query) => query(LAPS));
  expect(expected.length).toBeGreaterThan(3);

  await writeTable(twice, TABLES.f1Silver, [first]);
  await emptyOthers(twice);
  await withGoldTables(twice, async () => undefined);
  const gold = join(twice, 'gold', 'lap_metrics');
  const v1 = (await DeltaTable.open(new LocalFileStore(gold))).version;
  const silver = await DeltaTable.open(new LocalFileStore(join(twice, TABLES.f1Silver.path)));
  await silver.append(rowsToTable(TABLES.f1Silver.schema, second));
  const merged = await withGoldTables(twice, async (query, outcome) => {
    expect(outcome.results.find((r) => r.uniqueId === 'model.lap_metrics')?.message).toMatch(/^MERGE \d+/);
    return query(LAPS);
  });
  expectSameRows(merged, expected);
  const after = await DeltaTable.open(new LocalFileStore(gold));
  expect(after.version).toBe(v1 + 1);
  expect(after.txnVersion('lap_metrics')).toBe(silver.version);

  await withGoldTables(twice, async (_query, outcome) => {
    expect(outcome.results.find((r) => r.uniqueId === 'model.lap_metrics')?.message).toMatch(/^NO NEW DATA/);
  });
  expect((await DeltaTable.open(new LocalFileStore(gold))).version).toBe(v1 + 1);
});
