import type { Condition, RenderContext, Template, TemplateNode } from './ast.js';
import { parseTemplate } from './parse.js';

/** Something renderable: a parsed template, or a node carrying one (or its raw SQL and file). */
export type Renderable = Template | { readonly template?: Template; readonly raw?: string; readonly file: string };

/**
 * Renders a template to SQL: `ref`/`source`/`this` become the relation names
 * the context returns, `config()` renders to nothing, `{% if %}` picks a branch
 * by `ctx.isIncremental`. Pure; throws TemplateError only when given raw SQL
 * that does not parse.
 */
export function render(node: Renderable, ctx: RenderContext): string {
  const template = 'nodes' in node ? node : (node.template ?? parseTemplate(node.raw ?? '', node.file));
  return renderNodes(template.nodes, ctx);
}

function renderNodes(nodes: readonly TemplateNode[], ctx: RenderContext): string {
  let out = '';
  for (const n of nodes) {
    switch (n.kind) {
      case 'text':
        out += n.value;
        break;
      case 'output': {
        const e = n.expr;
        if (e.kind === 'ref') out += ctx.ref(e.name);
        else if (e.kind === 'new_rows') out += ctx.newRows(e.name);
        else if (e.kind === 'source') out += ctx.source(e.source, e.table);
        else if (e.kind === 'this') out += ctx.this;
        break;
      }
      case 'if': {
        const branch = n.branches.find((b) => evaluate(b.condition, ctx));
        out += renderNodes(branch ? branch.body : n.otherwise, ctx);
        break;
      }
    }
  }
  return out;
}

/** Evaluates an `{% if %}` condition. */
export function evaluate(c: Condition, ctx: Pick<RenderContext, 'isIncremental'>): boolean {
  switch (c.kind) {
    case 'is_incremental':
      return ctx.isIncremental;
    case 'const':
      return c.value;
    case 'not':
      return !evaluate(c.operand, ctx);
    case 'and':
      return evaluate(c.left, ctx) && evaluate(c.right, ctx);
    case 'or':
      return evaluate(c.left, ctx) || evaluate(c.right, ctx);
  }
}
