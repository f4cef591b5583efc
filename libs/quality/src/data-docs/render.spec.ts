import { describe, expect, it } from 'vitest';
import { validationResultSchema, type ExpectationResult, type StoredValidationResult } from '../result.js';
import { formatNumber, formatPercent, passRate } from './format.js';
import { escapeHtml } from './html.js';
import { renderDataDocs } from './render.js';

/** Start tags of the page with their attributes, unescaped: a small scanner, enough for our own output. */
function tags(html: string, name?: string): { tag: string; attrs: Record<string, string> }[] {
  const out: { tag: string; attrs: Record<string, string> }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const tag = m[1] ?? '';
    if (name !== undefined && tag !== name) continue;
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)) attrs[a[1] ?? ''] = unescape(a[2] ?? '');
    out.push({ tag, attrs });
  }
  return out;
}
const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|#39|#96|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`', amp: '&' })[e] ?? '');

function exp(id: number, name: string, fields: Partial<ExpectationResult> = {}): ExpectationResult {
  return {
    id,
    name,
    type: 'expect_column_values_to_be_between',
    columns: ['speed_kph'],
    severity: 'error',
    mostly: 1,
    success: true,
    evaluated: 100,
    unexpected: 0,
    unexpectedPercent: 0,
    missing: 0,
    ...fields,
  };
}

function run(suite: string, runId: string, runAt: string, results: ExpectationResult[], rowCount = 100, passedRows = rowCount): StoredValidationResult {
  const successful = results.filter((r) => r.success).length;
  const value: StoredValidationResult = {
    format: 1,
    suite: { name: suite, hash: `h-${suite}` },
    runId,
    runAt,
    resultFormat: 'SUMMARY',
    rowCount,
    success: successful === results.length,
    passedRows,
    statistics: {
      evaluated: results.length,
      successful,
      unsuccessful: results.length - successful,
      successPercent: results.length === 0 ? 100 : (100 * successful) / results.length,
    },
    results,
  };
  return validationResultSchema.parse(value);
}

const speedOk = exp(0, 'speed_kph between 0 and 400');
const speedBad = exp(0, 'speed_kph between 0 and 400', {
  success: false,
  evaluated: 98,
  unexpected: 7,
  unexpectedPercent: (100 * 7) / 98,
  missing: 2,
  partialUnexpectedList: [512.5, 401, 512.5],
  partialUnexpectedCounts: [
    { value: 512.5, count: 4 },
    { value: 401, count: 3 },
  ],
});
const mean = exp(1, 'rpm mean between 5000 and 15000', { type: 'expect_column_mean_to_be_between', columns: ['rpm'], severity: 'warn', evaluated: 100, observed: 11234.5678 });
const meanBad = { ...mean, success: false, observed: 3000 };

const results = [
  run('f1.car_telemetry', 'batch 2', '2026-03-08T15:00:10Z', [speedBad, meanBad], 100, 93),
  run('f1.car_telemetry', 'batch 1', '2026-03-08T15:00:05Z', [speedOk, mean]),
  run('sat.samples', 'sat 1', '2026-03-08T15:00:07Z', [exp(0, 'altitude_km not null', { type: 'expect_column_values_to_not_be_null', columns: ['altitude_km'] })], 40),
  run('f1.car_telemetry', 'batch 3', '2026-03-08T15:00:15Z', [speedOk, mean]),
];

