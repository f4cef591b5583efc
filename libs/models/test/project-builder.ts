import fc from 'fast-check';
import { parseTemplate } from '../src/template/parse.js';
import type { ModelNode, Project, SourceNode, TestNode } from '../src/project/types.js';

/** An in-memory project for graph/selection tests: models by SQL, sources by name, generic tests on models. */
export function buildProject(spec: {
  models: Record<string, { sql: string; tags?: string[]; dir?: string }>;
  sources?: string[];
  tests?: Record<string, { on: string; also?: string[]; singular?: boolean }>;
}): Project {
  const models = new Map<string, ModelNode>();
  for (const [name, m] of Object.entries(spec.models)) {
    const file = `models/${m.dir ? `${m.dir}/` : ''}${name}.sql`;
    const template = parseTemplate(m.sql, file);
    models.set(`model.${name}`, {
      kind: 'model', uniqueId: `model.${name}`, name, file, raw: m.sql, template, config: { materialized: 'view', tags: m.tags ?? [] },
      refs: template.refs.map((r) => r.name), sources: template.sources.map((s) => [s.source, s.table]), columns: {},
      fqn: ['p', ...(m.dir ? m.dir.split('/') : []), name],
    });
  }
  const sources = new Map<string, SourceNode>();
  for (const s of spec.sources ?? []) {
    const [source = '', name = ''] = s.split('.');
    sources.set(`source.${s}`, { kind: 'source', uniqueId: `source.${s}`, source, name, deltaPath: `${source}/${name}`, file: 'models/sources.yml', line: 1, columns: {} });
  }
  const tests = new Map<string, TestNode>();
  for (const [name, t] of Object.entries(spec.tests ?? {})) {
    tests.set(`test.${name}`, {
      kind: 'test', uniqueId: `test.${name}`, name, file: t.singular ? `tests/${name}.sql` : 'models/schema.yml', line: 7,
      ...(t.singular ? {} : { attachedTo: t.on, generic: { name: 'not_null' as const, args: {} }, column: 'id' }),
      config: { severity: 'error', warnIf: '!=0', errorIf: '!=0', storeFailures: false, tags: [] },
      dependsOn: [t.on, ...(t.also ?? [])],
    });
  }
  return { root: '/p', name: 'p', config: { name: 'p', modelPaths: ['models'], testPaths: ['tests'] }, models, sources, tests };
}

/** Random DAGs: model i refs some models j < i. */
export const dagArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))).map((deps) => deps as number[][]),
);
