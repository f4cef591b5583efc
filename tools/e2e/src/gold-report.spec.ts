/**
 * The gold report end to end, as a user gets it: the satellite simulator
 * writes CSVs, the producer app publishes them and one F1 session (3 cars,
 * ~2 laps each, 2% injected faults) to the embedded broker, the consumer app
 * runs `--once` into a fresh Delta root, `gold build` (exit 0) and
 * `gold report` run on it as child processes, and the page is opened in
 * headless Chromium (Debian's, through playwright-core). Checked: each chart
 * family (satellite series, lap times, leaderboard, tyre temperatures,
 * quality pass rates, quarantine reasons) drew with data — points > 0 and
 * coloured pixels on its uPlot canvas — and shows the numbers of the gold
 * tables as the independent DuckDB reader of @lakestream/testing reads them;
 * every gold Delta table reads back with DuckDB with the sink reader's count.
 * A screenshot is saved under data/reports/e2e/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { requireChromium, withDeltaViews, type AppProcess } from '@lakestream/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerArgs, readProducerSummary, total, uniqueTopics, type ProducerSummary } from './support/consumer-fixtures.js';
import { asNumber, deltaTablesUnder, drawnCharts, GOLD_MAIN, GOLD_MARTS, runCliOk, SIM_CLI, type DrawnChart } from './support/gold-report.js';
import { runConsumerOnce, runProducer, startKafka, tempDir, uniqueName, type KafkaUnderTest } from './support/processes.js';
import { inWorkspace } from './workspace.js';

const executablePath = requireChromium();
const SATELLITES = ['sat0', 'sat1', 'sat2', 'sat3'];
const SATELLITE_FIELDS = [['temp_c', 'temp_avg_c'], ['battery_charge_pct', 'battery_avg_pct'], ['altitude', 'altitude_avg_km'], ['sensor1', 'sensor1_avg'], ['sensor2', 'sensor2_avg'], ['sensor3', 'sensor3_avg']] as const;
const CARS = 3;
/** ~110 events per car per simulated second and a lap of ~90 s: 70,000 events give each car two timed laps. */
const F1_EVENTS = 70_000;
const SHOTS = inWorkspace('data', 'reports', 'e2e');

