import type { Graph } from '../graph/graph.js';
import type { Node, Project } from '../project/types.js';
import { parseSelectors, type SelectorAtom, type SelectorTerm } from './parse.js';

export interface SelectOptions {
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
}

/**
 * dbt node selection: the unique ids selected by `--select` (all nodes when
 * empty) minus `--exclude`, in graph order. Tests whose parents include a
 * selected node are selected with it (dbt's eager indirect selection), and
 * tests of an excluded node are excluded with it.
 */
export function selectNodes(project: Project, graph: Graph, options: SelectOptions = {}): string[] {
  void project;
  const select = parseSelectors(options.select ?? []);
  const exclude = parseSelectors(options.exclude ?? []);
  const chosen = select.length === 0 ? new Set(graph.nodes.keys()) : withTests(graph, union(graph, select));
  const removed = withTests(graph, union(graph, exclude));
  return graph.order().filter((id) => chosen.has(id) && !removed.has(id));
}

function union(graph: Graph, terms: readonly SelectorTerm[]): Set<string> {
  const out = new Set<string>();
  for (const term of terms) for (const id of intersection(graph, term)) out.add(id);
  return out;
}

function intersection(graph: Graph, term: SelectorTerm): Set<string> {
  let acc: Set<string> | undefined;
  for (const atom of term) {
    const s = expand(graph, atom);
    acc = acc === undefined ? s : new Set([...acc].filter((id) => s.has(id)));
  }
  return acc ?? new Set();
}

function expand(graph: Graph, atom: SelectorAtom): Set<string> {
  const base = [...graph.nodes.values()].filter((n) => matches(n, atom)).map((n) => n.uniqueId);
  const out = new Set(base);
  const depth = (d: number | 'all' | undefined): number | undefined => (d === 'all' ? undefined : d);
  for (const id of base) {
    if (atom.parents !== undefined) for (const a of graph.ancestors(id, depth(atom.parents))) out.add(a);
    if (atom.children !== undefined || atom.at) for (const c of graph.descendants(id, depth(atom.children))) out.add(c);
  }
  if (atom.at) for (const id of [...out]) for (const a of graph.ancestors(id)) out.add(a);
  return out;
}

function withTests(graph: Graph, ids: Set<string>): Set<string> {
  const out = new Set(ids);
  for (const id of ids) for (const c of graph.children(id)) if (graph.nodes.get(c)?.kind === 'test') out.add(c);
  return out;
}

/** Whether a node matches an atom's method:value (before graph operators). */
export function matches(node: Node, atom: SelectorAtom): boolean {
  const v = atom.value;
  switch (atom.method) {
    case 'name':
      return node.kind !== 'source' && glob(v).test(node.name);
    case 'fqn':
      return node.kind === 'model' ? glob(v).test(node.fqn.join('.')) || glob(v).test(node.name) : node.kind === 'test' && glob(v).test(node.name);
    case 'tag':
      return node.kind !== 'source' && node.config.tags.some((t) => glob(v).test(t));
    case 'path': {
      const p = v.replace(/^\.\//, '').replace(/\/+$/, '');
      return node.file === p || node.file.startsWith(`${p}/`) || (p.includes('*') && glob(p).test(node.file));
    }
    case 'source': {
      if (node.kind !== 'source') return false;
      const [src = '', table] = v.split('.');
      return glob(src).test(node.source) && (table === undefined || glob(table).test(node.name));
    }
    case 'test_type':
      return node.kind === 'test' && (v === 'generic') === (node.generic !== undefined);
    case 'resource_type':
      return node.kind === v;
  }
}

const globs = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    globs.set(pattern, re);
  }
  return re;
}
