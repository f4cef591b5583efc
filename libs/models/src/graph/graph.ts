import { GraphError, type CycleStep } from '../errors.js';
import type { Node, Project } from '../project/types.js';
import type { Position } from '../template/ast.js';

/** The DAG of a project: sources → models → tests. */
export interface Graph {
  readonly nodes: ReadonlyMap<string, Node>;
  parents(id: string): readonly string[];
  children(id: string): readonly string[];
  /** Every node id, parents before children; ties broken by id (stable across runs). */
  order(): readonly string[];
  /** Ancestors of `id` up to `depth` edges away (all when undefined), without `id`. */
  ancestors(id: string, depth?: number): Set<string>;
  descendants(id: string, depth?: number): Set<string>;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly pos?: Position | { line?: number };
}

/**
 * Builds the DAG from refs, sources and test dependencies. Throws GraphError
 * for a ref/source that names nothing (UNKNOWN_REF / UNKNOWN_SOURCE, with the
 * file:line:column of the call) and for cycles (GRAPH_CYCLE, listing each ref).
 */
export function buildGraph(project: Project): Graph {
  const nodes = new Map<string, Node>();
  for (const s of project.sources.values()) nodes.set(s.uniqueId, s);
  for (const m of project.models.values()) nodes.set(m.uniqueId, m);
  for (const t of project.tests.values()) nodes.set(t.uniqueId, t);

  const edges: Edge[] = []; // child depends on parent: from = child, to = parent
  for (const m of project.models.values()) {
    for (const r of m.template.refs) edges.push(resolve(nodes, m.uniqueId, `model.${r.name}`, m.file, r, `ref('${r.name}')`));
    for (const s of m.template.sources) edges.push(resolve(nodes, m.uniqueId, `source.${s.source}.${s.table}`, m.file, s, `source('${s.source}', '${s.table}')`));
  }
  for (const t of project.tests.values()) {
    for (const dep of t.dependsOn) {
      const site = t.template?.refs.find((r) => `model.${r.name}` === dep) ?? t.template?.sources.find((s) => `source.${s.source}.${s.table}` === dep);
      const call = dep.startsWith('model.') ? `ref('${dep.slice(6)}')` : `source('${dep.split('.').slice(1).join("', '")}')`;
      edges.push(resolve(nodes, t.uniqueId, dep, t.file, site ?? (t.line !== undefined ? { line: t.line } : {}), call));
    }
  }

  const parents = new Map<string, string[]>();
  const children = new Map<string, string[]>();
  const via = new Map<string, Edge>();
  for (const id of nodes.keys()) {
    parents.set(id, []);
    children.set(id, []);
  }
  for (const e of edges) {
    const ps = parents.get(e.from) ?? [];
    if (ps.includes(e.to)) continue;
    ps.push(e.to);
    children.get(e.to)?.push(e.from);
    via.set(`${e.from}\0${e.to}`, e);
  }
  for (const list of [...parents.values(), ...children.values()]) list.sort();

  const order = topological([...nodes.keys()].sort(), parents, children, via);
  const walk = (start: string, next: Map<string, string[]>, depth?: number): Set<string> => {
    const seen = new Set<string>();
    let frontier = [start];
    for (let d = 0; frontier.length > 0 && (depth === undefined || d < depth); d++) {
      const nextFrontier: string[] = [];
      for (const id of frontier) {
        for (const n of next.get(id) ?? []) {
          if (seen.has(n) || n === start) continue;
          seen.add(n);
          nextFrontier.push(n);
        }
      }
      frontier = nextFrontier;
    }
    return seen;
  };
  return {
    nodes,
    parents: (id) => parents.get(id) ?? [],
    children: (id) => children.get(id) ?? [],
    order: () => order,
    ancestors: (id, depth) => walk(id, parents, depth),
    descendants: (id, depth) => walk(id, children, depth),
  };
}

function resolve(nodes: Map<string, Node>, from: string, to: string, file: string, pos: Position | { line?: number }, call: string): Edge {
  if (!nodes.has(to)) {
    const code = to.startsWith('model.') ? 'UNKNOWN_REF' : 'UNKNOWN_SOURCE';
    const known = [...nodes.keys()].filter((k) => k.startsWith(to.startsWith('model.') ? 'model.' : 'source.'));
    const hint = suggest(to, known);
    throw new GraphError(code, `${from} depends on ${call}, which ${code === 'UNKNOWN_REF' ? 'is not a model' : 'is not a declared source table'}${hint ? ` (did you mean ${hint}?)` : ''}`, { file, ...pos, node: from });
  }
  return { from, to, file, pos };
}

/** Kahn's algorithm, always taking the smallest ready id; leftovers mean a cycle. */
function topological(ids: string[], parents: Map<string, string[]>, children: Map<string, string[]>, via: Map<string, Edge>): string[] {
  const indegree = new Map(ids.map((id) => [id, parents.get(id)?.length ?? 0]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const out: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    out.push(id);
    for (const c of children.get(id) ?? []) {
      const d = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, d);
      if (d === 0) ready.splice(insertionPoint(ready, c), 0, c);
    }
  }
  if (out.length === ids.length) return out;
  const cycle = findCycle(ids.filter((id) => (indegree.get(id) ?? 0) > 0), parents, via);
  const text = cycle.map((s) => `${s.from} refs ${s.to} at ${s.file}${s.line !== undefined ? `:${s.line}` : ''}`).join('; ');
  const first = cycle[0];
  throw new GraphError('GRAPH_CYCLE', `found a cycle: ${[...cycle.map((s) => s.from), first?.from ?? ''].join(' → ')} (${text})`, first ? { file: first.file, ...(first.line !== undefined ? { line: first.line } : {}), node: first.from } : {}, cycle);
}

function findCycle(stuck: string[], parents: Map<string, string[]>, via: Map<string, Edge>): CycleStep[] {
  const inStuck = new Set(stuck);
  // Every stuck node has a stuck parent; walk parents until a node repeats.
  const path: string[] = [];
  const index = new Map<string, number>();
  let cur = stuck[0] ?? '';
  while (!index.has(cur)) {
    index.set(cur, path.length);
    path.push(cur);
    cur = (parents.get(cur) ?? []).find((p) => inStuck.has(p)) ?? cur;
  }
  const loop = path.slice(index.get(cur));
  // path follows child → parent ("a refs b"); report in that direction.
  return loop.map((from, i) => {
    const to = loop[(i + 1) % loop.length] ?? from;
    const e = via.get(`${from}\0${to}`);
    const line = e?.pos && 'line' in e.pos ? e.pos.line : undefined;
    return { from, to, file: e?.file ?? '', ...(line !== undefined ? { line } : {}) };
  });
}

function insertionPoint(sorted: string[], x: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? '') < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function suggest(to: string, known: string[]): string | undefined {
  const name = to.split('.').pop() ?? '';
  return known.find((k) => {
    const n = k.split('.').pop() ?? '';
    return n.includes(name) || name.includes(n) || distance(n, name) <= 2;
  });
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j] ?? 0;
      d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length] ?? 0;
}
