/**
 * The default suites of @lakestream/quality against real simulator output:
 * they accept every event 10 minutes of an F1 session produce and every
 * sample of a small satellite run (as silver rows), and reject each kind of
 * corruption, one at a time, with the expectation that should catch it.
 * Here rather than in libs/quality: quality is io:pure and may not depend on
 * libs/sim (which writes files).
 */
import type { Table } from 'apache-arrow';
import { f1EventSuite, f1SilverSuite, satelliteSuite, validate, type Suite, type ValidationResult } from '@lakestream/quality';
import { F1_EVENT_TYPES, type F1Event, type SatelliteSample } from '@lakestream/schema';
import { F1Simulator, generateSatelliteRows, satelliteName } from '@lakestream/sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { f1SilverRows, f1SilverTable, satelliteSilverRows, satelliteSilverTable, type Row } from './quality-tables.js';

const TEN_MINUTES_NS = 600n * 1_000_000_000n;

let f1Rows: Row[];
let nowMs: number;

beforeAll(() => {
  const sim = new F1Simulator({ cars: 4, seed: 9 });
  const end = sim.session.start_time_ns + TEN_MINUTES_NS;
  const events: F1Event[] = [];
  for (const e of sim.events()) {
    if (e.event_time_ns >= end) break;
    events.push(e);
  }
  f1Rows = f1SilverRows(events, sim.session);
  nowMs = Number(end / 1_000_000n) + 1_000;
});

function run(table: Table, suite: Suite): ValidationResult {
  return validate(table, suite, { now: nowMs, resultFormat: 'COMPLETE' });
}

/** `type column` of each failed expectation, e.g. `expect_column_values_to_be_between speed_kph`. */
function failed(result: ValidationResult): string[] {
  return result.results.filter((r) => !r.success).map((r) => `${r.type} ${r.columns.join(',')}`);
}

function expectAllPass(result: ValidationResult): void {
  expect(failed(result), result.results.find((r) => !r.success)?.error ?? '').toEqual([]);
  expect(result.success).toBe(true);
  expect(result.verdict.passedCount).toBe(result.rowCount);
  expect(result.verdict.failedRows.length).toBe(0);
}

describe('default suites accept what the simulators produce', () => {
  it('f1.silver: every row of 10 minutes of a 4-car race', () => {
    expect(f1Rows.length).toBeGreaterThan(200_000);
    expectAllPass(run(f1SilverTable(f1Rows), f1SilverSuite()));
  });

  it('f1.silver.<type>: the rows of each event type, payload required', () => {
    for (const type of F1_EVENT_TYPES) {
      const rows = f1Rows.filter((r) => r['event_type'] === type);
      expect(rows.length, type).toBeGreaterThan(0);
      expectAllPass(run(f1SilverTable(rows), f1EventSuite(type)));
    }
  });

  it('satellite.silver: every sample of a 5-satellite run', () => {
    const start = BigInt(nowMs - 60_000) * 1_000_000n;
    const samples: SatelliteSample[] = [];
    for (let s = 0; s < 5; s++)
      generateSatelliteRows(s, { samples: 200, seed: 3 }).forEach((row, k) =>
        samples.push({ satellite: satelliteName(s), timestamp_ns: start + BigInt(k * 5 + s) * 10_000_000n, ...row }),
      );
    expectAllPass(run(satelliteSilverTable(satelliteSilverRows(samples)), satelliteSuite()));
  });
});