describe('renderDataDocs', () => {
  const html = renderDataDocs(results, { title: 'Lakestream quality' });

  it('is one self-contained page: no external resource, one inline script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Lakestream quality</title>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\ssrc=/);
    for (const a of tags(html, 'a')) expect(a.attrs['href']).toMatch(/^#(index|suite-\d+|run-\d+)$/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("default-src 'none'");
  });

  it('indexes suites (by name) and runs (newest first) with their status and statistics', () => {
    const suites = tags(html, 'tr').filter((t) => t.attrs['data-runs'] !== undefined);
    expect(suites.map((t) => [t.attrs['data-suite'], t.attrs['data-runs'], t.attrs['data-success']])).toEqual([
      ['f1.car_telemetry', '3', 'true'],
      ['sat.samples', '1', 'true'],
    ]);
    const runs = tags(html, 'tr').filter((t) => t.attrs['data-run-id'] !== undefined);
    expect(runs.map((t) => t.attrs['data-run-id'])).toEqual(['batch 3', 'batch 2', 'sat 1', 'batch 1']);
    expect(runs.find((t) => t.attrs['data-run-id'] === 'batch 2')?.attrs).toMatchObject({ 'data-success': 'false', 'data-success-percent': '0' });
    expect(html).toContain('2 suites · 4 runs · 1 failed');
  });

  it('shows each run with every expectation and its numbers', () => {
    const sections = tags(html, 'section').filter((t) => t.attrs['class'] === 'run');
    expect(sections.map((s) => s.attrs['data-run-id'])).toEqual(['batch 3', 'batch 2', 'batch 1', 'sat 1']);
    expect(sections[1]?.attrs).toMatchObject({ 'data-rows': '100', 'data-passed-rows': '93', 'data-success': 'false' });
    const rows = tags(html, 'tr').filter((t) => t.attrs['class']?.startsWith('exp'));
    expect(rows).toHaveLength(2 + 2 + 2 + 1);
    const bad = rows[2]?.attrs;
    expect(bad).toMatchObject({
      'data-expectation': 'speed_kph between 0 and 400',
      'data-type': 'expect_column_values_to_be_between',
      'data-columns': 'speed_kph',
      'data-severity': 'error',
      'data-success': 'false',
      'data-evaluated': '98',
      'data-unexpected': '7',
      'data-missing': '2',
    });
    expect(Number(bad?.['data-pass-rate'])).toBeCloseTo((100 * 91) / 98, 9);
    expect(Number(rows[3]?.attrs['data-pass-rate'])).toBe(0); // a failed aggregate
    expect(html).toContain(`>${formatPercent((100 * 91) / 98)}<`);
    expect(html).toContain('<li data-count="4"><code>512.5</code> ×4</li>');
    expect(html).toContain('>11234.6<'); // observed mean, six significant digits
    expect(html).not.toContain('class="note">mostly'); // mostly 1 is not shown
  });

  it('charts pass rates over runs in runAt order, one point per run', () => {
    const charts = tags(html, 'svg').filter((t) => t.attrs['data-chart'] === 'suite-trend');
    expect(charts.map((c) => [c.attrs['data-suite'], c.attrs['data-points']])).toEqual([
      ['f1.car_telemetry', '3'],
      ['sat.samples', '1'],
    ]);
    const f1 = html.slice(html.indexOf('data-chart="suite-trend" data-suite="f1.car_telemetry"'), html.indexOf('</svg>', html.indexOf('data-chart="suite-trend"')));
    const dots = tags(f1, 'circle');
    expect(dots.map((d) => [d.attrs['data-run-id'], Number(d.attrs['data-pass-rate'])])).toEqual([
      ['batch 1', 100],
      ['batch 2', 93],
      ['batch 3', 100],
    ]);
    const xs = dots.map((d) => Number(d.attrs['cx']));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const line = tags(f1, 'polyline')[0]?.attrs['points']?.split(' ');
    expect(line).toHaveLength(3);
    const bars = tags(f1, 'rect').map((r) => Number(r.attrs['data-success-percent']));
    expect(bars).toEqual([100, 0, 100]);

    const sparks = tags(html, 'svg').filter((t) => t.attrs['data-chart'] === 'expectation-trend');
    expect(sparks.map((s) => [s.attrs['data-expectation'], s.attrs['data-points']])).toEqual([
      ['speed_kph between 0 and 400', '3'],
      ['rpm mean between 5000 and 15000', '3'],
      ['altitude_km not null', '1'],
    ]);
  });

  it('escapes names, values and ids from results everywhere (no HTML injection)', () => {
    const evil = '<script>alert(1)</script>';
    const attr = '"><img src=x onerror=alert(2)>';
    const r = run(evil, `${attr}'\``, '2026-03-08T15:00:00Z', [
      exp(0, evil, {
        type: `expect_${attr}`,
        columns: [evil, attr],
        success: false,
        unexpected: 1,
        unexpectedPercent: 1,
        partialUnexpectedList: [evil, attr, '</style><b>x</b>'],
        partialUnexpectedCounts: [{ value: '</svg><script>alert(3)</script>', count: 1 }],
        observed: '<!-- & -->',
        error: '</td></tr></table><iframe>',
      }),
    ]);
    const page = renderDataDocs([r], { title: `${evil}${attr}` });
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/<img|<iframe|<b>|<!--|<\/style><b/);
    expect(page.match(/<\/svg>/g)?.length).toBe(page.match(/<svg/g)?.length);
    expect(page).toContain(escapeHtml(evil));
    const row = tags(page, 'tr').find((t) => t.attrs['class']?.startsWith('exp'));
    expect(row?.attrs['data-expectation']).toBe(evil);
    expect(row?.attrs['data-columns']).toBe(`${evil},${attr}`);
    const section = tags(page, 'section').find((t) => t.attrs['class'] === 'run');
    expect(section?.attrs['data-run-id']).toBe(`${attr}'\``);
    expect(section?.attrs['data-suite']).toBe(evil);
  });

  it('shows samples by result format: value counts, the value list, row indexes (truncated), evaluation errors', () => {
    const complete = exp(0, 'team in set', {
      type: 'expect_column_values_to_be_in_set',
      columns: ['team'],
      success: false,
      unexpected: 25,
      unexpectedPercent: 25,
      partialUnexpectedList: ['Brabham', 'Tyrrell'],
      unexpectedIndexList: Array.from({ length: 25 }, (_, i) => i * 4),
      mostly: 0.95,
    });
    const missingColumn = exp(1, 'tyre not null', { type: 'expect_column_values_to_not_be_null', columns: ['tyre'], success: false, evaluated: 0, error: 'column tyre not found' });
    const page = renderDataDocs([run('s', 'r', '2026-01-01T00:00:00Z', [complete, missingColumn])]);
    expect(page).toContain('<div class="list" data-samples="list" data-count="2"><code>Brabham</code> <code>Tyrrell</code></div>');
    expect(page).toContain('data-samples="rows" data-count="25">rows 0, 4, 8');
    expect(page).toContain('76 … (+5 more)</div>');
    expect(page).toContain('<div class="error">column tyre not found</div>');
    expect(page).toContain('<div class="note">mostly 0.95</div>');
    const rates = tags(page, 'tr')
      .filter((t) => t.attrs['class']?.startsWith('exp'))
      .map((t) => Number(t.attrs['data-pass-rate']));
    expect(rates).toEqual([75, 0]);
  });

  it('renders an empty list and a suite without expectations', () => {
    expect(renderDataDocs([])).toContain('No validation results.');
    expect(renderDataDocs([run('empty', 'r0', '2026-01-01T00:00:00Z', [], 0)])).toContain('No expectations in this suite.');
  });

  it('is a pure function of its input (stable output, input untouched)', () => {
    const copy = structuredClone(results);
    expect(renderDataDocs(results, { title: 'Lakestream quality' })).toBe(html);
    expect(results).toEqual(copy);
  });
});

