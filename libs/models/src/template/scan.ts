import { TemplateError } from '../errors.js';
import type { Position } from './ast.js';

/** Maps string offsets to 1-based line/column. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

/** A raw piece of template: text, or the inside of `{{ }}` / `{% %}` / `{# #}`. */
export type Segment =
  | { readonly kind: 'text'; value: string; readonly start: number }
  | {
      readonly kind: 'expr' | 'stmt' | 'comment';
      /** The text between the delimiters (without `-` whitespace markers). */
      readonly inner: string;
      /** Offset of `inner` in the template. */
      readonly innerStart: number;
      /** Offset of the opening delimiter. */
      readonly start: number;
      readonly trimLeft: boolean;
      readonly trimRight: boolean;
    };

const CLOSE = { '{': '}}', '%': '%}', '#': '#}' } as const;
const KIND = { '{': 'expr', '%': 'stmt', '#': 'comment' } as const;

/**
 * Splits a template into text and blocks, honouring quotes inside `{{ }}` and
 * `{% %}` (a `%}` inside a string literal does not close the block) and
 * applying whitespace control (`{%-` strips the whitespace before, `-%}` after).
 */
export function scan(source: string, file: string, lines: LineMap): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let textStart = 0;
  while (i < source.length) {
    const open = source.indexOf('{', i);
    if (open < 0 || open + 1 >= source.length) break;
    const k = source[open + 1];
    if (k !== '{' && k !== '%' && k !== '#') {
      i = open + 1;
      continue;
    }
    if (open > textStart) out.push({ kind: 'text', value: source.slice(textStart, open), start: textStart });
    const close = CLOSE[k];
    let p = open + 2;
    const trimLeft = source[p] === '-';
    if (trimLeft) p++;
    const innerStart = p;
    let end = -1;
    if (k === '#') {
      end = source.indexOf(close, p);
    } else {
      while (p < source.length) {
        const c = source[p];
        if (c === "'" || c === '"') {
          const q = p;
          p++;
          while (p < source.length && source[p] !== c) p += source[p] === '\\' ? 2 : 1;
          if (p >= source.length) throw unterminatedString(file, lines, q);
          p++;
          continue;
        }
        if (c === close[0] && source[p + 1] === close[1]) {
          end = p;
          break;
        }
        p++;
      }
    }
    if (end < 0) {
      const what = k === '{' ? "'{{' without '}}'" : k === '%' ? "'{%' without '%}'" : "'{#' without '#}'";
      throw new TemplateError('TEMPLATE_SYNTAX', `unclosed ${what}`, { file, ...lines.at(open), found: source.slice(open, open + 20) });
    }
    const trimRight = end > innerStart && source[end - 1] === '-';
    const inner = source.slice(innerStart, trimRight ? end - 1 : end);
    out.push({ kind: KIND[k], inner, innerStart, start: open, trimLeft, trimRight });
    i = end + 2;
    textStart = i;
  }
  if (textStart < source.length) out.push({ kind: 'text', value: source.slice(textStart), start: textStart });
  applyWhitespaceControl(out);
  return out;
}

function applyWhitespaceControl(segments: Segment[]): void {
  for (let j = 0; j < segments.length; j++) {
    const s = segments[j];
    if (s === undefined || s.kind === 'text') continue;
    const before = segments[j - 1];
    const after = segments[j + 1];
    if (s.trimLeft && before?.kind === 'text') before.value = before.value.replace(/\s+$/, '');
    if (s.trimRight && after?.kind === 'text') after.value = after.value.replace(/^\s+/, '');
  }
}

function unterminatedString(file: string, lines: LineMap, at: number): TemplateError {
  return new TemplateError('TEMPLATE_SYNTAX', 'unterminated string literal inside a template block', { file, ...lines.at(at) });
}
