/**
 * `docs generate`'s static lineage page (`target/index.html`): one
 * self-contained HTML file (inline CSS, no scripts or fonts to fetch) with
 * the DAG of sources and models drawn as SVG — boxes per node coloured by
 * kind, edges parent → child — and, below, each node's description,
 * materialization, Delta path, columns, tests and compiled SQL. Each box
 * links to its section. Pure.
 */
import type { Manifest } from '../artifacts/schemas.js';
import { BOX, layoutDag } from './layout.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const anchor = (id: string): string => `node-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const COLORS = { source: '#2f855a', table: '#2b6cb0', incremental: '#6b46c1', view: '#b7791f', ephemeral: '#718096' } as Record<string, string>;

export function renderLineageHtml(manifest: Manifest): string {
  const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model');
  const tests = Object.values(manifest.nodes).filter((n) => n.resource_type === 'test');
  const sources = Object.values(manifest.sources);
  const ids = [...sources.map((s) => s.unique_id), ...models.map((m) => m.unique_id)];
  const edges = models.flatMap((m) => m.depends_on.nodes.filter((p) => ids.includes(p)).map((p) => [p, m.unique_id] as const));
  const layout = layoutDag({ ids, edges });
  const kind = (id: string): string => manifest.sources[id] ? 'source' : (manifest.nodes[id]?.config.materialized ?? 'table');
  const title = (id: string): string => {
    const s = manifest.sources[id];
    return s ? `${s.source_name}.${s.name}` : (manifest.nodes[id]?.name ?? id);
  };
  const paths = edges.map(([p, c]) => {
    const a = layout.nodes.get(p);
    const b = layout.nodes.get(c);
    if (!a || !b) return '';
    const x1 = a.x + BOX.width;
    const y1 = a.y + BOX.height / 2;
    const x2 = b.x;
    const y2 = b.y + BOX.height / 2;
    const mid = (x1 + x2) / 2;
    return `<path class="edge" data-from="${esc(p)}" data-to="${esc(c)}" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" marker-end="url(#arrow)"/>`;
  });
  const boxes = ids.map((id) => {
    const n = layout.nodes.get(id);
    if (!n) return '';
    const k = kind(id);
    const label = title(id);
    return `<a href="#${anchor(id)}"><g class="node" data-id="${esc(id)}" data-kind="${esc(k)}"><title>${esc(id)}</title>` +
      `<rect x="${n.x}" y="${n.y}" width="${BOX.width}" height="${BOX.height}" rx="6" fill="${COLORS[k] ?? '#4a5568'}"/>` +
      `<text x="${n.x + 10}" y="${n.y + 17}" class="name">${esc(label.length > 24 ? `${label.slice(0, 23)}…` : label)}</text>` +
      `<text x="${n.x + 10}" y="${n.y + 32}" class="kind">${esc(k)}</text></g></a>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" id="lineage" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="lineage graph">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#a0aec0"/></marker></defs>` +
    `${paths.join('')}${boxes.join('')}</svg>`;

  const columnTable = (cols: Record<string, { name: string; description: string; data_type: string | null }>): string => {
    const rows = Object.values(cols);
    if (rows.length === 0) return '<p class="muted">No documented columns.</p>';
    return `<table><thead><tr><th>column</th><th>type</th><th>description</th></tr></thead><tbody>${rows.map((c) => `<tr><td><code>${esc(c.name)}</code></td><td>${esc(c.data_type ?? '')}</td><td>${esc(c.description)}</td></tr>`).join('')}</tbody></table>`;
  };
  const testsOf = (id: string): string => {
    const ts = tests.filter((t) => t.attached_node === id);
    return ts.length === 0 ? '' : `<p><b>Tests:</b> ${ts.map((t) => `<code>${esc(t.name)}</code>${t.config.severity === 'warn' ? ' (warn)' : ''}`).join(', ')}</p>`;
  };
  const sections = [
    ...sources.map((s) => `<section id="${anchor(s.unique_id)}"><h2>source ${esc(s.source_name)}.${esc(s.name)}</h2>` +
      `<p>${esc(s.description) || '<span class="muted">No description.</span>'}</p><p><b>Delta path:</b> <code>${esc(s.delta_path)}</code>` +
      `${s.loaded_at_field ? ` · <b>loaded_at_field:</b> <code>${esc(s.loaded_at_field)}</code>` : ''}</p>${columnTable(s.columns)}${testsOf(s.unique_id)}</section>`),
    ...models.map((m) => `<section id="${anchor(m.unique_id)}"><h2>model ${esc(m.name)} <small>${esc(m.config.materialized)}</small></h2>` +
      `<p>${esc(m.description) || '<span class="muted">No description.</span>'}</p>` +
      `<p><b>File:</b> <code>${esc(m.original_file_path)}</code>${m.delta_path ? ` · <b>Delta path:</b> <code>${esc(m.delta_path)}</code>` : ''}` +
      `${m.config.unique_key ? ` · <b>unique_key:</b> <code>${esc(m.config.unique_key.join(', '))}</code>` : ''}${m.config.partition_by ? ` · <b>partition_by:</b> <code>${esc(m.config.partition_by.join(', '))}</code>` : ''}</p>` +
      `<p><b>Depends on:</b> ${m.depends_on.nodes.map((d) => `<a href="#${anchor(d)}">${esc(d)}</a>`).join(', ') || 'nothing'}</p>` +
      `${columnTable(m.columns)}${testsOf(m.unique_id)}<details><summary>compiled SQL</summary><pre>${esc(m.compiled_code ?? m.raw_code)}</pre></details></section>`),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(manifest.metadata.project_name ?? 'gold')} — lineage</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1a202c}
h1{font-size:22px}h2{font-size:17px;margin-bottom:4px}small{color:#718096;font-weight:normal}
#graph{overflow:auto;border:1px solid #e2e8f0;border-radius:8px;background:#f7fafc;margin-bottom:24px}
.edge{fill:none;stroke:#a0aec0;stroke-width:1.5}.node text{fill:#fff}.node .name{font-weight:600;font-size:13px}.node .kind{font-size:11px;opacity:.85}
section{border-top:1px solid #e2e8f0;padding:8px 0}table{border-collapse:collapse}td,th{border:1px solid #e2e8f0;padding:3px 8px;text-align:left}
pre{background:#f7fafc;padding:8px;overflow:auto}.muted{color:#a0aec0}.legend span{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;margin-right:6px}
</style></head><body>
<h1>${esc(manifest.metadata.project_name ?? 'gold')} — lineage</h1>
<p class="legend">${Object.entries(COLORS).map(([k, c]) => `<span style="background:${c}">${k}</span>`).join('')} · ${sources.length} sources, ${models.length} models, ${tests.length} tests · generated ${esc(manifest.metadata.generated_at)}</p>
<div id="graph">${svg}</div>
${sections.join('\n')}
</body></html>
`;
}
