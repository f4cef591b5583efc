import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderDataDocs, ROW_EXPECTATIONS, validationResultSchema, type StoredValidationResult } from '@lakestream/quality';
import { requireChromium } from '@lakestream/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIL, F1_SUITE, qualityRuns, SATELLITE_SUITE } from './quality-runs.js';

/**
 * The Data Docs as a user sees them: a page rendered from real validation
 * results, opened in headless Chromium (Debian's, driven by playwright-core),
 * must show the results' numbers in its tables and charts, load nothing from
 * the network, log no error, and run none of the markup hidden in names.
 */
const executablePath = requireChromium();
const out = mkdtempSync(join(tmpdir(), 'lakestream-data-docs-'));
const ROW_TYPES: ReadonlySet<string> = new Set(ROW_EXPECTATIONS);

/** Text for a double-quoted CSS attribute selector value. */
const cssString = (s: string): string => s.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\a ');

/** The pass rate the page must show, computed here from the result, independently of the lib. */
function expectedPassRate(r: StoredValidationResult['results'][number]): number {
  if (r.error !== undefined) return 0;
  if (ROW_TYPES.has(r.type) && r.evaluated > 0) return (100 * (r.evaluated - r.unexpected)) / r.evaluated;
  return r.success ? 100 : 0;
}

interface Guarded {
  readonly page: Page;
  /** Requests for anything but the page itself (aborted). */
  readonly offPage: string[];
  readonly consoleErrors: string[];
  readonly dialogs: string[];
}

/** Opens a file in a fresh context that lets only that file load and records everything else. */
async function openGuarded(browser: Browser, file: string): Promise<Guarded> {
  const url = pathToFileURL(file).href;
  const offPage: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    offPage.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') consoleErrors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, offPage, consoleErrors, dialogs };
}

