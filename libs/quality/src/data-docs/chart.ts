/**
 * Inline SVG trend charts (no script, no external resource): a suite's runs
 * as bars (percent of expectations that succeeded) under a line (percent of
 * rows that passed every `error` expectation), and one sparkline of pass rate
 * per expectation. Every point carries `data-run-id` and its number, and
 * every chart `data-points` (= the runs it plots), so a test can check them.
 */
import { attrs, escapeHtml } from './html.js';
import { formatPercent, formatRunAt } from './format.js';
import type { ExpectationTrend, SuiteView } from './model.js';

const round = (n: number): string => String(Math.round(n * 10) / 10);

/** x of the i-th of n points across [left, left + width]; a single point sits in the middle. */
function xAt(i: number, n: number, left: number, width: number): number {
  return n <= 1 ? left + width / 2 : left + (width * i) / (n - 1);
}

/** y of a percent in [top, top + height] (100% at the top). */
function yAt(percent: number, top: number, height: number): number {
  const p = Math.max(0, Math.min(100, percent));
  return top + height - (height * p) / 100;
}

export function suiteTrendChart(suite: SuiteView): string {
  const runs = suite.runs;
  const n = runs.length;
  const width = Math.max(480, Math.min(960, 80 + n * 36));
  const height = 160;
  const left = 40;
  const right = 16;
  const top = 12;
  const plotH = height - top - 28;
  const slot = (width - left - right) / Math.max(n, 1);
  const plotW = width - left - right - slot;
  const x0 = left + slot / 2;
  const grid = [0, 50, 100]
    .map((p) => {
      const y = round(yAt(p, top, plotH));
      return `<line class="grid" x1="${left}" x2="${width - right}" y1="${y}" y2="${y}"/><text class="axis" x="${left - 6}" y="${y}" dy="0.32em" text-anchor="end">${p}%</text>`;
    })
    .join('');
  const bars = runs
    .map((run, i) => {
      const pct = run.result.statistics.successPercent;
      const x = xAt(i, n, x0, plotW);
      const y = yAt(pct, top, plotH);
      const w = Math.max(3, Math.min(18, slot * 0.6));
      const tip = `${run.result.runId} · ${formatRunAt(run.result.runAt)} · expectations ${formatPercent(pct)} · rows ${formatPercent(run.rowPassRate)}`;
      return `<rect${attrs({
        class: run.result.success ? 'bar ok' : 'bar bad',
        x: round(x - w / 2),
        y: round(y),
        width: round(w),
        height: round(top + plotH - y),
        'data-run-id': run.result.runId,
        'data-success-percent': pct,
      })}><title>${escapeHtml(tip)}</title></rect>`;
    })
    .join('');
  const coords = runs.map((run, i) => `${round(xAt(i, n, x0, plotW))},${round(yAt(run.rowPassRate, top, plotH))}`);
  const dots = runs
    .map((run, i) => {
      const tip = `${run.result.runId}: ${formatPercent(run.rowPassRate)} of ${run.result.rowCount} rows passed`;
      return `<circle${attrs({
        class: 'pt',
        cx: round(xAt(i, n, x0, plotW)),
        cy: round(yAt(run.rowPassRate, top, plotH)),
        r: 3,
        'data-run-id': run.result.runId,
        'data-pass-rate': run.rowPassRate,
      })}><title>${escapeHtml(tip)}</title></circle>`;
    })
    .join('');
  const first = runs[0];
  const last = runs.at(-1);
  const labels =
    first && last
      ? `<text class="axis" x="${left}" y="${height - 8}">${escapeHtml(formatRunAt(first.result.runAt))}</text>` +
        (n > 1 ? `<text class="axis" x="${width - right}" y="${height - 8}" text-anchor="end">${escapeHtml(formatRunAt(last.result.runAt))}</text>` : '')
      : '';
  return `<svg${attrs({
    class: 'chart',
    role: 'img',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'data-chart': 'suite-trend',
    'data-suite': suite.name,
    'data-points': n,
  })}><title>${escapeHtml(`${suite.name}: expectations succeeded (bars) and rows passed (line) over ${n} runs`)}</title>${grid}${bars}<polyline class="line" fill="none" points="${coords.join(' ')}"/>${dots}${labels}</svg>`;
}

export function expectationSparkline(trend: ExpectationTrend, runCount: number): string {
  const width = 120;
  const height = 28;
  const pad = 4;
  const plotW = width - 2 * pad;
  const plotH = height - 2 * pad;
  // x by the run's position among all of the suite's runs, so gaps show.
  const x = (run: number): number => xAt(run, runCount, pad, plotW);
  const coords = trend.points.map((p) => `${round(x(p.run))},${round(yAt(p.passRate, pad, plotH))}`);
  const dots = trend.points
    .map(
      (p) =>
        `<circle${attrs({
          class: p.success ? 'pt ok' : 'pt bad',
          cx: round(x(p.run)),
          cy: round(yAt(p.passRate, pad, plotH)),
          r: 2.2,
          'data-run-id': p.runId,
          'data-pass-rate': p.passRate,
        })}><title>${escapeHtml(`${p.runId} · ${formatRunAt(p.runAt)}: ${formatPercent(p.passRate)}`)}</title></circle>`,
    )
    .join('');
  return `<svg${attrs({
    class: 'spark',
    role: 'img',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'data-chart': 'expectation-trend',
    'data-expectation': trend.name,
    'data-points': trend.points.length,
  })}><title>${escapeHtml(`${trend.name}: pass rate over ${trend.points.length} runs`)}</title><line class="grid" x1="${pad}" x2="${width - pad}" y1="${pad}" y2="${pad}"/><polyline class="line" fill="none" points="${coords.join(' ')}"/>${dots}</svg>`;
}