describe('default suites reject each kind of corruption, one at a time', () => {
  const N = 3_000;
  let base: Row[];
  beforeAll(() => {
    base = f1Rows.slice(0, N).map((r) => ({ ...r }));
  });
  const index = (pred: (r: Row) => boolean, from = 100): number => {
    const i = base.findIndex((r, k) => k >= from && pred(r));
    expect(i).toBeGreaterThanOrEqual(0);
    return i;
  };
  const corrupt = (mutate: (rows: Row[]) => void): Row[] => {
    const rows = base.map((r) => ({ ...r }));
    mutate(rows);
    return rows;
  };
  const quarantined = (result: ValidationResult): number[] => Array.from(result.verdict.failedRows);

  it('the clean slice passes', () => {
    expectAllPass(run(f1SilverTable(base), f1SilverSuite()));
  });

  it('out of range: speed_kph 401', () => {
    const i = index((r) => r['event_type'] === 'position');
    const result = run(f1SilverTable(corrupt((rows) => void ((rows[i] as Row)['speed_kph'] = 401))), f1SilverSuite());
    expect(failed(result)).toEqual(['expect_column_values_to_be_between speed_kph']);
    expect(quarantined(result)).toEqual([i]);
    expect(result.verdict.reason(i)).toContain('speed_kph');
    expect(result.verdict.reason(i)).toContain('401');
  });

  it('null: a required column (lap) and, per type, a payload field (pressure_psi of a tire row)', () => {
    const i = index(() => true);
    const result = run(f1SilverTable(corrupt((rows) => void ((rows[i] as Row)['lap'] = null))), f1SilverSuite());
    expect(failed(result)).toEqual(['expect_column_values_to_not_be_null lap']);
    expect(quarantined(result)).toEqual([i]);

    const tires = base.filter((r) => r['event_type'] === 'tire').map((r) => ({ ...r }));
    (tires[7] as Row)['pressure_psi'] = null;
    const byType = run(f1SilverTable(tires), f1EventSuite('tire'));
    expect(failed(byType)).toEqual(['expect_column_values_to_not_be_null pressure_psi']);
    expect(quarantined(byType)).toEqual([7]);
    // In the whole silver table a null payload column is not a failure (other types' rows have them null).
    expect(run(f1SilverTable(tires), f1SilverSuite()).success).toBe(true);
  });

  it('bad enum: compound SUPERSOFT, event_type brakes', () => {
    const i = index((r) => r['event_type'] === 'tire');
    const result = run(f1SilverTable(corrupt((rows) => void ((rows[i] as Row)['compound'] = 'SUPERSOFT'))), f1SilverSuite());
    expect(failed(result)).toEqual(['expect_column_values_to_be_in_set compound']);
    expect(quarantined(result)).toEqual([i]);
    const j = index(() => true, 500);
    const other = run(f1SilverTable(corrupt((rows) => void ((rows[j] as Row)['event_type'] = 'brakes'))), f1SilverSuite());
    expect(failed(other)).toEqual(['expect_column_values_to_be_in_set event_type']);
  });

  it('duplicate key: an event delivered twice', () => {
    const i = index(() => true, 1_000);
    const rows = corrupt((rs) => void rs.splice(i + 1, 0, { ...(rs[i] as Row) }));
    const result = run(f1SilverTable(rows), f1SilverSuite());
    // The copy repeats (session_id, car_number, event_id); it is also not strictly after the original.
    expect(failed(result)).toContain('expect_compound_columns_to_be_unique session_id,car_number,event_id');
    for (const f of failed(result)) expect(['expect_compound_columns_to_be_unique session_id,car_number,event_id', 'expect_column_values_to_be_increasing event_id,session_id,car_number']).toContain(f);
    expect(quarantined(result)).toContain(i + 1);
  });

  it('non-increasing id: two events of a car swapped', () => {
    const i = index(() => true, 1_000);
    const car = base[i]?.['car_number'];
    const j = base.findIndex((r, k) => k > i && r['car_number'] === car);
    const rows = corrupt((rs) => {
      const a = rs[i] as Row;
      const b = rs[j] as Row;
      [a['event_id'], b['event_id']] = [b['event_id'], a['event_id']];
    });
    const result = run(f1SilverTable(rows), f1SilverSuite());
    expect(failed(result)).toEqual(['expect_column_values_to_be_increasing event_id,session_id,car_number']);
    expect(quarantined(result).length).toBeGreaterThan(0);
  });

  it('stale time and time from the future', () => {
    const i = index(() => true);
    const stale = BigInt(nowMs - 7 * 3_600_000) * 1_000_000n;
    const result = run(f1SilverTable(corrupt((rows) => void ((rows[i] as Row)['event_time_ns'] = stale))), f1SilverSuite());
    expect(failed(result)).toEqual(['expect_column_values_to_be_fresh event_time_ns']);
    expect(quarantined(result)).toEqual([i]);
    const future = BigInt(nowMs + 3_600_000) * 1_000_000n;
    const ahead = run(f1SilverTable(corrupt((rows) => void ((rows[i] as Row)['event_time_ns'] = future))), f1SilverSuite());
    expect(failed(ahead)).toEqual(['expect_column_values_to_be_fresh event_time_ns']);
  });

  it('implausible tyre pressure: warned and counted, not quarantined', () => {
    const i = index((r) => r['event_type'] === 'tire');
    const result = run(f1SilverTable(corrupt((rows) => void ((rows[i] as Row)['pressure_psi'] = 38))), f1SilverSuite());
    expect(failed(result)).toEqual(['expect_column_values_to_be_between pressure_psi']);
    expect(result.results.find((r) => !r.success)?.severity).toBe('warn');
    expect(result.verdict.passedCount).toBe(N);
  });
});
