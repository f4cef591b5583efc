/**
 * `renderDataDocs(results)`: Great Expectations' Data Docs for stored
 * validation results, as one self-contained HTML page — inline CSS, one small
 * inline script, inline SVG charts, no network. The index lists suites and
 * runs with badges and statistics; each suite has a trend chart over its runs
 * (ordered by `runAt`) and a sparkline per expectation; each run lists every
 * expectation with its numbers and unexpected samples. Elements carry
 * `data-*` attributes (data-suite, data-run-id, data-expectation,
 * data-pass-rate, data-evaluated, …) so tools and tests can read the numbers.
 * Every string from a result is escaped.
 */
import type { Suite } from '../expectation.js';
import type { StoredValidationResult } from '../result.js';
import { expectationSparkline, suiteTrendChart } from './chart.js';
import { formatNumber, formatPercent, formatRunAt, shortHash } from './format.js';
import { attrs, breakable, el, escapeHtml, textEl } from './html.js';
import { buildModel, type RunView, type SuiteView } from './model.js';
import { suiteNotes, type SuiteNotes } from './notes.js';
import { badge, runSection } from './run-section.js';
import { SCRIPT } from './script.js';
import { STYLES } from './styles.js';

export interface DataDocsOptions {
  /** The page title (default `Data Docs`). */
  readonly title?: string;
  /** Shown in the header when given (e.g. the build time); the page is otherwise a pure function of the results. */
  readonly generatedAt?: string;
  /**
   * The suites the results came from, for their `meta` notes (stored results
   * do not carry them): an expectation's notes show on the runs of the same
   * suite name and content hash.
   */
  readonly suites?: readonly Suite[];
}

export function renderDataDocs(results: readonly StoredValidationResult[], options: DataDocsOptions = {}): string {
  const title = options.title ?? 'Data Docs';
  const model = buildModel(results);
  const notes = suiteNotes(options.suites);
  const failed = results.filter((r) => !r.success).length;
  const summary =
    `${model.suites.length} suite${model.suites.length === 1 ? '' : 's'} · ${results.length} run${results.length === 1 ? '' : 's'} · ` +
    `${failed} failed` +
    (options.generatedAt !== undefined ? ` · generated ${formatRunAt(options.generatedAt)}` : '');
  const nav =
    `<a href="#index">Index</a>` +
    model.suites.map((s) => `<a href="#suite-${s.index}">${escapeHtml(s.name)}</a>`).join('') +
    `<label>Filter <input id="filter" type="search" placeholder="expectation, type or column" autocomplete="off"></label>` +
    `<label><input id="failing-only" type="checkbox"> failing only</label>` +
    `<span class="note"><span id="shown-count"></span> expectation rows shown</span>`;
  const body =
    results.length === 0
      ? '<section class="card"><p class="empty">No validation results.</p></section>'
      : indexSection(model.suites, model.runs) + model.suites.map((s) => suiteSection(s, notes)).join('');
  return (
    '<!DOCTYPE html>\n' +
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">` +
    `<title>${escapeHtml(title)}</title><style>${STYLES}</style></head>` +
    `<body${attrs({ 'data-runs': results.length, 'data-suites': model.suites.length })}>` +
    `<header><h1>${escapeHtml(title)}</h1><span class="summary">${escapeHtml(summary)}</span></header>` +
    `<nav>${nav}</nav><main>${body}</main><script>${SCRIPT}</script></body></html>\n`
  );
}

