import { TemplateError } from '../errors.js';
import type { Condition, Expr, Literal, Position } from './ast.js';
import type { LineMap } from './scan.js';

type Tok =
  | { readonly t: 'ident'; readonly v: string; readonly at: number }
  | { readonly t: 'str'; readonly v: string; readonly at: number }
  | { readonly t: 'num'; readonly v: number; readonly at: number }
  | { readonly t: 'punct'; readonly v: '(' | ')' | '[' | ']' | ',' | '='; readonly at: number }
  | { readonly t: 'eof'; readonly at: number };

const SUPPORTED = 'the template subset is config(), ref(), new_rows(), source(), this and {% if is_incremental() %}';
const UNSUPPORTED_OPS: Record<string, string> = {
  '|': 'filters (|)',
  '.': 'attribute access (.)',
  '~': 'string concatenation (~)',
  ':': "':'",
  '{': 'dict literals',
};

/** Tokens of one block's inside; positions are absolute offsets in the template. */
function tokenize(inner: string, base: number, file: string, lines: LineMap): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const fail = (code: 'TEMPLATE_SYNTAX' | 'TEMPLATE_UNSUPPORTED', detail: string, at: number, found: string): never => {
    throw new TemplateError(code, detail, { file, ...lines.at(base + at), found });
  };
  while (i < inner.length) {
    const c = inner[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner.slice(i));
      const v = m?.[0] ?? c;
      toks.push({ t: 'ident', v, at: base + i });
      i += v.length;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(inner[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(inner.slice(i));
      const v = m?.[0] ?? c;
      toks.push({ t: 'num', v: Number(v), at: base + i });
      i += v.length;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < inner.length && inner[j] !== c) {
        if (inner[j] === '\\' && j + 1 < inner.length) {
          const e = inner[j + 1] ?? '';
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else {
          v += inner[j];
          j++;
        }
      }
      if (j >= inner.length) fail('TEMPLATE_SYNTAX', 'unterminated string literal', i, inner.slice(i, i + 20));
      toks.push({ t: 'str', v, at: base + i });
      i = j + 1;
    } else if (c === '=' && inner[i + 1] === '=') {
      fail('TEMPLATE_UNSUPPORTED', `comparison operator '==' is not supported (${SUPPORTED})`, i, '==');
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',' || c === '=') {
      toks.push({ t: 'punct', v: c, at: base + i });
      i++;
    } else {
      const what = UNSUPPORTED_OPS[c] ?? `operator '${c}'`;
      fail('TEMPLATE_UNSUPPORTED', `${what} is not supported (${SUPPORTED})`, i, c);
    }
  }
  toks.push({ t: 'eof', at: base + inner.length });
  return toks;
}

/** A cursor over one block's tokens with error helpers. */
class Cursor {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    readonly file: string,
    private readonly lines: LineMap,
  ) {}
  peek(): Tok {
    return this.toks[this.i] ?? { t: 'eof', at: 0 };
  }
  next(): Tok {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  pos(t: Tok): Position {
    return this.lines.at(t.at);
  }
  fail(code: 'TEMPLATE_SYNTAX' | 'TEMPLATE_UNSUPPORTED', detail: string, t: Tok = this.peek()): never {
    throw new TemplateError(code, detail, { file: this.file, ...this.pos(t), found: show(t) });
  }
  punct(v: '(' | ')' | '[' | ']' | ',' | '='): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) this.fail('TEMPLATE_SYNTAX', `expected '${v}', found ${show(t)}`, t);
  }
  isPunct(v: string): boolean {
    const t = this.peek();
    return t.t === 'punct' && t.v === v;
  }
  /** `name=` ahead. */
  isKeywordArg(): boolean {
    const a = this.toks[this.i];
    const b = this.toks[this.i + 1];
    return a?.t === 'ident' && b?.t === 'punct' && b.v === '=';
  }
  end(what: string): void {
    const t = this.peek();
    if (t.t !== 'eof') this.fail('TEMPLATE_SYNTAX', `unexpected ${show(t)} after ${what}`, t);
  }
}

function show(t: Tok): string {
  switch (t.t) {
    case 'eof':
      return 'end of block';
    case 'str':
      return `'${t.v}'`;
    default:
      return `'${String(t.v)}'`;
  }
}

export function cursor(inner: string, base: number, file: string, lines: LineMap): Cursor {
  return new Cursor(tokenize(inner, base, file, lines), file, lines);
}

export type { Cursor };

function literal(c: Cursor): Literal {
  const t = c.next();
  if (t.t === 'str' || t.t === 'num') return t.v;
  if (t.t === 'ident') {
    if (t.v === 'true' || t.v === 'True') return true;
    if (t.v === 'false' || t.v === 'False') return false;
    if (t.v === 'none' || t.v === 'None') return null;
    return c.fail('TEMPLATE_UNSUPPORTED', `only literal arguments are supported (strings, numbers, booleans, none, lists), found '${t.v}'`, t);
  }
  if (t.t === 'punct' && t.v === '[') {
    const items: Literal[] = [];
    while (!c.isPunct(']')) {
      items.push(literal(c));
      if (!c.isPunct(']')) c.punct(',');
    }
    c.punct(']');
    return items;
  }
  return c.fail('TEMPLATE_SYNTAX', `expected a literal, found ${show(t)}`, t);
}

