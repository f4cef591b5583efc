/**
 * satellite_health, pipeline_expectations and pipeline_quality on hand-built rows,
 * against figures computed here; and the project's singular tests hold on the fixtures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quarantineTable, TABLES } from '@lakestream/schema';
import type { DeltaRow } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTable } from './support/delta-fixture.js';
import { silverF1Rows } from './support/f1-silver.js';
import { F1_QUARANTINE, quarantineRows, SAMPLES_PER_SATELLITE, SAT_QUARANTINE, satelliteSample, SATELLITES, satelliteRows, validationRows } from './support/other-silver.js';
import { withGoldTables } from './support/run-gold.js';

const root = mkdtempSync(join(tmpdir(), 'gold-models-sat-'));
let health: DeltaRow[] = [];
let expectations: DeltaRow[] = [];
let quality: DeltaRow[] = [];
const failures = new Map<string, number>();
let models: string[] = [];

beforeAll(async () => {
  await writeTable(root, TABLES.f1Silver, [silverF1Rows()]);
  await writeTable(root, TABLES.satelliteSilver, [satelliteRows()]);
  await writeTable(root, TABLES.validationResults, [validationRows()]);
  await writeTable(root, quarantineTable('f1'), [quarantineRows('f1', F1_QUARANTINE)]);
  await writeTable(root, quarantineTable('satellite'), [quarantineRows('satellite', SAT_QUARANTINE)]);
  await withGoldTables(root, async (query, outcome) => {
    health = await query('SELECT * FROM satellite_health ORDER BY satellite, minute_start');
    expectations = await query('SELECT * FROM pipeline_expectations ORDER BY source, window_start, expectation');
    quality = await query('SELECT * FROM pipeline_quality ORDER BY source, window_start');
    // Every test of the build (generic and singular), by name → failing rows.
    for (const r of outcome.results) if (r.uniqueId.startsWith('test.')) failures.set(r.uniqueId.slice('test.'.length), r.failures ?? (r.status === 'pass' ? 0 : -1));
    models = outcome.results.filter((r) => r.uniqueId.startsWith('model.')).map((r) => `${r.uniqueId}:${r.status}`);
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const n = (v: unknown): number => Number(v);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('satellite_health', () => {
  it('one row per satellite and minute with min/avg/max, trends, sensor stats and flags', () => {
    expect(health).toHaveLength(SATELLITES.length * 3);
    for (const sat of SATELLITES) {
      for (let minute = 0; minute < 3; minute++) {
        const samples = Array.from({ length: 12 }, (_, i) => satelliteSample(sat, minute * 12 + i));
        const row = health.find((r) => r['satellite'] === sat && (r['minute_start'] as Date).getTime() === Date.parse('2026-03-01T12:00:00Z') + minute * 60_000) ?? {};
        const at = `${sat} minute ${minute}`;
        const temps = samples.map((s) => s['temp_c'] as number);
        expect(row['health_key'], at).toBe(`${sat}/2026-03-01T12:0${minute}`);
        expect(n(row['sample_count']), at).toBe(12);
        expect(n(row['temp_min_c']), at).toBeCloseTo(Math.min(...temps), 9);
        expect(n(row['temp_avg_c']), at).toBeCloseTo(mean(temps), 9);
        expect(n(row['temp_max_c']), at).toBeCloseTo(Math.max(...temps), 9);
        // battery falls 0.5 % per 5 s sample: −5.5 over the minute's 12 samples, a slope of −6 %/min
        expect(n(row['battery_change_pct']), at).toBeCloseTo(-5.5, 9);
        expect(n(row['battery_slope_pct_per_min']), at).toBeCloseTo(-6, 6);
        expect(n(row['altitude_change_km']), at).toBeCloseTo(22, 9);
        const s1 = samples.map((s) => s['sensor1'] as number);
        const m1 = mean(s1);
        expect(n(row['sensor1_avg']), at).toBeCloseTo(m1, 9);
        expect(n(row['sensor1_stddev']), at).toBeCloseTo(Math.sqrt(s1.reduce((a, x) => a + (x - m1) ** 2, 0) / 11), 9);
        expect(n(row['sensor3_max']), at).toBeCloseTo(-0.5, 9);
        const hot = sat === 'sat1' && minute === 2;
        expect(row['temp_out_of_range'], at).toBe(hot);
        expect(row['any_out_of_range'], at).toBe(hot);
        expect(row['battery_low'], at).toBe(false);
      }
    }
    expect(SAMPLES_PER_SATELLITE).toBe(36);
  });
});

describe('pipeline_quality', () => {
  it('pass rate per expectation per window from result_json; an unevaluable expectation is 0 %', () => {
    const f1 = expectations.filter((r) => r['source'] === 'f1').map((r) => [r['expectation'], (r['window_start'] as Date).toISOString().slice(11, 16), n(r['pass_rate_pct']), n(r['runs'])]);
    expect(f1).toEqual([
      ['rpm', '12:00', 100, 2],
      ['speed', '12:00', (100 * 298) / 300, 2],
      ['rpm', '12:01', 0, 1],
      ['speed', '12:01', 90, 1],
    ]);
  });

  it('events, pass rate and quarantined by reason per window and source', () => {
    const rows = quality.map((r) => ({
      key: r['window_key'], batches: n(r['batches']), validated: n(r['events_validated']), passed: n(r['events_passed']), quarantined: n(r['quarantined']),
      expectationFailed: n(r['quarantined_expectation_failed']), truncated: n(r['quarantined_truncated']), duplicate: n(r['quarantined_duplicate']), badMagic: n(r['quarantined_bad_magic']),
    }));
    expect(rows).toEqual([
      { key: 'f1/2026-03-01T12:00', batches: 2, validated: 300, passed: 298, quarantined: 3, expectationFailed: 2, truncated: 1, duplicate: 0, badMagic: 0 },
      { key: 'f1/2026-03-01T12:01', batches: 1, validated: 50, passed: 45, quarantined: 1, expectationFailed: 0, truncated: 0, duplicate: 1, badMagic: 0 },
      { key: 'satellite/2026-03-01T12:00', batches: 1, validated: 40, passed: 40, quarantined: 0, expectationFailed: 0, truncated: 0, duplicate: 0, badMagic: 0 },
      { key: 'satellite/2026-03-01T12:02', batches: 0, validated: 0, passed: 0, quarantined: 1, expectationFailed: 0, truncated: 0, duplicate: 0, badMagic: 1 },
    ]);
    const first = quality[0] ?? {};
    expect(n(first['pass_rate_pct'])).toBeCloseTo((100 * 298) / 300, 9);
    expect(JSON.parse(String(first['expectation_pass_rates_json']))).toEqual({ 'f1_suite: rpm': 100, 'f1_suite: speed': (100 * 298) / 300 });
    expect(quality[3]?.['pass_rate_pct']).toBeNull();
  });
});

describe('the project’s tests (generic and singular) through the real runner', () => {
  it('build every model and find no failing rows on the fixtures', () => {
    // The whole build through the real runner: every model built, every generic and singular test passing.
    expect(models.length).toBeGreaterThanOrEqual(5);
    expect(models.every((m) => m.endsWith(':success'))).toBe(true);
    expect(failures.size).toBeGreaterThanOrEqual(40);
    expect([...failures.keys()].filter((k) => k.startsWith('assert_'))).toHaveLength(4);
    expect(Object.fromEntries(failures)).toEqual(Object.fromEntries([...failures.keys()].map((k) => [k, 0])));
  });
});
