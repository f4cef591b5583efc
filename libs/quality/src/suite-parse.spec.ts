import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SuiteError } from './errors.js';
import type { Suite } from './expectation.js';
import { jsonErrorPosition } from './json-position.js';
import { parseSuite, safeParseSuite } from './suite-parse.js';

function issuesOf(input: unknown): { path: string; message: string }[] {
  const r = safeParseSuite(input);
  if (r.success) throw new Error('expected the suite to be refused');
  expect(r.error).toBeInstanceOf(SuiteError);
  expect(r.error.code).toBe('INVALID_SUITE');
  return [...r.error.issues];
}

const flat: Suite = {
  name: 'f1.tire',
  expectations: [
    { type: 'expect_column_values_to_not_be_null', column: 'pressure_psi' },
    { type: 'expect_column_values_to_be_between', column: 'pressure_psi', min_value: 10, max_value: 40, mostly: 0.99, severity: 'warn', meta: { notes: 'psi' } },
    { type: 'expect_column_values_to_be_in_set', column: 'compound', value_set: ['SOFT', 'MEDIUM'] },
    { type: 'expect_column_values_to_match_regex', column: 'session_id', regex: '^[a-z0-9-]+$' },
    { type: 'expect_column_values_to_be_increasing', column: 'event_id', strictly: true, group_by: ['session_id', 'car_number'] },
    { type: 'expect_column_values_to_be_between', column: 'event_id', min_value: '0', max_value: '9223372036854775807' },
    { type: 'expect_compound_columns_to_be_unique', column_list: ['session_id', 'car_number', 'event_id'] },
    { type: 'expect_table_row_count_to_be_between', min_value: 1, max_value: null },
  ],
};

