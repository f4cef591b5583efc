/**
 * One run's page section, GE's validation-result page in one block: the
 * overview (status, statistics, run info) and a table of every expectation
 * with its status, name, type, column(s), severity, pass rate, counts,
 * observed value and unexpected samples.
 */
import type { ExpectationResult } from '../result.js';
import { attrs, breakable, el, escapeHtml, textEl } from './html.js';
import { formatCell, formatNumber, formatPercent, formatRunAt, passRate, shortHash } from './format.js';
import type { RunView } from './model.js';
import type { SuiteNotes } from './notes.js';

/** Unexpected row indexes shown before "+N more" (COMPLETE can list millions). */
const MAX_INDEXES = 20;

export function badge(success: boolean, severity?: 'error' | 'warn'): string {
  if (success) return '<span class="badge ok">passed</span>';
  return severity === 'warn' ? '<span class="badge warn">warned</span>' : '<span class="badge bad">failed</span>';
}

export function runSection(run: RunView, suiteAnchor: string, notes?: SuiteNotes): string {
  const r = run.result;
  const s = r.statistics;
  const stats = [
    ['Evaluated expectations', formatNumber(s.evaluated), 'evaluated'],
    ['Successful', formatNumber(s.successful), 'successful'],
    ['Unsuccessful', formatNumber(s.unsuccessful), 'unsuccessful'],
    ['Success percent', formatPercent(s.successPercent), 'success-percent'],
    ['Rows', formatNumber(r.rowCount), 'rows'],
    ['Rows passed (error expectations)', `${formatNumber(r.passedRows)} (${formatPercent(run.rowPassRate)})`, 'passed-rows'],
  ]
    .map(([label, value, key]) => `<tr><th>${escapeHtml(label ?? '')}</th><td${attrs({ 'data-stat': key })}>${escapeHtml(value ?? '')}</td></tr>`)
    .join('');
  const info = [
    ['Run', r.runId],
    ['Run at', formatRunAt(r.runAt)],
    ['Suite', `${r.suite.name} @ ${shortHash(r.suite.hash)}`],
    ['Result format', r.resultFormat],
  ]
    .map(([label, value]) => `<tr><th>${escapeHtml(label ?? '')}</th><td>${escapeHtml(value ?? '')}</td></tr>`)
    .join('');
  const rows = r.results.map((e) => expectationRow(e, notes?.expectation(r.suite.name, r.suite.hash, e.id))).join('');
  const head = ['Status', 'Expectation', 'Type', 'Column(s)', 'Severity', 'Pass rate', 'Evaluated', 'Unexpected', 'Missing', 'Observed', 'Unexpected samples']
    .map((h) => `<th>${h}</th>`)
    .join('');
  return el(
    'section',
    {
      class: 'run',
      id: `run-${run.index}`,
      'data-run-id': r.runId,
      'data-suite': r.suite.name,
      'data-suite-hash': r.suite.hash,
      'data-run-at': r.runAt,
      'data-success': r.success,
      'data-rows': r.rowCount,
      'data-passed-rows': r.passedRows,
      'data-success-percent': s.successPercent,
    },
    `<h3>${badge(r.success)} ${escapeHtml(r.runId)} <small>${escapeHtml(formatRunAt(r.runAt))} · <a href="#${suiteAnchor}">${escapeHtml(r.suite.name)}</a></small></h3>` +
      `<div class="overview"><table class="stats">${stats}</table><table class="info">${info}</table></div>` +
      (r.results.length === 0
        ? '<p class="empty">No expectations in this suite.</p>'
        : `<table class="expectations"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`),
  );
}

function expectationRow(e: ExpectationResult, note: string | undefined): string {
  const rate = passRate(e);
  const mostly = e.mostly < 1 ? `<div class="note">mostly ${escapeHtml(formatNumber(e.mostly))}</div>` : '';
  const meter = `<div class="meter"><span style="width:${Math.round(rate * 10) / 10}%"></span></div>`;
  const unexpected = `${formatNumber(e.unexpected)}${e.evaluated > 0 ? ` (${formatPercent(e.unexpectedPercent)})` : ''}`;
  return el(
    'tr',
    {
      class: e.success ? 'exp ok' : `exp bad ${e.severity}`,
      'data-expectation': e.name,
      'data-expectation-id': e.id,
      'data-type': e.type,
      'data-columns': e.columns.join(','),
      'data-severity': e.severity,
      'data-success': e.success,
      'data-pass-rate': rate,
      'data-evaluated': e.evaluated,
      'data-unexpected': e.unexpected,
      'data-unexpected-percent': e.unexpectedPercent,
      'data-missing': e.missing,
    },
    `<td>${badge(e.success, e.severity)}</td>` +
      el('td', { class: 'name' }, textEl('span', { class: 'exp-name' }, e.name) + (note !== undefined ? textEl('div', { class: 'note meta' }, note) : '')) +
      el('td', { class: 'type' }, breakable(e.type)) +
      textEl('td', {}, e.columns.join(', ')) +
      textEl('td', { class: `sev ${e.severity}` }, e.severity) +
      `<td class="num" data-cell="pass-rate">${escapeHtml(formatPercent(rate))}${meter}${mostly}</td>` +
      `<td class="num" data-cell="evaluated">${escapeHtml(formatNumber(e.evaluated))}</td>` +
      `<td class="num" data-cell="unexpected">${escapeHtml(unexpected)}</td>` +
      `<td class="num" data-cell="missing">${escapeHtml(formatNumber(e.missing))}</td>` +
      textEl('td', { class: 'observed', 'data-cell': 'observed' }, formatCell(e.observed)) +
      `<td class="samples">${samples(e)}</td>`,
  );
}

function samples(e: ExpectationResult): string {
  const parts: string[] = [];
  if (e.error !== undefined) parts.push(textEl('div', { class: 'error' }, e.error));
  if (e.partialUnexpectedCounts && e.partialUnexpectedCounts.length > 0) {
    const items = e.partialUnexpectedCounts
      .map((c) => `<li data-count="${c.count}"><code>${escapeHtml(formatCell(c.value))}</code> ×${c.count}</li>`)
      .join('');
    parts.push(`<ul class="counts" data-samples="counts">${items}</ul>`);
  } else if (e.partialUnexpectedList && e.partialUnexpectedList.length > 0) {
    const items = e.partialUnexpectedList.map((v) => `<code>${escapeHtml(formatCell(v))}</code>`).join(' ');
    parts.push(`<div class="list" data-samples="list" data-count="${e.partialUnexpectedList.length}">${items}</div>`);
  }
  if (e.unexpectedIndexList && e.unexpectedIndexList.length > 0) {
    const all = e.unexpectedIndexList;
    const shown = all.slice(0, MAX_INDEXES).join(', ');
    const more = all.length > MAX_INDEXES ? ` … (+${all.length - MAX_INDEXES} more)` : '';
    parts.push(`<div class="rows" data-samples="rows" data-count="${all.length}">rows ${escapeHtml(shown + more)}</div>`);
  }
  return parts.join('');
}