describe('renderDataDocs with suites', () => {
  it('shows suite and expectation meta notes, escaped, for the matching suite version only', async () => {
    const { suiteHash } = await import('../suite-hash.js');
    const suite = {
      name: 'f1.car_telemetry',
      meta: { notes: 'Derived from <schema>' },
      expectations: [
        { type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 400, meta: { notes: 'top speed & margin' } },
        { type: 'expect_column_mean_to_be_between', column: 'rpm', min_value: 5000, max_value: 15000, severity: 'warn' },
      ],
    } as const;
    const current = results.map((r) => (r.suite.name === suite.name ? { ...r, suite: { name: r.suite.name, hash: suiteHash(suite) } } : r));
    const page = renderDataDocs(current, { suites: [suite] });
    expect(page).toContain('<p class="note meta">Derived from &lt;schema&gt;</p>');
    // The trend row and the three runs of this version.
    expect(page.match(/<div class="note meta">top speed &amp; margin<\/div>/g)).toHaveLength(4);
    // Another version (hash) of the suite: no expectation notes (ids may mean other expectations).
    const other = renderDataDocs(results, { suites: [suite] });
    expect(other).not.toContain('top speed');
    expect(other).toContain('Derived from &lt;schema&gt;');
  });
});

describe('pass rate and number formats', () => {
  it('uses evaluated rows for row expectations and success for aggregates', () => {
    expect(passRate({ type: 'expect_column_values_to_be_unique', evaluated: 8, unexpected: 2, success: false })).toBe(75);
    expect(passRate({ type: 'expect_column_values_to_be_between', evaluated: 0, unexpected: 0, success: true })).toBe(100);
    expect(passRate({ type: 'expect_table_row_count_to_be_between', evaluated: 10, unexpected: 0, success: false })).toBe(0);
    expect(passRate({ type: 'expect_column_max_to_be_between', evaluated: 10, unexpected: 0, success: true })).toBe(100);
  });

  it('never rounds a partial pass to 0% or 100%', () => {
    expect(formatPercent(99.9999)).toBe('>99.99%');
    expect(formatPercent(0.0001)).toBe('<0.01%');
    expect(formatPercent(12.345)).toBe('12.35%');
    expect(formatNumber(1234567)).toBe('1\u202f234\u202f567');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });
});
