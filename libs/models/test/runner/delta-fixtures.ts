/** Small Delta tables for the runner's tests, written with @lakestream/sink (real logs, Parquet, checkpoints). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import * as arrow from 'apache-arrow';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A laps table: session_date (date, partition), car (int, partition), lap (int), lap_ms (long), speed (double), ts (timestamp). */
export const lapsSchema = new arrow.Schema([
  new arrow.Field('session_date', new arrow.DateDay(), true),
  new arrow.Field('car', new arrow.Int32(), true),
  new arrow.Field('lap', new arrow.Int32(), true),
  new arrow.Field('lap_ms', new arrow.Int64(), true),
  new arrow.Field('speed', new arrow.Float64(), true),
  new arrow.Field('driver', new arrow.Utf8(), true),
  new arrow.Field('ts', new arrow.TimestampMicrosecond('UTC'), true),
]);

export interface Lap { date: string; car: number; lap: number; lapMs: number; speed: number; driver: string | null; tsMs: number }

export function lapsTable(rows: readonly Lap[]): arrow.Table {
  const days = (d: string): number => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const vec = <T extends arrow.DataType>(type: T, data: unknown): arrow.Vector<T> => arrow.makeVector(arrow.makeData({ type, length: rows.length, nullCount: 0, data } as never)) as unknown as arrow.Vector<T>;
  return new arrow.Table({
    session_date: vec(new arrow.DateDay(), Int32Array.from(rows.map((r) => days(r.date)))),
    car: vec(new arrow.Int32(), Int32Array.from(rows.map((r) => r.car))),
    lap: vec(new arrow.Int32(), Int32Array.from(rows.map((r) => r.lap))),
    lap_ms: vec(new arrow.Int64(), BigInt64Array.from(rows.map((r) => BigInt(r.lapMs)))),
    speed: vec(new arrow.Float64(), Float64Array.from(rows.map((r) => r.speed))),
    driver: arrow.vectorFromArray(rows.map((r) => r.driver), new arrow.Utf8()),
    ts: vec(new arrow.TimestampMicrosecond('UTC'), BigInt64Array.from(rows.map((r) => BigInt(r.tsMs) * 1000n))),
  });
}

/** Creates `<root>/<path>` partitioned by session_date, car (checkpoint every 2 commits) and appends each batch as one commit. */
export async function writeLaps(root: string, path: string, batches: readonly (readonly Lap[])[]): Promise<DeltaTable> {
  const table = await DeltaTable.create(new LocalFileStore(join(root, path)), {
    schema: lapsSchema, partitionColumns: ['session_date', 'car'], configuration: { 'delta.checkpointInterval': '2' },
  });
  for (const b of batches) await table.append(lapsTable(b));
  return table;
}

export function lap(car: number, n: number, lapMs: number, over: Partial<Lap> = {}): Lap {
  return { date: '2024-03-02', car, lap: n, lapMs, speed: 200 + n, driver: `D${car}`, tsMs: Date.UTC(2024, 2, 2, 14, 0, 0) + n * 90_000, ...over };
}