describe.skipIf(!executablePath)('Data Docs in headless Chromium', () => {
  let browser: Browser;
  let docs: Guarded;
  let page: Page;
  let results: StoredValidationResult[];

  beforeAll(async () => {
    results = qualityRuns();
    for (const r of results) validationResultSchema.parse(r);
    const file = join(out, 'index.html');
    writeFileSync(file, renderDataDocs(results, { title: 'lakestream data docs', suites: [F1_SUITE, SATELLITE_SUITE] }));
    browser = await chromium.launch({ executablePath, headless: true });
    docs = await openGuarded(browser, file);
    page = docs.page;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists every run in the index, newest first, with its status', async () => {
    const rows = await page.locator('table.index-runs tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ runId: tr.getAttribute('data-run-id'), success: tr.getAttribute('data-success'), text: (tr as HTMLElement).innerText })),
    );
    const newestFirst = [...results].sort((a, b) => Date.parse(b.runAt) - Date.parse(a.runAt));
    expect(rows.map((r) => r.runId)).toEqual(newestFirst.map((r) => r.runId));
    for (const [i, r] of newestFirst.entries()) {
      expect(rows[i]?.success).toBe(String(r.success));
      expect(rows[i]?.text).toContain(r.success ? 'passed' : 'failed');
      expect(rows[i]?.text).toContain(`${r.statistics.successful} / ${r.statistics.evaluated}`);
    }
    expect(await page.locator('section.suite').count()).toBe(new Set(results.map((r) => r.suite.name)).size);
  });

  it('shows every expectation of every run with the numbers of its result', async () => {
    for (const [index, r] of results.entries()) {
      const section = page.locator(`section#run-${index}`);
      expect(await section.getAttribute('data-run-id')).toBe(r.runId);
      expect(Number((await section.locator('[data-stat="rows"]').innerText()).replace(/\u202f/g, ''))).toBe(r.rowCount);
      const rows = await section.locator('tr[data-expectation]').evaluateAll((trs) =>
        trs.map((tr) => ({
          name: tr.getAttribute('data-expectation'),
          passRate: Number(tr.getAttribute('data-pass-rate')),
          evaluated: Number(tr.getAttribute('data-evaluated')),
          unexpected: Number(tr.getAttribute('data-unexpected')),
          missing: Number(tr.getAttribute('data-missing')),
          shownEvaluated: (tr.querySelector('[data-cell="evaluated"]') as HTMLElement).innerText,
          shownMissing: (tr.querySelector('[data-cell="missing"]') as HTMLElement).innerText,
          shownName: (tr.querySelector('td.name .exp-name') as HTMLElement).innerText,
          samples: (tr.querySelector('td.samples') as HTMLElement).innerText,
          visible: (tr as HTMLElement).offsetHeight > 0,
        })),
      );
      expect(rows).toHaveLength(r.results.length);
      for (const [k, e] of r.results.entries()) {
        const row = rows[k];
        expect(row, `${r.runId} / ${e.name}`).toMatchObject({ name: e.name, shownName: e.name, evaluated: e.evaluated, unexpected: e.unexpected, missing: e.missing, visible: true });
        expect(row?.passRate).toBeCloseTo(expectedPassRate(e), 9);
        expect(Number(row?.shownEvaluated.replace(/\u202f/g, ''))).toBe(e.evaluated);
        expect(Number(row?.shownMissing.replace(/\u202f/g, ''))).toBe(e.missing);
        for (const c of e.partialUnexpectedCounts ?? []) expect(row?.samples).toContain(`×${c.count}`);
        if (!e.partialUnexpectedCounts && e.partialUnexpectedList?.[0] !== undefined) expect(row?.samples).toContain(String(e.partialUnexpectedList[0]));
      }
    }
  });

  it('charts one point per run, in runAt order, at the height of its pass rate', async () => {
    for (const name of new Set(results.map((r) => r.suite.name))) {
      const runs = results.filter((r) => r.suite.name === name).sort((a, b) => Date.parse(a.runAt) - Date.parse(b.runAt));
      const chart = page.locator(`svg[data-chart="suite-trend"][data-suite="${cssString(name)}"]`);
      expect(await chart.count(), name).toBe(1);
      expect(Number(await chart.getAttribute('data-points'))).toBe(runs.length);
      const box = await chart.boundingBox();
      expect(box && box.width > 200 && box.height > 100, name).toBe(true);
      const dots = await chart.locator('circle').evaluateAll((cs) =>
        cs.map((c) => ({ runId: c.getAttribute('data-run-id'), rate: Number(c.getAttribute('data-pass-rate')), cx: Number(c.getAttribute('cx')), cy: Number(c.getAttribute('cy')) })),
      );
      expect(dots.map((d) => d.runId)).toEqual(runs.map((r) => r.runId));
      for (const [i, r] of runs.entries()) expect(dots[i]?.rate).toBeCloseTo(r.rowCount > 0 ? (100 * r.passedRows) / r.rowCount : 100, 9);
      // Left to right in time; higher pass rate drawn higher (smaller y).
      expect(dots.every((d, i) => i === 0 || d.cx > (dots[i - 1]?.cx ?? Number.POSITIVE_INFINITY))).toBe(true);
      for (const a of dots) for (const b of dots) if (a.rate > b.rate) expect(a.cy).toBeLessThan(b.cy);
      const points = (await chart.locator('polyline').getAttribute('points'))?.trim().split(/\s+/);
      expect(points).toHaveLength(runs.length);
      const bars = await chart.locator('rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-success-percent'))));
      expect(bars).toEqual(runs.map((r) => r.statistics.successPercent));

      // Per expectation: a sparkline with a point for each run that evaluated it.
      const suite = page.locator(`section.suite[data-suite="${cssString(name)}"]`);
      const sparks = await suite.locator('svg[data-chart="expectation-trend"]').evaluateAll((ss) =>
        ss.map((s) => ({ name: s.getAttribute('data-expectation'), points: Number(s.getAttribute('data-points')), circles: s.querySelectorAll('circle').length })),
      );
      for (const s of sparks) {
        const evaluatedIn = runs.filter((r) => r.results.some((e) => e.name === s.name)).length;
        expect(s, `${name} / ${s.name}`).toMatchObject({ points: evaluatedIn, circles: evaluatedIn });
      }
      expect(new Set(sparks.map((s) => s.name))).toEqual(new Set(runs.flatMap((r) => r.results.map((e) => e.name))));
    }
  });

  it('filters expectation rows with its inline script', async () => {
    const total = await page.locator('section.run tr[data-expectation]').count();
    const failing = results.flatMap((r) => r.results).filter((e) => !e.success).length;
    await page.locator('#failing-only').check();
    expect(await page.locator('section.run tr[data-expectation]:visible').count()).toBe(failing);
    await page.locator('#failing-only').uncheck();
    expect(await page.locator('section.run tr[data-expectation]:visible').count()).toBe(total);
  });

  it("shows the suites' meta notes", async () => {
    await expect(page.locator('section.suite p.note').first().innerText()).resolves.toContain('Hand-written for the Data Docs e2e test');
    const speed = page.locator('section.run tr[data-expectation="speed_kph between 0 and 400"] .note.meta');
    expect(await speed.count()).toBe(results.filter((r) => r.suite.name === F1_SUITE.name).length);
    expect(await speed.first().innerText()).toBe('Top speeds are ~370 km/h.');
  });

  it('renders hostile names as text: no markup, no script ran', async () => {
    const names = await page.locator('td.name .exp-name').allInnerTexts();
    expect(names).toContain(EVIL);
    expect(await page.locator('main img, main iframe, main b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(docs.dialogs).toEqual([]);
  });

  it('would notice a request: the guard sees an image, a fetch and a relative file', async () => {
    const probe = join(out, 'guard-probe.html');
    writeFileSync(probe, '<img src="probe.png"><img src="https://example.invalid/a.png"><script>fetch("http://127.0.0.1:9/x").catch(() => {})</script>');
    const guarded = await openGuarded(browser, probe);
    await guarded.page.waitForTimeout(200);
    await guarded.page.context().close();
    expect(guarded.offPage.some((u) => u.endsWith('/probe.png'))).toBe(true);
    expect(guarded.offPage.some((u) => u.startsWith('https://example.invalid/'))).toBe(true);
    expect(guarded.offPage.some((u) => u.startsWith('http://127.0.0.1:9/'))).toBe(true);
  });

  it('loads nothing from the network and logs no error; screenshot saved', async () => {
    const shot = join(out, 'data-docs.png');
    const top = join(out, 'data-docs-top.png');
    await page.screenshot({ path: shot, fullPage: true });
    await page.screenshot({ path: top });
    console.log(`Data Docs: ${join(out, 'index.html')}\nscreenshots: ${shot} (full page), ${top} (first screen)`);
    expect(docs.offPage).toEqual([]);
    expect(docs.consoleErrors).toEqual([]);
  });
});
