import { describe, expect, it } from 'vitest';
import { TemplateError } from '../errors.js';
import type { RenderContext } from './ast.js';
import { parseTemplate } from './parse.js';
import { render } from './render.js';

const ctx = (isIncremental = false): RenderContext => ({
  ref: (n) => `"ref_${n}"`,
  newRows: (n) => `"new_rows_${n}"`,
  source: (s, t) => `"src_${s}_${t}"`,
  this: '"gold_this"',
  isIncremental,
});

function refusal(sql: string): TemplateError {
  try {
    parseTemplate(sql, 'models/m.sql');
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error(`expected a TemplateError for ${JSON.stringify(sql)}`);
}

describe('parseTemplate + render', () => {
  it('renders new_rows() through the context and counts it as a ref of the graph', () => {
    const t = parseTemplate("select * from {{ new_rows('stg') }} join {{ ref('other') }} using (k)", 'models/m.sql');
    expect(render(t, ctx(true))).toBe('select * from "new_rows_stg" join "ref_other" using (k)');
    expect(t.refs.map((r) => [r.name, r.line, r.column])).toEqual([['stg', 1, 18], ['other', 1, 45]]);
    expect(refusal("{{ new_rows('a', 'b') }}").message).toMatch(/new_rows\(\) takes 1 argument, got 2/);
  });

  it('renders ref, source, this and drops config', () => {
    const sql = `{{ config(materialized='incremental', unique_key=['session_id', "lap"], partition_by=['session_date'], tags=['f1'], enabled=true, n=3, x=none) }}
select * from {{ ref('laps') }} join {{ source("silver", 'telemetry_enriched') }} s using (id)`;
    const t = parseTemplate(sql, 'models/m.sql');
    expect(t.config).toEqual({ materialized: 'incremental', unique_key: ['session_id', 'lap'], partition_by: ['session_date'], tags: ['f1'], enabled: true, n: 3, x: null });
    expect(t.configPos).toEqual({ line: 1, column: 4 });
    expect(t.refs).toEqual([{ name: 'laps', line: 2, column: 18 }]);
    expect(t.sources).toEqual([{ source: 'silver', table: 'telemetry_enriched', line: 2, column: 41 }]);
    expect(render(t, ctx())).toBe('\nselect * from "ref_laps" join "src_silver_telemetry_enriched" s using (id)');
  });

  it('picks {% if is_incremental() %} branches, nested, with elif/else/not/and/or', () => {
    const sql = [
      'select 1',
      '{% if is_incremental() %}',
      'where t > (select max(t) from {{ this }})',
      '  {% if not is_incremental() %}never{% elif true and (is_incremental() or false) %}inner{% endif %}',
      '{% else %}',
      '-- full',
      '{% endif %}',
    ].join('\n');
    const t = parseTemplate(sql, 'models/m.sql');
    expect(t.usesIsIncremental).toBe(true);
    expect(render(t, ctx(true))).toBe('select 1\n\nwhere t > (select max(t) from "gold_this")\n  inner\n');
    expect(render(t, ctx(false))).toBe('select 1\n\n-- full\n');
  });

  it('collects refs inside both branches', () => {
    const t = parseTemplate("{% if is_incremental() %}{{ ref('a') }}{% else %}\n{{ ref('b') }}{% endif %}", 'm.sql');
    expect(t.refs.map((r) => [r.name, r.line])).toEqual([['a', 1], ['b', 2]]);
  });

  it('drops comments and applies whitespace control', () => {
    const sql = 'select\n  {#- a comment\n with lines -#}\n  1 {%- if is_incremental() %} a {% endif -%}  \n from x';
    expect(render(parseTemplate(sql, 'm.sql'), ctx(true))).toBe('select1 a from x');
    expect(render(parseTemplate(sql, 'm.sql'), ctx(false))).toBe('select1from x');
  });

  it('keeps delimiters inside string literals of a block', () => {
    const t = parseTemplate("{{ ref('we}}ird') }}", 'm.sql');
    expect(t.refs[0]?.name).toBe('we}}ird');
  });

  it('renders a node by raw SQL when it has no parsed template', () => {
    expect(render({ raw: "x {{ ref('a') }}", file: 'm.sql' }, ctx())).toBe('x "ref_a"');
  });
});

describe('refusals name file:line:column and what was found', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ["select\n  {{ var('x') }}", 'TEMPLATE_UNSUPPORTED', 2, 6, /'var\(\)' is not supported/],
    ['a\n\n{% for x in y %}{% endfor %}', 'TEMPLATE_UNSUPPORTED', 3, 4, /\{% for %\} is not supported/],
    ['{% macro m() %}{% endmacro %}', 'TEMPLATE_UNSUPPORTED', 1, 4, /macro/],
    ["{{ ref('a') | upper }}", 'TEMPLATE_UNSUPPORTED', 1, 13, /filters/],
    ['{{ this.schema }}', 'TEMPLATE_UNSUPPORTED', 1, 8, /attribute access/],
    ["{{ ref('pkg', 'a') }}", 'TEMPLATE_UNSUPPORTED', 1, 18, /package refs/],
    ['{{ ref(name) }}', 'TEMPLATE_SYNTAX', 1, 8, /string literals/],
    ['x\n  {{ ref("a")', 'TEMPLATE_SYNTAX', 2, 3, /unclosed '\{\{'/],
    ['{% if is_incremental() %}\nx\n', 'TEMPLATE_SYNTAX', 1, 1, /missing its \{% endif %\}/],
    ['x {% endif %}', 'TEMPLATE_SYNTAX', 1, 6, /without \{% if %\}/],
    ['{% if x == 1 %}{% endif %}', 'TEMPLATE_UNSUPPORTED', 1, 9, /'=='/],
    ['{% if var("a") %}{% endif %}', 'TEMPLATE_UNSUPPORTED', 1, 7, /is_incremental\(\)/],
    ["{% if true %}{{ config(materialized='table') }}{% endif %}", 'TEMPLATE_UNSUPPORTED', 1, 17, /inside \{% if %\}/],
    ['{{ is_incremental() }}', 'TEMPLATE_UNSUPPORTED', 1, 4, /only supported as an \{% if %\}/],
    ['{% else %}', 'TEMPLATE_SYNTAX', 1, 4, /without \{% if %\}/],
    ['{{ config(materialized=table) }}', 'TEMPLATE_UNSUPPORTED', 1, 24, /only literal arguments/],
    ["{{ config('table') }}", 'TEMPLATE_SYNTAX', 1, 11, /keyword arguments/],
    ['{#\n\n never closed', 'TEMPLATE_SYNTAX', 1, 1, /unclosed '\{#'/],
    ['{{ }}', 'TEMPLATE_SYNTAX', 1, 4, /empty/],
  ];
  it.each(cases)('%j → %s at %i:%i', (sql, code, line, column, message) => {
    const e = refusal(sql);
    expect(e.code).toBe(code);
    expect(e.context).toMatchObject({ file: 'models/m.sql', line, column });
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`models/m.sql:${line}:${column}: `);
    expect(e.retriable).toBe(false);
  });
});
