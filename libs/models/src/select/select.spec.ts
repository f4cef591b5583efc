import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProject, dagArb } from '../../test/project-builder.js';
import { SelectError } from '../errors.js';
import { buildGraph } from '../graph/graph.js';
import { parseSelectors } from './parse.js';
import { selectNodes } from './select.js';

//  source.silver.t ─▶ stg ─▶ laps ─▶ sessions ─▶ report
//                      │              └─▶ (test.not_null_sessions)
//  source.silver.u ─▶ sat            (test.rel_laps_sessions on laps + sessions; test.singular_laps on laps)
const project = buildProject({
  sources: ['silver.t', 'silver.u'],
  models: {
    stg: { sql: "{{ source('silver', 't') }}", dir: 'staging' },
    laps: { sql: "{{ ref('stg') }}", tags: ['gold', 'laps'], dir: 'marts' },
    sessions: { sql: "{{ ref('laps') }}", tags: ['gold'], dir: 'marts' },
    report: { sql: "{{ ref('sessions') }}", dir: 'marts/reporting' },
    sat: { sql: "{{ source('silver', 'u') }}", tags: ['satellite'], dir: 'marts' },
  },
  tests: {
    not_null_sessions: { on: 'model.sessions' },
    rel_laps_sessions: { on: 'model.sessions', also: ['model.laps'] },
    singular_laps: { on: 'model.laps', singular: true },
  },
});
const graph = buildGraph(project);
const sel = (select: string[], exclude: string[] = []) => selectNodes(project, graph, { select, exclude }).map((id) => id.replace(/^\w+\./, ''));

describe('selectNodes', () => {
  it.each<[string[], string[], string[]]>([
    [[], [], ['silver.t', 'silver.u', 'sat', 'stg', 'laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions', 'report']],
    [['laps'], [], ['laps', 'singular_laps', 'rel_laps_sessions']],
    [['+laps'], [], ['silver.t', 'stg', 'laps', 'singular_laps', 'rel_laps_sessions']],
    [['laps+'], [], ['laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions', 'report']],
    [['laps+1'], [], ['laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions']],
    [['1+sessions'], [], ['laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions']],
    [['+sessions+'], [], ['silver.t', 'stg', 'laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions', 'report']],
    [['@stg'], [], ['silver.t', 'stg', 'laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions', 'report']],
    [['tag:gold'], [], ['laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions']],
    [['tag:gold,tag:laps'], [], ['laps', 'singular_laps', 'rel_laps_sessions']],
    [['tag:gold tag:satellite'], [], ['sat', 'laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions']],
    [['tag:gold', 'sat'], [], ['sat', 'laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions']],
    [['path:models/marts/reporting'], [], ['report']],
    [['models/staging'], [], ['stg']],
    [['path:models/marts'], ['sessions'], ['sat', 'laps', 'singular_laps', 'report']],
    [['source:silver'], [], ['silver.t', 'silver.u']],
    [['source:silver.u+'], [], ['silver.u', 'sat']],
    [['source:silver+'], ['tag:gold'], ['silver.t', 'silver.u', 'sat', 'stg', 'report']],
    [['test_type:singular'], [], ['singular_laps']],
    [['test_type:generic'], [], ['not_null_sessions', 'rel_laps_sessions']],
    [['resource_type:model', 'resource_type:source'], ['sat'], ['silver.t', 'silver.u', 'stg', 'laps', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions', 'report']],
    [['not_null_sessions'], [], ['not_null_sessions']],
    [['s*'], [], ['sat', 'stg', 'singular_laps', 'sessions', 'not_null_sessions', 'rel_laps_sessions']],
    [['nothing'], [], []],
  ])('--select %j --exclude %j', (select, exclude, expected) => {
    // membership here; graph order is checked by the properties below
    expect([...sel(select, exclude)].sort()).toEqual([...expected].sort());
  });

  it('refuses bad selectors with SelectError', () => {
    for (const bad of ['colour:red', '@+a', 'tag:', 'test_type:unit', 'a++', 'resource_type:seed']) {
      expect(() => parseSelectors([bad]), bad).toThrow(SelectError);
    }
    expect(() => parseSelectors(['x', 'colour:red'])).toThrow(/unknown selector method 'colour:'/);
  });
});

describe('selection properties', () => {
  const setup = (deps: number[][]) => {
    const names = deps.map((_, i) => `m${i}`);
    const p = buildProject({
      models: Object.fromEntries(deps.map((ds, i) => [names[i], { sql: ds.map((j) => `{{ ref('m${j}') }}`).join(' ') || 'select 1', tags: i % 2 ? ['odd'] : [] }])),
      tests: Object.fromEntries(names.map((n) => [`t_${n}`, { on: `model.${n}` }])),
    });
    return { p, g: buildGraph(p), names };
  };
  const arb = dagArb.chain((deps) => fc.record({ deps: fc.constant(deps), a: fc.nat(deps.length - 1), b: fc.nat(deps.length - 1) }));

  it('+x is closed under parents, x+ under children; both contain x and its tests; results follow graph order', () => {
    fc.assert(
      fc.property(arb, ({ deps, a }) => {
        const { p, g, names } = setup(deps);
        const x = `model.${names[a]}`;
        const up = selectNodes(p, g, { select: [`+${names[a]}`] });
        const down = selectNodes(p, g, { select: [`${names[a]}+`] });
        for (const s of [up, down]) expect(s).toEqual(expect.arrayContaining([x, `test.t_${names[a]}`]));
        for (const id of up) if (id.startsWith('model.')) for (const par of g.parents(id)) expect(up).toContain(par);
        for (const id of down) for (const c of g.children(id)) expect(down).toContain(c);
        const order = g.order();
        expect(up).toEqual(order.filter((id) => up.includes(id)));
      }),
      { numRuns: 150 },
    );
  });

  it('union is commutative, intersection is within each side, exclude removes the excluded and their tests', () => {
    fc.assert(
      fc.property(arb, ({ deps, a, b }) => {
        const { p, g, names } = setup(deps);
        const A = `+${names[a]}`;
        const B = `${names[b]}+`;
        const s = (select: string[], exclude: string[] = []) => selectNodes(p, g, { select, exclude });
        expect(new Set(s([`${A} ${B}`]))).toEqual(new Set(s([B, A])));
        const both = s([`${A},${B}`]);
        for (const id of both) {
          expect(s([A])).toContain(id);
          expect(s([B])).toContain(id);
        }
        const minus = s([A], [names[b] ?? '']);
        expect(minus).not.toContain(`model.${names[b]}`);
        expect(minus).not.toContain(`test.t_${names[b]}`);
        for (const id of minus) expect(s([A])).toContain(id);
        expect(s(['tag:odd']).filter((id) => id.startsWith('model.'))).toEqual(g.order().filter((id) => id.startsWith('model.') && Number(id.slice(7)) % 2 === 1));
      }),
      { numRuns: 150 },
    );
  });
});
