/**
 * lap_metrics and session_metrics on hand-built silver rows with known lap times,
 * speeds and temperatures, checked against an independent TypeScript computation
 * (support/f1-expected.ts) of the definitions in project/models/marts/schema.yml.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quarantineTable, TABLES } from '@lakestream/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTable } from './support/delta-fixture.js';
import { expectedLaps, expectedSessions } from './support/f1-expected.js';
import { CAR_PLANS, CORNERS, SESSION, silverF1Rows } from './support/f1-silver.js';
import { withGoldTables } from './support/run-gold.js';
import type { DeltaRow } from '@lakestream/testing';

const root = mkdtempSync(join(tmpdir(), 'gold-models-f1-'));
let laps: DeltaRow[] = [];
let sessions: DeltaRow[] = [];

beforeAll(async () => {
  const rows = silverF1Rows();
  // Two commits, cars split across them: the models read the whole snapshot.
  await writeTable(root, TABLES.f1Silver, [rows.filter((r) => r['car_number'] === 44), rows.filter((r) => r['car_number'] !== 44)]);
  await writeTable(root, TABLES.satelliteSilver, []);
  await writeTable(root, TABLES.validationResults, []);
  await writeTable(root, quarantineTable('f1'), []);
  await writeTable(root, quarantineTable('satellite'), []);
  await withGoldTables(root, async (query, outcome) => {
    expect(outcome.results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => `${r.uniqueId}: ${r.status} ${r.message}`)).toEqual([]);
    laps = await query('SELECT * FROM lap_metrics ORDER BY car_number, lap');
    sessions = await query('SELECT * FROM session_metrics ORDER BY car_number');
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

describe('lap_metrics', () => {
  it('has one row per (session, car, lap) observed, with its key and session context', () => {
    const expected = CAR_PLANS.flatMap((p) => expectedLaps(p).map((l) => `${SESSION.session_id}/${p.car}/${l.lap}`)).sort();
    expect(laps.map((r) => r['lap_key']).sort()).toEqual(expected);
    for (const r of laps) {
      expect(r).toMatchObject({ session_id: SESSION.session_id, session_type: SESSION.session_type, track: SESSION.track });
      expect((r['session_date'] as Date).toISOString().slice(0, 10)).toBe(SESSION.session_date);
    }
  });

  it('lap and sector times from position events; null for the open lap', () => {
    for (const plan of CAR_PLANS) {
      for (const e of expectedLaps(plan)) {
        const row = laps.find((r) => r['car_number'] === plan.car && r['lap'] === e.lap);
        const at = `car ${plan.car} lap ${e.lap}`;
        if (e.lapTime === null) {
          expect(row?.['lap_time_s'], at).toBeNull();
          expect(row?.['sector3_s'], at).toBeNull();
          continue;
        }
        expect(num(row?.['lap_time_s']), at).toBeCloseTo(e.lapTime, 9);
        expect(num(row?.['sector1_s']), at).toBeCloseTo(e.sectors[0] as number, 9);
        expect(num(row?.['sector2_s']), at).toBeCloseTo(e.sectors[1] as number, 9);
        expect(num(row?.['sector3_s']), at).toBeCloseTo(e.sectors[2] as number, 9);
      }
    }
  });

  it('speed, pedals, rpm, ERS energy, DRS time, gear shifts and system counts', () => {
    for (const plan of CAR_PLANS) {
      for (const e of expectedLaps(plan)) {
        const row = laps.find((r) => r['car_number'] === plan.car && r['lap'] === e.lap) ?? {};
        const at = `car ${plan.car} lap ${e.lap}`;
        expect(num(row['avg_speed_kph']), at).toBeCloseTo(e.avgSpeed, 9);
        expect(num(row['top_speed_kph']), at).toBeCloseTo(e.topSpeed, 9);
        expect(num(row['avg_throttle_pct']), at).toBeCloseTo(e.avgThrottle, 9);
        expect(num(row['full_throttle_pct']), at).toBeCloseTo(e.fullThrottlePct, 9);
        expect(num(row['avg_brake_pct']), at).toBeCloseTo(e.avgBrake, 9);
        expect(num(row['braking_pct']), at).toBeCloseTo(e.brakingPct, 9);
        expect(num(row['max_rpm']), at).toBe(e.maxRpm);
        expect(num(row['ers_deployed_kj']), at).toBeCloseTo(e.ersDeployedKj, 6);
        expect(num(row['ers_harvested_kj']), at).toBeCloseTo(e.ersHarvestedKj, 6);
        expect(num(row['drs_open_s']), at).toBeCloseTo(e.drsOpenS, 9);
        expect(num(row['gear_shifts']), at).toBe(e.gearShifts);
        expect(num(row['warning_count']), at).toBe(e.warnings);
        expect(num(row['error_count']), at).toBe(e.errors);
      }
    }
  });

  it('tyre temperature and pressure per corner (avg and max)', () => {
    for (const plan of CAR_PLANS) {
      for (const e of expectedLaps(plan)) {
        const row = laps.find((r) => r['car_number'] === plan.car && r['lap'] === e.lap) ?? {};
        for (const c of CORNERS) {
          const k = c.toLowerCase();
          const at = `car ${plan.car} lap ${e.lap} ${c}`;
          expect(num(row[`tyre_temp_avg_${k}`]), at).toBeCloseTo(e.tyreTempAvg[c] as number, 9);
          expect(num(row[`tyre_temp_max_${k}`]), at).toBeCloseTo(e.tyreTempMax[c] as number, 9);
          expect(num(row[`tyre_pressure_avg_${k}`]), at).toBeCloseTo(e.tyrePressureAvg[c] as number, 9);
          expect(num(row[`tyre_pressure_max_${k}`]), at).toBeCloseTo(e.tyrePressureMax[c] as number, 9);
        }
        expect(row['tyre_compound'], `car ${plan.car} lap ${e.lap}`).toBe(e.lap < 2 ? 'SOFT' : 'MEDIUM');
      }
    }
  });
});

describe('session_metrics', () => {
  it('laps, best/avg lap, consistency, top speed, position by best lap, warnings', () => {
    const expected = expectedSessions();
    expect(sessions).toHaveLength(expected.length);
    for (const e of expected) {
      const row = sessions.find((r) => r['car_number'] === e.car) ?? {};
      const at = `car ${e.car}`;
      expect(row['session_car_key'], at).toBe(`${SESSION.session_id}/${e.car}`);
      expect(num(row['laps']), at).toBe(e.laps);
      expect(num(row['best_lap_s']), at).toBeCloseTo(e.best as number, 9);
      expect(num(row['avg_lap_s']), at).toBeCloseTo(e.avg as number, 9);
      if (e.stddev === null) expect(row['lap_time_stddev_s'], at).toBeNull();
      else expect(num(row['lap_time_stddev_s']), at).toBeCloseTo(e.stddev, 9);
      expect(num(row['top_speed_kph']), at).toBeCloseTo(e.topSpeed, 9);
      expect(num(row['position_by_best_lap']), at).toBe(e.position);
      expect(num(row['warning_count']), at).toBe(e.warnings);
      expect(num(row['error_count']), at).toBe(e.errors);
    }
    // The plans are built so that positions are 1, 2, 3 (car 1 fastest).
    expect(expected.map((e) => [e.car, e.position])).toEqual([[44, 2], [1, 1], [16, 3]]);
  });
});
