import { TemplateError } from '../errors.js';
import type { Condition, Literal, Position, RefSite, SourceSite, Template, TemplateNode } from './ast.js';
import { cursor, parseCondition, parseOutput } from './expr.js';
import { LineMap, scan } from './scan.js';

const UNSUPPORTED_TAGS = new Set([
  'for', 'endfor', 'set', 'endset', 'macro', 'endmacro', 'call', 'endcall', 'raw', 'endraw', 'block', 'endblock',
  'extends', 'include', 'import', 'from', 'filter', 'endfilter', 'with', 'endwith', 'do', 'materialization',
  'test', 'snapshot', 'endsnapshot', 'docs', 'enddocs', 'break', 'continue', 'autoescape',
]);

interface IfFrame {
  readonly pos: Position;
  readonly branches: { condition: Condition; body: TemplateNode[]; pos: Position }[];
  readonly otherwise: TemplateNode[];
  inElse: boolean;
}

/**
 * Parses a model or test template into its AST. Throws TemplateError (with
 * file, line, column and what was found) for malformed templates and for
 * Jinja outside the documented subset.
 */
export function parseTemplate(source: string, file: string): Template {
  const lines = new LineMap(source);
  const root: TemplateNode[] = [];
  const stack: IfFrame[] = [];
  const config: Record<string, Literal> = {};
  let configPos: Position | undefined;
  const refs: RefSite[] = [];
  const sources: SourceSite[] = [];
  let usesIsIncremental = false;

  const body = (): TemplateNode[] => {
    const top = stack[stack.length - 1];
    if (top === undefined) return root;
    return top.inElse ? top.otherwise : (top.branches[top.branches.length - 1]?.body ?? root);
  };
  const noteCondition = (c: Condition): void => {
    if (c.kind === 'is_incremental') usesIsIncremental = true;
    else if (c.kind === 'not') noteCondition(c.operand);
    else if (c.kind === 'and' || c.kind === 'or') {
      noteCondition(c.left);
      noteCondition(c.right);
    }
  };

  for (const seg of scan(source, file, lines)) {
    if (seg.kind === 'text') {
      if (seg.value.length > 0) body().push({ kind: 'text', value: seg.value, pos: lines.at(seg.start) });
      continue;
    }
    if (seg.kind === 'comment') continue;
    const pos = lines.at(seg.start);
    const c = cursor(seg.inner, seg.innerStart, file, lines);
    if (seg.kind === 'expr') {
      const expr = parseOutput(c);
      if (expr.kind === 'config') {
        if (stack.length > 0) throw new TemplateError('TEMPLATE_UNSUPPORTED', 'config() inside {% if %} is not supported (configuration is static)', { file, ...expr.pos });
        Object.assign(config, expr.args);
        configPos ??= expr.pos;
      } else if (expr.kind === 'ref' || expr.kind === 'new_rows') refs.push({ name: expr.name, ...expr.pos });
      else if (expr.kind === 'source') sources.push({ source: expr.source, table: expr.table, ...expr.pos });
      body().push({ kind: 'output', expr, pos });
      continue;
    }
    const tag = c.next();
    if (tag.t !== 'ident') c.fail('TEMPLATE_SYNTAX', tag.t === 'eof' ? 'empty {% %}' : 'expected a tag name after {%', tag);
    const name = tag.t === 'ident' ? tag.v : '';
    const top = stack[stack.length - 1];
    switch (name) {
      case 'if': {
        const condition = parseCondition(c);
        noteCondition(condition);
        const frame: IfFrame = { pos, branches: [{ condition, body: [], pos }], otherwise: [], inElse: false };
        stack.push(frame);
        break;
      }
      case 'elif': {
        if (top === undefined || top.inElse) c.fail('TEMPLATE_SYNTAX', top ? '{% elif %} after {% else %}' : '{% elif %} without {% if %}', tag);
        const condition = parseCondition(c);
        noteCondition(condition);
        top?.branches.push({ condition, body: [], pos });
        break;
      }
      case 'else':
        if (top === undefined || top.inElse) c.fail('TEMPLATE_SYNTAX', top ? 'a second {% else %} in one {% if %}' : '{% else %} without {% if %}', tag);
        c.end('else');
        if (top) top.inElse = true;
        break;
      case 'endif': {
        if (top === undefined) c.fail('TEMPLATE_SYNTAX', '{% endif %} without {% if %}', tag);
        c.end('endif');
        stack.pop();
        if (top) body().push({ kind: 'if', branches: top.branches, otherwise: top.otherwise, pos: top.pos });
        break;
      }
      default:
        c.fail('TEMPLATE_UNSUPPORTED', UNSUPPORTED_TAGS.has(name) ? `{% ${name} %} is not supported (the template subset has {% if %}/{% elif %}/{% else %}/{% endif %} only)` : `unknown tag {% ${name} %}`, tag);
    }
  }
  const open = stack[stack.length - 1];
  if (open !== undefined) {
    throw new TemplateError('TEMPLATE_SYNTAX', `{% if %} at line ${open.pos.line} is missing its {% endif %}`, { file, ...open.pos, found: 'end of file' });
  }
  return { file, nodes: root, config, ...(configPos ? { configPos } : {}), refs, sources, usesIsIncremental };
}
