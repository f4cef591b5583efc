import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { Float64, Int32, Table, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { align, pointCount, reportCharts, type GoldRow, type ReportTables } from './charts.js';
import { writeGoldReport } from './report.js';

const T0 = Date.parse('2026-03-01T12:00:00Z') / 1000;
const lap = (session: string, car: number, l: number, time: number | null, temp: number, compound: string): GoldRow => ({
  session_id: session, car_number: car, lap: l, lap_time_s: time, tyre_compound: compound,
  tyre_temp_avg_fl: temp, tyre_temp_avg_fr: temp + 1, tyre_temp_avg_rl: temp + 2, tyre_temp_avg_rr: temp + 3,
});
const tables: ReportTables = {
  lapMetrics: [lap('s1', 44, 0, 95, 80, 'SOFT'), lap('s1', 44, 1, 90.5, 90, 'SOFT'), lap('s1', 44, 2, 90.75, 92, 'MEDIUM'), lap('s1', 1, 1, 90.25, 91, 'SOFT'), lap('s1', 1, 2, null, 93, 'SOFT')],
  sessionMetrics: [
    { session_id: 's1', car_number: 44, position_by_best_lap: 2, laps: 2, best_lap_s: 90.5 },
    { session_id: 's1', car_number: 1, position_by_best_lap: 1, laps: 1, best_lap_s: 90.25 },
  ],
  satelliteHealth: [{ satellite: 'sat0', minute_start: T0, temp_avg_c: 20, battery_avg_pct: 50, altitude_avg_km: 400, sensor1_avg: 0, sensor2_avg: 0, sensor3_avg: 0 }],
  satelliteSamples: [0, 5, 10].map((s) => ({ satellite: 'sat0', event_time: T0 + s, temp_c: 20 + s, battery_charge_pct: 50, altitude: 400, sensor1: 0, sensor2: 0, sensor3: 0 })),
  pipelineQuality: [{ source: 'f1', window_start: T0, pass_rate_pct: 98, quarantined_duplicate: 2, quarantined_truncated: 0 }],
  pipelineExpectations: [{ source: 'f1', expectation: 'speed', evaluated: 100, unexpected: 2 }, { source: 'f1', expectation: 'rpm', evaluated: 10, unexpected: 0 }],
};

describe('report charts', () => {
  const charts = new Map(reportCharts(tables).map((c) => [c.name, c]));

  it('one chart per satellite field with samples and the 1-minute mean at mid-minute', () => {
    expect([...charts.keys()].filter((k) => k.startsWith('satellite-sat0-'))).toHaveLength(6);
    const temp = charts.get('satellite-sat0-temp_c');
    expect(temp?.x).toEqual([T0, T0 + 5, T0 + 10, T0 + 30]);
    expect(temp?.series.map((s) => s.values)).toEqual([[20, 25, 30, null], [null, null, null, 20]]);
    expect(temp && pointCount(temp)).toBe(4);
  });

  it('lap times per car from lap 1, tyre temps over the leader’s first stint, quality charts', () => {
    const laps = charts.get('lap-times-s1');
    expect(laps?.x).toEqual([1, 2]);
    expect(laps?.series.map((s) => [s.label, s.values])).toEqual([['#1', [90.25, null]], ['#44', [90.5, 90.75]]]);
    const tyres = charts.get('tyre-temps-s1'); // leader is car 1: laps 1..2 on SOFT
    expect(tyres?.x).toEqual([1, 2]);
    expect(tyres?.series.map((s) => s.values[0])).toEqual([91, 92, 93, 94]);
    expect(charts.get('quarantine-reasons')?.series.map((s) => [s.label, s.values])).toEqual([['DUPLICATE', [2]]]);
    expect(charts.get('expectation-pass-rates')?.categories).toEqual(['f1 · rpm', 'f1 · speed']);
    expect(charts.get('expectation-pass-rates')?.series[0]?.values).toEqual([100, 98]);
  });

  it('align keeps every point of every series (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.double({ noNaN: true })), { maxLength: 20 }), { maxLength: 4 }), (parts) => {
        const unique = parts.map((p, i) => ({ label: `s${i}`, points: [...new Map(p).entries()] }));
        const { x, series } = align(unique);
        expect([...x].sort((a, b) => a - b)).toEqual(x);
        expect(new Set(x).size).toBe(x.length);
        unique.forEach((p, i) => {
          for (const [t, y] of p.points) expect(series[i]?.values[x.indexOf(t)]).toBe(y);
          expect(series[i]?.values.filter((v) => v !== null).length).toBe(p.points.filter(([, y]) => y !== null).length);
        });
      }),
    );
  });
});

describe('writeGoldReport', () => {
  const root = mkdtempSync(join(tmpdir(), 'gold-report-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads the gold Delta tables and writes one self-contained page with uPlot inlined', async () => {
    const health = new Table({
      satellite: vectorFromArray(['sat0', 'sat0'], new Utf8()),
      minute_start: vectorFromArray([T0 * 1000, (T0 + 60) * 1000], new TimestampMicrosecond('UTC')),
      temp_avg_c: vectorFromArray([20, 21], new Float64()),
      sample_count: vectorFromArray([12, 12], new Int32()),
    });
    const t = await DeltaTable.create(new LocalFileStore(join(root, 'gold/satellite_health')), { schema: health.schema });
    await t.append(health);
    const out = join(root, 'reports/r.html');
    const result = await writeGoldReport({ tablesRoot: root, out, now: new Date(0) });
    const html = readFileSync(out, 'utf8');
    expect(result.path).toBe(out);
    expect(result.charts['satellite-sat0-temp_c']).toBe(2);
    expect(html).toContain('data-chart="satellite-sat0-temp_c"');
    expect(html).toMatch(/data-chart="satellite-sat0-temp_c" data-chart-id="c\d+" data-points="2"/);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const specs = JSON.parse(/<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '[]') as { title: string; x: number[] }[];
    expect(specs.find((s) => s.title.startsWith('sat0 — temperature'))?.x).toEqual([T0 + 30, T0 + 90]);
  });
});