function stringArgs(c: Cursor, fn: string, count: number): string[] {
  c.punct('(');
  const out: string[] = [];
  while (!c.isPunct(')')) {
    const t = c.peek();
    if (t.t === 'ident' && c.isKeywordArg()) c.fail('TEMPLATE_UNSUPPORTED', `${fn}() takes no keyword arguments (found '${t.v}=')`, t);
    if (t.t !== 'str') c.fail('TEMPLATE_SYNTAX', `${fn}() takes string literals, found ${show(t)}`, t);
    c.next();
    out.push(t.t === 'str' ? t.v : '');
    if (!c.isPunct(')')) c.punct(',');
  }
  const close = c.peek();
  c.punct(')');
  if (out.length !== count) {
    const hint = fn === 'ref' && out.length === 2 ? ' (package refs are not supported)' : '';
    c.fail(out.length > count ? 'TEMPLATE_UNSUPPORTED' : 'TEMPLATE_SYNTAX', `${fn}() takes ${count} argument${count > 1 ? 's' : ''}, got ${out.length}${hint}`, close);
  }
  return out;
}

/** Parses the inside of `{{ ... }}`. */
export function parseOutput(c: Cursor): Expr {
  const t = c.next();
  if (t.t !== 'ident') return c.fail(t.t === 'eof' ? 'TEMPLATE_SYNTAX' : 'TEMPLATE_UNSUPPORTED', t.t === 'eof' ? 'empty {{ }}' : `only config(), ref(), new_rows(), source() and this can be output, found ${show(t)}`, t);
  const pos = c.pos(t);
  let e: Expr;
  switch (t.v) {
    case 'ref': {
      const [name = ''] = stringArgs(c, 'ref', 1);
      e = { kind: 'ref', name, pos };
      break;
    }
    case 'new_rows': {
      const [name = ''] = stringArgs(c, 'new_rows', 1);
      e = { kind: 'new_rows', name, pos };
      break;
    }
    case 'source': {
      const [source = '', table = ''] = stringArgs(c, 'source', 2);
      e = { kind: 'source', source, table, pos };
      break;
    }
    case 'config': {
      c.punct('(');
      const args: Record<string, Literal> = {};
      while (!c.isPunct(')')) {
        const k = c.next();
        if (k.t !== 'ident') return c.fail('TEMPLATE_SYNTAX', `config() takes keyword arguments (name=value), found ${show(k)}`, k);
        c.punct('=');
        args[k.v] = literal(c);
        if (!c.isPunct(')')) c.punct(',');
      }
      c.punct(')');
      e = { kind: 'config', args, pos };
      break;
    }
    case 'this':
      e = { kind: 'this', pos };
      break;
    case 'is_incremental':
      return c.fail('TEMPLATE_UNSUPPORTED', 'is_incremental() is only supported as an {% if %} condition', t);
    default:
      return c.fail('TEMPLATE_UNSUPPORTED', `${c.isPunct('(') ? `'${t.v}()'` : `'${t.v}'`} is not supported (${SUPPORTED})`, t);
  }
  c.end(t.v === 'this' ? 'this' : `${t.v}()`);
  return e;
}

/** Parses an `{% if %}` / `{% elif %}` condition. */
export function parseCondition(c: Cursor): Condition {
  const cond = orExpr(c);
  c.end('the condition');
  return cond;
}

function orExpr(c: Cursor): Condition {
  let left = andExpr(c);
  while (peekIdent(c, 'or')) {
    c.next();
    left = { kind: 'or', left, right: andExpr(c) };
  }
  return left;
}

function andExpr(c: Cursor): Condition {
  let left = notExpr(c);
  while (peekIdent(c, 'and')) {
    c.next();
    left = { kind: 'and', left, right: notExpr(c) };
  }
  return left;
}

function notExpr(c: Cursor): Condition {
  if (peekIdent(c, 'not')) {
    c.next();
    return { kind: 'not', operand: notExpr(c) };
  }
  const t = c.next();
  if (t.t === 'punct' && t.v === '(') {
    const inner = orExpr(c);
    c.punct(')');
    return inner;
  }
  if (t.t === 'ident') {
    if (t.v === 'is_incremental') {
      c.punct('(');
      c.punct(')');
      return { kind: 'is_incremental' };
    }
    if (t.v === 'true' || t.v === 'True') return { kind: 'const', value: true };
    if (t.v === 'false' || t.v === 'False') return { kind: 'const', value: false };
    return c.fail('TEMPLATE_UNSUPPORTED', `conditions may use is_incremental(), not/and/or and true/false only, found '${t.v}'`, t);
  }
  return c.fail(t.t === 'eof' ? 'TEMPLATE_SYNTAX' : 'TEMPLATE_UNSUPPORTED', `expected a condition, found ${show(t)}`, t);
}

function peekIdent(c: Cursor, v: string): boolean {
  const t = c.peek();
  return t.t === 'ident' && t.v === v;
}
