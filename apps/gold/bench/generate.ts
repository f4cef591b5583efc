/**
 * Writes the bench's silver inputs as Delta tables through @lakestream/sink
 * under `<root>` (the Delta root layout gold reads: silver/telemetry_enriched,
 * silver/satellite_samples, quality/validation_results, quarantine/<source>),
 * one `append` per ~500k-row chunk (F1: a time slice of every car, as the
 * consumer's micro-batches are). Not timed by the bench.
 */
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { quarantineTable, TABLES, type TableSpec } from '@lakestream/schema';
import { join } from 'node:path';
import { baseChunks, CARS, f1Plan, f1Rows, type F1Plan, type Segment } from './f1-rows.js';
import { quarantineRows, satelliteRows, validationRows } from './other-rows.js';

export const CHUNK_ROWS = 500_000;

export interface Generated {
  readonly plan: F1Plan;
  readonly f1Rows: number;
  readonly satelliteRows: number;
  readonly seconds: number;
}

async function create(root: string, spec: TableSpec): Promise<DeltaTable> {
  return DeltaTable.create(new LocalFileStore(join(root, spec.path)), { schema: spec.schema, partitionColumns: spec.partitionColumns });
}

export async function generate(root: string, rows: number, log: (line: string) => void): Promise<Generated> {
  const t0 = performance.now();
  const plan = f1Plan(rows);
  const f1 = await create(root, TABLES.f1Silver);
  let written = 0;
  for (const chunk of baseChunks(plan, CHUNK_ROWS)) {
    const table = f1Rows(plan, chunk, BigInt(written));
    await f1.append(table);
    written += table.numRows;
    log(`  silver/telemetry_enriched: ${written.toLocaleString('en-US')} / ${plan.rows.toLocaleString('en-US')} rows (v${f1.version})`);
  }
  const satRows = Math.max(60_000, Math.round(rows / 10));
  const sat = await create(root, TABLES.satelliteSilver);
  for (let from = 0; from < satRows; from += CHUNK_ROWS) await sat.append(satelliteRows(from, Math.min(CHUNK_ROWS, satRows - from)));
  log(`  silver/satellite_samples: ${satRows.toLocaleString('en-US')} rows`);
  const minutes = 180;
  await (await create(root, TABLES.validationResults)).append(validationRows(minutes));
  await (await create(root, quarantineTable('f1'))).append(quarantineRows('f1', 1_000, minutes));
  await (await create(root, quarantineTable('satellite'))).append(quarantineRows('satellite', 200, minutes));
  log(`  quality/validation_results: ${minutes * 2} rows, quarantine/f1: 1000, quarantine/satellite: 200`);
  return { plan, f1Rows: plan.rows, satelliteRows: satRows, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The incremental step's new rows: `total / cars` events for each of the
 * first `cars` cars of the race, starting at a lap boundary after the base
 * rows (new laps only; the last base lap is left as it was); `round` n
 * starts after the laps of rounds 0..n-1.
 */
export function newLapSegments(plan: F1Plan, total: number, round: number, cars = 10): Segment[] {
  const perCar = Math.ceil(total / cars);
  const laps = (events: number): number => Math.ceil(events / plan.perLap) * plan.perLap;
  const from = laps(plan.perStream) + round * laps(perCar);
  return Array.from({ length: Math.min(cars, CARS.length) }, (_, car) => ({ session: 1, car, from, count: perCar }));
}

/** Appends the new rows (ingested one hour after the race's base rows) in one commit; returns the new rows and laps per car. */
export async function appendNewLaps(root: string, plan: F1Plan, total: number, round: number): Promise<{ rows: number; firstLap: number; lastLap: number; cars: number; version: number }> {
  const segments = newLapSegments(plan, total, round);
  const table = await DeltaTable.open(new LocalFileStore(join(root, TABLES.f1Silver.path)));
  const rows = f1Rows(plan, segments, BigInt(plan.rows + round * total), 3_600_000_000n * BigInt(round + 1));
  await table.append(rows);
  const first = segments[0] as Segment;
  return { rows: rows.numRows, firstLap: Math.floor(first.from / plan.perLap), lastLap: Math.floor((first.from + first.count - 1) / plan.perLap), cars: segments.length, version: table.version };
}
