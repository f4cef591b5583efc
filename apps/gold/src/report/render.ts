/**
 * The report page (pure): the chart specs as embedded JSON, uPlot's JS and CSS
 * inlined (works offline, loads nothing), one `data-chart`/`data-points` container
 * per chart and the session leaderboard as a table.
 */
import { pointCount, type ChartSpec, type GoldRow, num } from './charts.js';

export interface UplotAssets { readonly js: string; readonly css: string }
export interface RenderReportOptions {
  readonly title?: string;
  readonly generatedAt: Date;
  readonly tablesRoot: string;
  readonly uplot: UplotAssets;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside <script>: no `</script>`, no `<!--`. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const fmt = (v: unknown, digits = 3): string => {
  const n = num(v);
  return n === null ? '—' : n.toFixed(digits);
};

function leaderboard(sessionMetrics: readonly GoldRow[]): string {
  const sessions = [...new Set(sessionMetrics.map((r) => String(r['session_id'])))].sort();
  return sessions
    .map((session) => {
      const rows = sessionMetrics
        .filter((r) => r['session_id'] === session)
        .sort((a, b) => (num(a['position_by_best_lap']) ?? Infinity) - (num(b['position_by_best_lap']) ?? Infinity) || (num(a['car_number']) ?? 0) - (num(b['car_number']) ?? 0));
      const body = rows
        .map(
          (r) =>
            `<tr data-car="${num(r['car_number'])}"><td>${fmt(r['position_by_best_lap'], 0)}</td><td>#${num(r['car_number'])}</td><td>${fmt(r['laps'], 0)}</td><td>${fmt(r['best_lap_s'])}</td><td>${fmt(r['gap_to_best_s'])}</td><td>${fmt(r['avg_lap_s'])}</td><td>${fmt(r['lap_time_stddev_s'])}</td><td>${fmt(r['top_speed_kph'], 1)}</td><td>${fmt(r['warning_count'], 0)}</td><td>${fmt(r['error_count'], 0)}</td></tr>`,
        )
        .join('\n');
      return `<div class="board" data-chart="leaderboard-${esc(session)}" data-points="${rows.length}"><h3>${esc(session)} — leaderboard by best lap</h3>
<table class="leaderboard"><thead><tr><th>pos</th><th>car</th><th>laps</th><th>best (s)</th><th>gap (s)</th><th>avg (s)</th><th>σ (s)</th><th>top km/h</th><th>warnings</th><th>errors</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
    })
    .join('\n');
}

const GROUPS = [
  ['satellite', 'Satellites — samples and 1-minute means (gold.satellite_health)'],
  ['laps', 'Lap times per car (gold.lap_metrics)'],
  ['tyres', 'Tyre temperature per corner over a stint (gold.lap_metrics)'],
  ['quality', 'Pipeline quality (gold.pipeline_quality, gold.pipeline_expectations)'],
] as const;

const CLIENT = `
(function () {
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  specs.forEach(function (spec) {
    var el = document.querySelector('[data-chart-id="' + spec.id + '"] .plot');
    var width = Math.max(320, el.clientWidth || 560);
    var bars = spec.series.some(function (s) { return s.bars; });
    var series = [{ label: spec.xLabel, value: spec.categories ? function (u, v) { return v == null ? '' : spec.categories[v]; } : undefined }];
    spec.series.forEach(function (s, i) {
      var color = palette[i % palette.length];
      var opts = { label: s.label, stroke: color, width: s.label === 'samples' ? 1 : 2, spanGaps: true, points: { show: spec.x.length < 60 } };
      if (s.label === 'samples') { opts.stroke = '#9bb5d6'; }
      if (s.bars) { opts.fill = color + '99'; opts.paths = uPlot.paths.bars({ size: [0.6, 60] }); opts.points = { show: false }; }
      series.push(opts);
    });
    var axes = [{ label: spec.xLabel }, { label: spec.yLabel }];
    if (spec.categories) axes[0].values = function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) ? (spec.categories[t] || '') : ''; }); };
    var scales = { x: { time: spec.time } };
    if (bars) scales.x.range = function (u, min, max) { return [min - 0.5, max + 0.5]; };
    new uPlot({ title: spec.title, width: width, height: 260, series: series, axes: axes, scales: scales }, [spec.x].concat(spec.series.map(function (s) { return s.values; })), el);
  });
  document.body.setAttribute('data-rendered', String(specs.length));
})();`;

export function renderReport(charts: readonly ChartSpec[], sessionMetrics: readonly GoldRow[], options: RenderReportOptions): string {
  const title = options.title ?? 'lakestream gold report';
  const ids = charts.map((c, i) => ({ ...c, id: `c${i}` }));
  const sections = GROUPS.map(([group, heading]) => {
    const inGroup = ids.filter((c) => c.group === group);
    const boards = group === 'laps' ? leaderboard(sessionMetrics) : '';
    const cards = inGroup
      .map((c) => `<figure class="chart" data-chart="${esc(c.name)}" data-chart-id="${c.id}" data-points="${pointCount(c)}"><div class="plot"></div></figure>`)
      .join('\n');
    const empty = inGroup.length === 0 && !boards ? '<p class="empty">No rows in the gold tables for this section.</p>' : '';
    return `<section class="group" data-group="${group}"><h2>${esc(heading)}</h2>${boards}<div class="grid">${cards}</div>${empty}</section>`;
  }).join('\n');
  const specs = ids.map(({ id, title: t, x, time, xLabel, yLabel, series, categories }) => ({ id, title: t, x, time, xLabel, yLabel, series, ...(categories ? { categories } : {}) }));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${options.uplot.css}</style>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 24px 48px; color: #222; }
header { border-bottom: 1px solid #ddd; margin-bottom: 8px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
figure.chart { margin: 0; border: 1px solid #eee; padding: 6px; }
table.leaderboard { border-collapse: collapse; margin: 6px 0 18px; }
table.leaderboard th, table.leaderboard td { border-bottom: 1px solid #eee; padding: 3px 10px; text-align: right; }
.empty { color: #888; }
</style></head>
<body>
<header><h1>${esc(title)}</h1><p>Gold tables under <code>${esc(options.tablesRoot)}</code> · generated ${esc(options.generatedAt.toISOString())} · ${charts.length} charts</p></header>
<main>${sections}</main>
<script type="application/json" id="chart-data">${scriptJson(specs)}</script>
<script>${options.uplot.js.replace(/<\/script/gi, '<\\/script')}
${CLIENT}</script>
</body></html>
`;
}
