import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors.js';
import type { RenderContext } from './ast.js';
import { parseTemplate } from './parse.js';
import { render } from './render.js';

const ctx: RenderContext = { ref: (n) => `<ref:${n}>`, newRows: (n) => `<new:${n}>`, source: (s, t) => `<src:${s}.${t}>`, this: '<this>', isIncremental: true };
const hasDelimiter = (s: string): boolean => /\{[{%#]/.test(s);
/** SQL-ish text: keywords, punctuation, braces, quotes, newlines, unicode. */
const sqlChar = fc.constantFrom('s', 'e', 'l', 'c', 't', ' ', '\n', '\t', '{', '}', '%', '#', '(', ')', "'", '"', '-', '*', ',', '.', 'é', '😀', '\r\n');
const plainSql = fc.array(fc.oneof(sqlChar, fc.string()), { maxLength: 60 }).map((a) => a.join('')).filter((s) => !hasDelimiter(s));

describe('template properties', () => {
  it('render(parse(x)) is the identity on SQL without delimiters', () => {
    fc.assert(
      fc.property(plainSql, (sql) => {
        expect(render(parseTemplate(sql, 'm.sql'), ctx)).toBe(sql);
      }),
      { numRuns: 500 },
    );
  });

  it('garbage either parses or throws a TemplateError at a line and column inside the text', () => {
    const piece = fc.oneof(
      sqlChar,
      fc.constantFrom('{{', '}}', '{%', '%}', '{#', '#}', '{%-', '-%}', 'if', 'endif', 'else', 'elif', 'not', 'is_incremental()', "ref('a')", 'source(', '|', '=', '[', ']', 'for', 'this', 'config(', ')'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const lines = text.split('\n');
        try {
          const t = parseTemplate(text, 'g.sql');
          render(t, ctx);
          render(t, { ...ctx, isIncremental: false });
        } catch (e) {
          expect(e).toBeInstanceOf(TemplateError);
          const { line, column, file } = (e as TemplateError).context;
          expect(file).toBe('g.sql');
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(lines.length);
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual((lines[(line ?? 1) - 1]?.length ?? 0) + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('line numbers stay right after multi-line text, comments and blocks', () => {
    const filler = fc.array(fc.constantFrom('select a\n', '{# c\n\nc #}', '{% if is_incremental() %}\nx\n{% else %}y\n{% endif %}', "{{ ref('r') }}\n", 'plain\n\n'), { maxLength: 12 });
    fc.assert(
      fc.property(filler, fc.nat(30), (parts, col) => {
        const prefix = parts.join('') + ' '.repeat(col);
        const text = `${prefix}{{ var('boom') }}`;
        const before = prefix.split('\n');
        try {
          parseTemplate(text, 'p.sql');
          expect.unreachable('var() must be refused');
        } catch (e) {
          expect(e).toBeInstanceOf(TemplateError);
          expect((e as TemplateError).context).toMatchObject({ line: before.length, column: (before[before.length - 1]?.length ?? 0) + 4 });
        }
        // and refs found after the filler carry their line
        const t = parseTemplate(`${prefix}{{ ref('z') }}`, 'p.sql');
        expect(t.refs[t.refs.length - 1]).toMatchObject({ name: 'z', line: before.length, column: (before[before.length - 1]?.length ?? 0) + 4 });
      }),
      { numRuns: 300 },
    );
  });
});