function indexSection(suites: readonly SuiteView[], runs: readonly RunView[]): string {
  const suiteRows = suites
    .map((s) => {
      const latest = s.runs.at(-1)?.result;
      if (!latest) return '';
      return el(
        'tr',
        { 'data-suite': s.name, 'data-runs': s.runs.length, 'data-success': latest.success },
        `<td>${badge(latest.success)}</td><td><a href="#suite-${s.index}">${escapeHtml(s.name)}</a></td>` +
          el('td', { class: 'type' }, s.hashes.map((h) => textEl('span', { title: h, 'data-hash': h }, shortHash(h))).join(', ')) +
          `<td class="num">${s.runs.length}</td><td class="num">${latest.results.length}</td>` +
          `<td class="num">${escapeHtml(formatPercent(latest.statistics.successPercent))}</td>` +
          textEl('td', {}, formatRunAt(latest.runAt)),
      );
    })
    .join('');
  const runRows = runs
    .map((run) => {
      const r = run.result;
      return el(
        'tr',
        { 'data-run-id': r.runId, 'data-suite': r.suite.name, 'data-success': r.success, 'data-success-percent': r.statistics.successPercent },
        `<td>${badge(r.success)}</td>` +
          textEl('td', {}, formatRunAt(r.runAt)) +
          `<td><a href="#run-${run.index}">${escapeHtml(r.runId)}</a></td>` +
          textEl('td', {}, r.suite.name) +
          `<td class="num">${escapeHtml(formatNumber(r.rowCount))}</td>` +
          `<td class="num">${escapeHtml(`${formatNumber(r.passedRows)} (${formatPercent(run.rowPassRate)})`)}</td>` +
          `<td class="num">${r.statistics.successful} / ${r.statistics.evaluated}</td>` +
          `<td class="num">${escapeHtml(formatPercent(r.statistics.successPercent))}</td>`,
      );
    })
    .join('');
  return (
    `<section class="card" id="index"><h2>Expectation suites</h2>` +
    `<table class="index-suites"><thead><tr><th>Status</th><th>Suite</th><th>Versions (hash)</th><th>Runs</th><th>Expectations</th><th>Success % (latest)</th><th>Latest run</th></tr></thead><tbody>${suiteRows}</tbody></table>` +
    `<h2 style="margin-top:16px">Validation runs</h2>` +
    `<table class="index-runs"><thead><tr><th>Status</th><th>Run at</th><th>Run</th><th>Suite</th><th>Rows</th><th>Rows passed</th><th>Expectations passed</th><th>Success %</th></tr></thead><tbody>${runRows}</tbody></table></section>`
  );
}

function suiteSection(suite: SuiteView, notes: SuiteNotes): string {
  const latest = suite.runs.at(-1)?.result;
  const suiteNote = notes.suite(suite.name);
  const trendRows = suite.trends
    .map((t) => {
      const last = t.points.at(-1);
      const failures = t.points.filter((p) => !p.success).length;
      const lastRun = suite.runs.at(-1)?.result;
      const note = lastRun ? notes.expectation(suite.name, lastRun.suite.hash, t.latest.id) : undefined;
      return el(
        'tr',
        {
          class: 'trend',
          'data-expectation': t.name,
          'data-type': t.latest.type,
          'data-columns': t.latest.columns.join(','),
          'data-success': t.latest.success,
          'data-pass-rate': last?.passRate,
        },
        `<td>${badge(t.latest.success, t.latest.severity)}</td>` +
          el('td', { class: 'name' }, textEl('span', { class: 'exp-name' }, t.name) + (note !== undefined ? textEl('div', { class: 'note meta' }, note) : '')) +
          el('td', { class: 'type' }, breakable(t.latest.type)) +
          textEl('td', {}, t.latest.columns.join(', ')) +
          textEl('td', { class: `sev ${t.latest.severity}` }, t.latest.severity) +
          `<td class="num">${escapeHtml(last ? formatPercent(last.passRate) : '–')}</td>` +
          `<td>${expectationSparkline(t, suite.runs.length)}</td>` +
          `<td class="num">${failures} / ${t.points.length}</td>`,
      );
    })
    .join('');
  const runs = [...suite.runs].reverse().map((run) => runSection(run, `suite-${suite.index}`, notes)).join('');
  return el(
    'section',
    { class: 'suite', id: `suite-${suite.index}`, 'data-suite': suite.name, 'data-runs': suite.runs.length },
    `<h2>${latest ? badge(latest.success) : ''} ${escapeHtml(suite.name)} <small>${suite.runs.length} run${suite.runs.length === 1 ? '' : 's'} · ${escapeHtml(
      suite.hashes.length === 1 ? `hash ${shortHash(suite.hashes[0] ?? '')}` : `${suite.hashes.length} versions`,
    )}</small></h2>` +
      (suiteNote !== undefined ? textEl('p', { class: 'note meta' }, suiteNote) : '') +
      suiteTrendChart(suite) +
      `<div class="legend">bars: expectations succeeded per run · line: rows that passed every error expectation</div>` +
      `<table class="trends"><thead><tr><th>Latest</th><th>Expectation</th><th>Type</th><th>Column(s)</th><th>Severity</th><th>Pass rate (latest)</th><th>Trend</th><th>Failed runs</th></tr></thead><tbody>${trendRows}</tbody></table>` +
      runs,
  );
}
