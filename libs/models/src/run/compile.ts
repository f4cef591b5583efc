/**
 * Compiling a node to the SQL DuckDB runs: `ref()` and `source()` resolve to
 * relation names (a model's DuckDB table/view, a source's view), ephemeral
 * models are inlined as CTEs (`__dbt__cte__<name>`, nested ones first), and
 * `{{ this }}` is the model's own relation. Pure given the project.
 */
import { RunError } from '../errors.js';
import type { ModelNode, Project } from '../project/types.js';
import { render, type Renderable } from '../template/render.js';
import { quoteIdent } from '../engine/sql.js';

/** DuckDB schemas the runner uses: models, sources, narrowed incremental sources. */
export const SCHEMAS = { models: 'gold', sources: 'src', incremental: 'inc' } as const;

export function modelRelation(name: string): string {
  return `${SCHEMAS.models}.${quoteIdent(name)}`;
}
export function sourceRelation(source: string, table: string): string {
  return `${SCHEMAS.sources}.${quoteIdent(`${source}__${table}`)}`;
}
export function incrementalSourceRelation(model: string, source: string, table: string): string {
  return `${SCHEMAS.incremental}.${quoteIdent(`${model}__${source}__${table}`)}`;
}
export function cteName(model: string): string {
  return quoteIdent(`__dbt__cte__${model}`);
}
export function newRowsSourceRelation(model: string, source: string, table: string): string {
  return `${SCHEMAS.incremental}.${quoteIdent(`${model}__${source}__${table}__new_rows`)}`;
}

export interface CompileOptions {
  readonly isIncremental?: boolean;
  /** Source relation overrides for this node (an incremental run's narrowed sources), keyed `source.table`. */
  readonly sourceOverrides?: ReadonlyMap<string, string>;
  /** Inline `view` models as CTEs too (an incremental run narrows the sources they read as well). */
  readonly inlineViews?: boolean;
  /** Source relations of `new_rows()`: only the files added since the model's last run, keyed `source.table`. */
  readonly newRowsOverrides?: ReadonlyMap<string, string>;
}

/** The SQL of `node` (a model or a singular test) with refs resolved and ephemeral models inlined. */
export function compileNode(project: Project, node: Renderable & { readonly file: string }, self: string, options: CompileOptions = {}): string {
  const ctes = new Map<string, string>();
  const body = renderWith(project, node, self, options, ctes, []);
  if (ctes.size === 0) return body;
  const withs = [...ctes.entries()].map(([name, sql]) => `${cteName(name)} AS (\n${sql}\n)`).join(',\n');
  return `WITH ${withs}\nSELECT * FROM (\n${body}\n) AS __dbt_model`;
}

type Variant = 'narrowed' | 'new_rows';

function renderWith(project: Project, node: Renderable & { readonly file: string }, self: string, options: CompileOptions, ctes: Map<string, string>, stack: readonly string[], variant: Variant = 'narrowed'): string {
  const sources = variant === 'new_rows' ? options.newRowsOverrides : options.sourceOverrides;
  const model = (name: string, fn: string): ModelNode => {
    const target = project.models.get(`model.${name}`);
    if (!target) throw new RunError('SQL_FAILED', `${fn}('${name}') names no model`, { file: node.file });
    return target;
  };
  const inline = (target: ModelNode, as: Variant): string => {
    if (stack.includes(target.name)) throw new RunError('SQL_FAILED', `ephemeral models refer to each other in a cycle: ${[...stack, target.name].join(' → ')}`, { file: target.file });
    // The new rows' models are CTEs of their own, beside the narrowed ones of the same models.
    const key = as === 'new_rows' ? `${target.name}__new_rows` : target.name;
    if (!ctes.has(key)) {
      // Inlined models see the same (possibly narrowed) sources; is_incremental() is about the model being built, not them.
      ctes.set(key, renderWith(project, target, modelRelation(target.name), { ...options, isIncremental: false }, ctes, [...stack, target.name], as));
    }
    return cteName(key);
  };
  return render(node, {
    this: self,
    isIncremental: options.isIncremental ?? false,
    source: (source, table) => sources?.get(`${source}.${table}`) ?? sourceRelation(source, table),
    ref: (name) => relation(model(name, 'ref')),
    newRows: (name) => {
      const target = model(name, 'new_rows');
      const m = target.config.materialized;
      if (m !== 'ephemeral' && m !== 'view') {
        throw new RunError('SQL_FAILED', `new_rows('${name}') needs an ephemeral or view model (it reads that model over the sources' new files); ${name} is materialized as ${m}`, { file: node.file });
      }
      // Outside an incremental run every row is new: new_rows is ref.
      return options.newRowsOverrides === undefined ? relation(target) : inline(target, 'new_rows');
    },
  });

  /** What `ref` resolves to: an inlined CTE (ephemeral; views too when narrowing or reading new rows), else the relation. */
  function relation(target: ModelNode): string {
    const m = target.config.materialized;
    return m === 'ephemeral' || ((options.inlineViews === true || variant === 'new_rows') && m === 'view') ? inline(target, variant) : modelRelation(target.name);
  }
}

/**
 * The sources a model reads directly or through ephemeral and view models
 * (not through tables: those are gold tables with their own versions), in
 * order of first use: what an incremental model tracks and narrows.
 */
export function upstreamSources(project: Project, model: ModelNode): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const visit = (m: ModelNode): void => {
    if (seen.has(m.uniqueId)) return;
    seen.add(m.uniqueId);
    for (const [s, t] of m.sources) if (!out.some(([a, b]) => a === s && b === t)) out.push([s, t]);
    for (const r of m.refs) {
      const p = project.models.get(`model.${r}`);
      if (p && (p.config.materialized === 'ephemeral' || p.config.materialized === 'view')) visit(p);
    }
  };
  visit(model);
  return out;
}

/** Ephemeral models a model reads, directly or through other ephemeral models (for depends_on and docs). */
export function ephemeralInputs(project: Project, model: ModelNode): string[] {
  const out: string[] = [];
  const visit = (m: ModelNode): void => {
    for (const r of m.refs) {
      const t = project.models.get(`model.${r}`);
      if (t?.config.materialized === 'ephemeral' && !out.includes(t.uniqueId)) {
        out.push(t.uniqueId);
        visit(t);
      }
    }
  };
  visit(model);
  return out;
}