describe('parseSuite: our flat shape', () => {
  it('accepts a valid suite as a value and as JSON text, unchanged', () => {
    expect(parseSuite(flat)).toEqual(flat);
    expect(parseSuite(JSON.stringify(flat, null, 2))).toEqual(flat);
  });

  it('refuses a typo in a keyword with its path and a suggestion', () => {
    const bad = { name: 's', expectations: [flat.expectations[0], { type: 'expect_column_values_to_be_between', column: 'x', mn_value: 1, max_value: 2 }] };
    const issues = issuesOf(bad);
    expect(issues).toContainEqual({ path: 'expectations[1].mn_value', message: 'unknown key "mn_value" (did you mean min_value?)' });
  });

  it('refuses min above max, mostly out of [0, 1], a bad regex, an unknown type, each at its path', () => {
    const issues = issuesOf({
      name: 's',
      expectations: [
        { type: 'expect_column_values_to_not_be_null', column: 'a' },
        { type: 'expect_column_values_to_not_be_null', column: 'a' },
        { type: 'expect_column_values_to_not_be_null', column: 'a' },
        { type: 'expect_column_values_to_be_between', column: 'x', min_value: 5, max_value: 1 },
        { type: 'expect_column_values_to_not_be_null', column: 'y', mostly: 1.5 },
        { type: 'expect_column_values_to_match_regex', column: 'z', regex: '([a-z' },
        { type: 'expect_column_values_to_be_betwen', column: 'x' },
        { type: 'expect_column_value_lengths_to_be_between', column: 's', min_value: -1 },
        { type: 'expect_column_values_to_be_between', column: 'x', min_value: 3, max_value: 3, strict_min: true },
        { type: 'expect_column_values_to_be_between', column: 'x' },
        { type: 'expect_column_values_to_be_between', column: 'x', min_value: '1.5' },
      ],
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual([
      'expectations[3].min_value',
      'expectations[4].mostly',
      'expectations[5].regex',
      'expectations[6].type',
      'expectations[7].min_value',
      'expectations[8].min_value',
      'expectations[9].min_value',
      'expectations[10].min_value',
    ]);
    expect(issues[0]?.message).toBe('min_value 5 is above max_value 1');
    expect(issues[2]?.message).toMatch(/not a valid regular expression/);
    expect(issues[3]?.message).toBe('unknown expectation type "expect_column_values_to_be_betwen" (did you mean expect_column_values_to_be_between?)');
    expect(issues[5]?.message).toMatch(/no value can pass/);
  });

  it('compares int64 bounds given as decimal text exactly', () => {
    const issues = issuesOf({ name: 's', expectations: [{ type: 'expect_column_values_to_be_between', column: 'x', min_value: '9007199254740993', max_value: '9007199254740992' }] });
    expect(issues.map((i) => i.path)).toEqual(['expectations[0].min_value']);
  });

  it('accepts ISO-8601 bounds (timestamp columns) and checks their order', () => {
    const ok = { name: 's', expectations: [{ type: 'expect_column_values_to_be_between', column: 't', min_value: '2026-03-08T00:00:00Z', max_value: '2026-03-09' }] };
    expect(parseSuite(ok)).toEqual(ok);
    const bad = { name: 's', expectations: [{ type: 'expect_column_values_to_be_between', column: 't', min_value: '2026-03-10T00:00:00Z', max_value: '2026-03-09' }] };
    expect(issuesOf(bad).map((i) => i.path)).toEqual(['expectations[0].min_value']);
    expect(issuesOf({ name: 's', expectations: [{ type: 'expect_column_values_to_be_between', column: 't', min_value: 'yesterday' }] }).map((i) => i.path)).toEqual(['expectations[0].min_value']);
  });

  it('refuses a suite without a name or an expectations array', () => {
    expect(issuesOf({ expectations: [] }).map((i) => i.path)).toEqual(['name']);
    expect(issuesOf({ name: 's', expectations: {} }).map((i) => i.path)).toEqual(['expectations']);
    expect(issuesOf([]).map((i) => i.path)).toEqual(['(root)']);
    expect(issuesOf({ name: 's', expectations: [], extra: 1 })[0]).toMatchObject({ path: 'extra' });
  });

  it('throws SuiteError whose message and context name the first path', () => {
    try {
      parseSuite({ name: 'mine', expectations: [{ type: 'expect_column_values_to_not_be_null' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SuiteError);
      const err = e as SuiteError;
      expect(err.context.path).toBe('expectations[0].column');
      expect(err.context.suite).toBe('mine');
      expect(err.message).toContain('expectations[0].column');
    }
  });
});

describe('parseSuite: bad JSON text', () => {
  it('names line:column of the mistake', () => {
    const text = '{\n  "name": "s",\n  "expectations": [\n    { "type": "x", }\n  ]\n}';
    const issues = issuesOf(text);
    expect(issues[0]?.message).toMatch(/^not valid JSON at line 4:20: /);
    expect(jsonErrorPosition('{"a":}')).toMatchObject({ line: 1, column: 6 });
    expect(jsonErrorPosition('[1,2')).toMatchObject({ line: 1, column: 5 });
    expect(jsonErrorPosition('')).toMatchObject({ line: 1, column: 1 });
    expect(jsonErrorPosition('{"a": [1, 2.5e3, "\\u00e9", true, null]}')).toBeUndefined();
  });

  it('the scanner agrees with JSON.parse on arbitrary text (valid iff no position)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonErrorPosition(text) === undefined).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });
});

describe("parseSuite: Great Expectations' JSON suite shape", () => {
  it('loads a GE 0.x suite (expectation_suite_name, expectation_type, kwargs with mostly)', () => {
    const ge = {
      expectation_suite_name: 'f1.ge',
      data_asset_type: null,
      ge_cloud_id: null,
      meta: { great_expectations_version: '0.18.21' },
      expectations: [
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'event_id' }, meta: {} },
        { expectation_type: 'expect_column_values_to_be_between', kwargs: { column: 'speed_kph', min_value: 0, max_value: 400, mostly: 0.95, result_format: 'BASIC' }, meta: { notes: 'km/h' } },
      ],
    };
    expect(parseSuite(JSON.stringify(ge))).toEqual({
      name: 'f1.ge',
      meta: { great_expectations_version: '0.18.21' },
      expectations: [
        { type: 'expect_column_values_to_not_be_null', column: 'event_id', meta: {} },
        { type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 400, mostly: 0.95, meta: { notes: 'km/h' } },
      ],
    });
  });

  it('loads a GE 1.x suite (name, id, type, kwargs, severity critical/warning/info)', () => {
    const ge = {
      name: 'sat',
      id: '2f6c…',
      notes: null,
      meta: {},
      expectations: [
        { type: 'expect_column_values_to_be_in_set', kwargs: { column: 'satellite', value_set: ['sat0'] }, meta: {}, id: 'a', severity: 'critical' },
        { type: 'expect_column_values_to_be_unique', kwargs: { column: 'kafka_offset' }, meta: {}, id: 'b', severity: 'warning', rendered_content: [] },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'temp_c' }, meta: {}, id: 'c', severity: 'info', notes: 'sensor may drop' },
      ],
    };
    const suite = parseSuite(ge);
    expect(suite.expectations.map((e) => e.severity)).toEqual(['error', 'warn', 'warn']);
    expect(suite.expectations[2]).toEqual({ type: 'expect_column_values_to_not_be_null', column: 'temp_c', severity: 'warn', meta: { notes: 'sensor may drop' } });
  });

  it('names mistakes inside kwargs by their path there', () => {
    const issues = issuesOf({
      expectation_suite_name: 'g',
      expectations: [
        { expectation_type: 'expect_column_values_to_be_between', kwargs: { column: 'x', min_value: 3, max_value: 1 } },
        { expectation_type: 'expect_column_values_to_be_between', kwargs: { column: 'x', min_value: 1, maximum: 2 } },
        { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'x', row_condition: 'a>1' } },
        { expectation_type: 'expect_column_values_to_be_of_typ', kwargs: { column: 'x' } },
        { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'x' }, severity: 'fatal' },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'expectations[0].kwargs.min_value',
      'expectations[1].kwargs.maximum',
      'expectations[2].kwargs.row_condition',
      'expectations[3].expectation_type',
      'expectations[4].severity',
    ]);
  });
});

describe('safeParseSuite on arbitrary input', () => {
  it('never throws; a refusal is always a SuiteError with at least one pathed issue', () => {
    const anyValue = fc.oneof(
      fc.jsonValue(),
      fc.json(),
      fc.string(),
      fc.record({ name: fc.string(), expectations: fc.array(fc.dictionary(fc.constantFrom('type', 'column', 'min_value', 'max_value', 'mostly', 'kwargs', 'expectation_type', 'value_set', 'regex'), fc.jsonValue())) }),
    );
    fc.assert(
      fc.property(anyValue, (input) => {
        const r = safeParseSuite(input);
        if (!r.success) {
          expect(r.error).toBeInstanceOf(SuiteError);
          expect(r.error.issues.length).toBeGreaterThan(0);
          for (const issue of r.error.issues) expect(issue.path.length).toBeGreaterThan(0);
        }
        try {
          parseSuite(input);
        } catch (e) {
          expect(e).toBeInstanceOf(SuiteError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