describe('gold report end to end (producer → consumer --once → gold build → report in Chromium)', () => {
  let kafka: KafkaUnderTest;
  let work: { dir: string; cleanup: () => Promise<void> };
  let tables: string;
  let report: string;
  let build: AppProcess;
  let session: string;
  let expected: { f1: ProducerSummary; sat: ProducerSummary };
  let browser: Browser | undefined;
  let page: Page | undefined;
  let charts: DrawnChart[] = [];
  const consoleErrors: string[] = [];
  const offPage: string[] = [];

  beforeAll(async () => {
    kafka = await startKafka({ args: ['--partitions', '3'] });
    work = await tempDir('gold-report');
    tables = join(work.dir, 'delta-tables');
    report = join(work.dir, 'gold-report.html');
    const samples = join(work.dir, 'samples');
    await runCliOk(SIM_CLI, 'sim', ['satellite', '--out', samples, '--satellites', String(SATELLITES.length), '--samples', '300']);

    const topics = uniqueTopics('gold');
    const json = { f1: join(work.dir, 'f1.json'), sat: join(work.dir, 'sat.json') };
    const start = new Date(Date.now() - 400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await Promise.all([
      runProducer(kafka.bootstrap, ['--source', 'satellite', '--samples-dir', samples, '--no-sleep', '--inject-faults', '0.02', '--topic', topics.sat, '--summary-json', json.sat]),
      runProducer(kafka.bootstrap, ['--source', 'f1', '--cars', String(CARS), '--no-sleep', '--start-time', start, '--max-events', String(F1_EVENTS), '--inject-faults', '0.02',
        '--topic', topics.f1, '--sessions-topic', topics.sessions, '--summary-json', json.f1]),
    ]);
    expected = { f1: await readProducerSummary(json.f1), sat: await readProducerSummary(json.sat) };
    session = (JSON.parse(readFileSync(json.f1, 'utf8')) as { sessions: string[] }).sessions[0] as string;
    await runConsumerOnce(kafka.bootstrap, consumerArgs({ group: uniqueName('gold'), tables, topics }));

    const target = ['--target-path', join(work.dir, 'target')];
    build = await runCliOk(GOLD_MAIN, 'gold', ['build', '--tables', tables, ...target]);
    await runCliOk(GOLD_MAIN, 'gold', ['report', '--tables', tables, '--out', report, ...target]);

    if (!executablePath) return;
    browser = await chromium.launch({ executablePath, headless: true });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const url = pathToFileURL(report).href;
    await context.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      offPage.push(route.request().url());
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    charts = await drawnCharts(page);
  });

  afterAll(async () => {
    await browser?.close();
    await kafka?.stop();
    await work?.cleanup();
  });

  const chart = (name: string): DrawnChart => {
    const c = charts.find((x) => x.name === name);
    if (!c) throw new Error(`no chart ${name} in the page; charts: ${charts.map((x) => x.name).join(', ')}`);
    return c;
  };

  it('gold build exits 0 with every model and test passing; every gold Delta table reads back with DuckDB, count = the sink reader', async () => {
    expect(build.stdout()).toMatch(/Completed successfully/);
    expect(build.stdout()).toMatch(/Done\. PASS=\d+ WARN=\d+ ERROR=0 SKIP=0/);
    const gold = await deltaTablesUnder(join(tables, 'gold'));
    expect(gold).toEqual(expect.arrayContaining([...GOLD_MARTS]));
    for (const name of gold) {
      const dir = join(tables, 'gold', name);
      const ours = (await (await DeltaTable.open(new LocalFileStore(dir))).read()).numRows;
      const duck = await withDeltaViews({ t: dir }, async (q) => asNumber((await q('SELECT count(*) AS n FROM t'))[0]?.['n']));
      expect(duck, `gold/${name}`).toBe(ours);
      if ((GOLD_MARTS as readonly string[]).includes(name)) expect(ours, `gold/${name} is empty`).toBeGreaterThan(0);
    }
  });

  it.skipIf(!executablePath)('every chart family drew with data: points > 0, the embedded series agree, coloured pixels on the canvas; nothing off-page, no console error', () => {
    const names = [
      ...SATELLITES.flatMap((s) => SATELLITE_FIELDS.map(([f]) => `satellite-${s}-${f}`)),
      `lap-times-${session}`, `tyre-temps-${session}`, 'quality-pass-rates', 'quarantine-reasons', 'expectation-pass-rates',
    ];
    for (const name of names) {
      const c = chart(name);
      expect(c.points, name).toBeGreaterThan(0);
      expect(c.embeddedPoints, name).toBe(c.points);
      expect(c.canvases, name).toBeGreaterThan(0);
      expect(c.colouredPixels, `${name}: no series drawn on the canvas`).toBeGreaterThan(50);
    }
    const board = chart(`leaderboard-${session}`);
    expect(board.points).toBe(CARS);
    expect(board.rows).toHaveLength(CARS);
    expect(offPage).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it.skipIf(!executablePath)('the leaderboard and lap-time chart show gold.session_metrics and gold.lap_metrics as DuckDB reads them', async () => {
    const dir = (t: string): string => join(tables, 'gold', t);
    const { sessionRows, lapRows } = await withDeltaViews({ s: dir('session_metrics'), l: dir('lap_metrics') }, async (q) => ({
      sessionRows: await q(`SELECT car_number, position_by_best_lap, laps, best_lap_s, avg_lap_s FROM s WHERE session_id = '${session}' ORDER BY position_by_best_lap`),
      lapRows: await q(`SELECT car_number, lap, lap_time_s FROM l WHERE session_id = '${session}' AND lap >= 1 AND lap_time_s IS NOT NULL ORDER BY car_number, lap`),
    }));
    expect(sessionRows).toHaveLength(CARS);
    const shown = chart(`leaderboard-${session}`).rows ?? [];
    for (const [i, r] of sessionRows.entries()) {
      const row = shown[i];
      expect(row?.car, `position ${i + 1}`).toBe(String(asNumber(r['car_number'])));
      expect(row?.cells.slice(0, 4)).toEqual([
        String(asNumber(r['position_by_best_lap'])), `#${asNumber(r['car_number'])}`, String(asNumber(r['laps'])), (asNumber(r['best_lap_s']) as number).toFixed(3),
      ]);
      expect(row?.cells[5]).toBe((asNumber(r['avg_lap_s']) as number).toFixed(3));
      expect(asNumber(r['laps']), 'each car drove at least two timed laps').toBeGreaterThanOrEqual(2);
    }
    // Lap-time chart: one series per car, the value at each lap = lap_metrics.lap_time_s.
    const laps = chart(`lap-times-${session}`);
    expect(laps.points).toBe(lapRows.length);
    for (const r of lapRows) {
      const series = laps.series?.find((s) => s.label === `#${asNumber(r['car_number'])}`);
      const at = laps.x?.indexOf(asNumber(r['lap']) as number) ?? -1;
      expect(series?.values[at], `car ${r['car_number']} lap ${r['lap']}`).toBeCloseTo(asNumber(r['lap_time_s']) as number, 9);
    }
  });

  it.skipIf(!executablePath)('satellite means, quality pass rates and quarantine reasons show the gold tables; quarantined records = what the producers injected', async () => {
    const dir = (t: string): string => join(tables, 'gold', t);
    const { health, quality } = await withDeltaViews({ h: dir('satellite_health'), q: dir('pipeline_quality') }, async (q) => ({
      health: await q('SELECT * FROM h ORDER BY satellite, minute_start'),
      quality: await q('SELECT * FROM q ORDER BY window_start, source'),
    }));
    for (const sat of SATELLITES) {
      const rows = health.filter((r) => r['satellite'] === sat);
      expect(rows.length, sat).toBeGreaterThan(0);
      for (const [field, mean] of SATELLITE_FIELDS) {
        const c = chart(`satellite-${sat}-${field}`);
        const shownMeans = (c.series?.find((s) => s.label === '1-minute mean')?.values ?? []).filter((v) => v !== null);
        expect(shownMeans, `${sat} ${field}`).toEqual(rows.map((r) => asNumber(r[mean])));
        expect((c.series?.find((s) => s.label === 'samples')?.values ?? []).filter((v) => v !== null).length, `${sat} ${field} samples`).toBeGreaterThan(100);
      }
    }
    const passRates = chart('quality-pass-rates');
    expect(passRates.points).toBe(quality.filter((r) => r['pass_rate_pct'] !== null).length);
    const quarantineColumns = Object.keys(quality[0] ?? {}).filter((k) => k.startsWith('quarantined_')); // per reason; `quarantined` is their total
    expect(quality.reduce((n, r) => n + (asNumber(r['quarantined']) ?? 0), 0)).toBe(quality.reduce((n, r) => n + quarantineColumns.reduce((m, k) => m + (asNumber(r[k]) ?? 0), 0), 0));
    const inTable = quality.reduce((n, r) => n + quarantineColumns.reduce((m, k) => m + (asNumber(r[k]) ?? 0), 0), 0);
    const reasons = chart('quarantine-reasons');
    const shown = (reasons.series ?? []).reduce((n, s) => n + s.values.reduce<number>((m, v) => m + (v ?? 0), 0), 0);
    expect(shown).toBe(inTable);
    expect(shown).toBe(total(expected.f1.expected.quarantineByReason) + total(expected.sat.expected.quarantineByReason));
    const labels = (reasons.series ?? []).map((s) => s.label).sort();
    const injected = Object.entries({ ...expected.f1.expected.quarantineByReason }).concat(Object.entries(expected.sat.expected.quarantineByReason)).filter(([, n]) => n > 0).map(([k]) => k);
    expect(labels).toEqual([...new Set(injected)].sort());
  });

  it.skipIf(!executablePath)('saves a full-page screenshot', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const shot = join(SHOTS, 'gold-report-e2e.png');
    const buf = await (page as Page).screenshot({ path: shot, fullPage: true });
    expect(buf.length).toBeGreaterThan(10_000);
    copyFileSync(report, join(SHOTS, 'gold-report-e2e.html'));
    console.log(`gold report: ${join(SHOTS, 'gold-report-e2e.html')}\nscreenshot: ${shot}`);
  });
});
