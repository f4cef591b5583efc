import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProject, dagArb } from '../../test/project-builder.js';
import { GraphError } from '../errors.js';
import { loadProject } from '../project/load.js';
import { buildGraph } from './graph.js';

function refusal(f: () => unknown): GraphError {
  try {
    f();
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error('expected a GraphError');
}

describe('buildGraph', () => {
  it('orders the fixture project: sources, then models by refs, tests after what they read', async () => {
    const p = await loadProject(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'basic'));
    const g = buildGraph(p);
    const order = g.order();
    const before = (a: string, b: string) => expect(order.indexOf(a), `${a} before ${b}`).toBeLessThan(order.indexOf(b));
    before('source.silver.telemetry_enriched', 'model.stg_laps');
    before('model.stg_laps', 'model.lap_metrics');
    before('model.lap_metrics', 'model.session_metrics');
    before('model.session_metrics', 'test.assert_positive_best_lap');
    expect(g.parents('model.lap_metrics')).toEqual(['model.stg_laps']);
    expect(g.children('model.lap_metrics')).toContain('test.relationships_session_metrics_session_id__session_id__ref_lap_metrics');
    expect(g.parents('test.relationships_session_metrics_session_id__session_id__ref_lap_metrics')).toEqual(['model.lap_metrics', 'model.session_metrics']);
    expect([...g.ancestors('model.session_metrics')].sort()).toEqual(['model.lap_metrics', 'model.stg_laps', 'source.silver.telemetry_enriched']);
    expect([...g.descendants('model.stg_laps', 1)].sort()).toEqual(['model.lap_metrics']);
    expect(order).toHaveLength(p.models.size + p.sources.size + p.tests.size);
  });

  it('refuses an unknown ref with its file:line:column and a suggestion', () => {
    const p = buildProject({ models: { orders: { sql: 'select 1' }, b: { sql: "select\n  *\nfrom {{ ref('order') }}" } } });
    const e = refusal(() => buildGraph(p));
    expect(e.code).toBe('UNKNOWN_REF');
    expect(e.context).toMatchObject({ file: 'models/b.sql', line: 3, column: 9, node: 'model.b' });
    expect(e.message).toContain("models/b.sql:3:9: model.b depends on ref('order'), which is not a model (did you mean model.orders?)");
  });

  it('refuses an unknown source, and a test on an unknown relationships target', () => {
    const e = refusal(() => buildGraph(buildProject({ models: { a: { sql: "{{ source('silver', 'nope') }}" } }, sources: ['silver.t'] })));
    expect(e).toMatchObject({ code: 'UNKNOWN_SOURCE', context: { file: 'models/a.sql', line: 1, column: 4 } });
    const t = refusal(() => buildGraph(buildProject({ models: { a: { sql: 'select 1' } }, tests: { rel: { on: 'model.a', also: ['model.zzz'] } } })));
    expect(t).toMatchObject({ code: 'UNKNOWN_REF', context: { file: 'models/schema.yml', line: 7, node: 'test.rel' } });
  });

  it('refuses a cycle, listing every ref with file:line', () => {
    const p = buildProject({
      models: { a: { sql: "select * from {{ ref('c') }}" }, b: { sql: "\nselect * from {{ ref('a') }}" }, c: { sql: "\n\n{{ ref('b') }}" }, d: { sql: "{{ ref('a') }}" } },
    });
    const e = refusal(() => buildGraph(p));
    expect(e.code).toBe('GRAPH_CYCLE');
    expect(e.cycle).toEqual([
      { from: 'model.a', to: 'model.c', file: 'models/a.sql', line: 1 },
      { from: 'model.c', to: 'model.b', file: 'models/c.sql', line: 3 },
      { from: 'model.b', to: 'model.a', file: 'models/b.sql', line: 2 },
    ]);
    expect(e.message).toContain('model.a → model.c → model.b → model.a');
    expect(e.message).toContain('models/c.sql:3');
  });

  it('a self-ref is a cycle of one', () => {
    const e = refusal(() => buildGraph(buildProject({ models: { a: { sql: "{{ ref('a') }}" } } })));
    expect(e.cycle).toEqual([{ from: 'model.a', to: 'model.a', file: 'models/a.sql', line: 1 }]);
  });
});

describe('graph properties', () => {
  it('order() is a topological order, stable, with every node once; ancestors/descendants agree', () => {
    fc.assert(
      fc.property(dagArb, fc.boolean(), (deps, shuffle) => {
        const names = deps.map((_, i) => `m${String(i).padStart(2, '0')}`);
        const entries = deps.map((ds, i) => [names[i] ?? '', { sql: ds.map((j) => `{{ ref('${names[j]}') }}`).join(' join ') || 'select 1' }] as const);
        const g = buildGraph(buildProject({ models: Object.fromEntries(shuffle ? [...entries].reverse() : entries) }));
        const again = buildGraph(buildProject({ models: Object.fromEntries(entries) }));
        const order = g.order();
        expect(order).toEqual(again.order());
        expect(new Set(order).size).toBe(deps.length);
        for (const id of order) for (const p of g.parents(id)) expect(order.indexOf(p)).toBeLessThan(order.indexOf(id));
        for (const id of order) for (const a of g.ancestors(id)) expect(g.descendants(a).has(id)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('adding a back edge to an ancestor always yields GRAPH_CYCLE whose steps are real refs', () => {
    fc.assert(
      fc.property(dagArb.filter((d) => d.some((x) => x.length > 0)), fc.nat(), (deps, pick) => {
        const names = deps.map((_, i) => `m${i}`);
        const withDeps = deps.map((d, i) => [d, i] as const).filter(([d]) => d.length > 0);
        const [d, i] = withDeps[pick % withDeps.length] ?? [[0], 0];
        const parent = d[0] ?? 0;
        const models = Object.fromEntries(deps.map((ds, k) => [names[k], { sql: [...ds.map((j) => `{{ ref('${names[j]}') }}`), ...(k === parent ? [`{{ ref('${names[i]}') }}`] : [])].join('\n') || 'select 1' }]));
        const e = refusal(() => buildGraph(buildProject({ models })));
        expect(e.code).toBe('GRAPH_CYCLE');
        for (const s of e.cycle) {
          const m = `${s.from.slice(6)}`;
          expect(models[m]?.sql.split('\n')[(s.line ?? 0) - 1]).toContain(`ref('${s.to.slice(6)}')`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
