/**
 * Loading a suite from JSON text or an unknown value: `parseSuite` throws a
 * `SuiteError` listing every mistake with its JSON path
 * (`expectations[3].min_value`); `safeParseSuite` returns the same as a value
 * (zod's convention).
 *
 * Two shapes are accepted, also mixed within one suite:
 * - ours, flat: `{ name, expectations: [{ type, column, min_value, …, mostly, severity, meta }], meta }`;
 * - Great Expectations' JSON suite (0.x and 1.x):
 *   `{ expectation_suite_name | name, expectations: [{ expectation_type | type, kwargs: {…}, meta, severity }], meta }`.
 *   `mostly` is read from kwargs; GE 1.x severities map `critical` → `error`,
 *   `warning` and `info` → `warn`; `id`, `ge_cloud_id`, `data_asset_type`,
 *   `rendered_content` and kwargs `result_format`, `catch_exceptions`,
 *   `include_config` are ignored; `notes` and `description` go to `meta`;
 *   `row_condition` is refused (not supported). Paths of mistakes in kwargs
 *   name them there: `expectations[3].kwargs.min_value`.
 */
import type { z } from 'zod';
import { SuiteError } from './errors.js';
import type { Suite } from './expectation.js';
import { jsonErrorPosition } from './json-position.js';
import { EXPECTATION_SCHEMAS, EXPECTATION_TYPES, isExpectationType } from './suite-schema.js';

export interface SuiteIssue {
  readonly path: string;
  readonly message: string;
}

export type SafeParseSuiteResult = { readonly success: true; readonly data: Suite } | { readonly success: false; readonly error: SuiteError };

type Path = readonly (string | number)[];
type Obj = Record<string, unknown>;

/** Parses and validates a suite (JSON text or a value); throws `SuiteError` with every issue's path. */
export function parseSuite(input: unknown): Suite {
  const result = safeParseSuite(input);
  if (!result.success) throw result.error;
  return result.data;
}

/** As `parseSuite`, returning `{ success, data }` or `{ success: false, error }` instead of throwing. */
export function safeParseSuite(input: unknown): SafeParseSuiteResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (e) {
      const at = jsonErrorPosition(input);
      const where = at ? `line ${at.line}:${at.column}` : 'the end';
      const issue = { path: '(root)', message: `not valid JSON at ${where}: ${(e as Error).message}` };
      return { success: false, error: new SuiteError(`suite is not valid JSON at ${where}: ${(e as Error).message}`, [issue]) };
    }
  }
  const issues: SuiteIssue[] = [];
  const suite = readSuite(value, issues);
  if (suite === undefined || issues.length > 0) {
    const name = isObject(value) ? firstString(value['name'], value['expectation_suite_name']) : undefined;
    const detail = `suite${name ? ` ${name}` : ''} has ${issues.length} issue${issues.length === 1 ? '' : 's'}: ${issues
      .slice(0, 10)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ')}${issues.length > 10 ? '; …' : ''}`;
    return { success: false, error: new SuiteError(detail, issues, name ? { suite: name } : {}) };
  }
  return { success: true, data: suite };
}

const GE_SUITE_KEYS = new Set(['expectation_suite_name', 'id', 'ge_cloud_id', 'data_asset_type', 'notes', 'suite_parameters', 'evaluation_parameters']);
const SUITE_KEYS = new Set(['name', 'expectations', 'meta']);

function readSuite(value: unknown, issues: SuiteIssue[]): Suite | undefined {
  if (!isObject(value)) {
    issues.push({ path: '(root)', message: `a suite is a JSON object, got ${describe(value)}` });
    return undefined;
  }
  for (const key of Object.keys(value)) if (!SUITE_KEYS.has(key) && !GE_SUITE_KEYS.has(key)) issues.push(unknownKey([key], key, [...SUITE_KEYS]));
  const flatName = value['name'];
  const geName = value['expectation_suite_name'];
  let name: string | undefined;
  if (flatName !== undefined && geName !== undefined && flatName !== geName)
    issues.push({ path: 'expectation_suite_name', message: `differs from name (${JSON.stringify(flatName)})` });
  const [nameValue, namePath] = flatName === undefined && geName !== undefined ? [geName, 'expectation_suite_name'] : [flatName, 'name'];
  if (typeof nameValue === 'string' && nameValue.length > 0) name = nameValue;
  else issues.push({ path: namePath, message: `a suite has a name (a non-empty string), got ${describe(nameValue)}` });

  let meta = value['meta'];
  if (meta !== undefined && !isObject(meta)) issues.push({ path: 'meta', message: `expected an object, got ${describe(meta)}` });
  const notes = value['notes'];
  if (notes !== undefined && notes !== null && isObject(meta ?? {})) meta = { ...(meta as Obj | undefined), notes };

  const list = value['expectations'];
  if (!Array.isArray(list)) {
    issues.push({ path: 'expectations', message: `expected an array of expectations, got ${describe(list)}` });
    return undefined;
  }
  const expectations = list.map((e, i) => readExpectation(e, ['expectations', i], issues));
  if (name === undefined || issues.length > 0) return undefined;
  return { name, expectations: expectations as Suite['expectations'], ...(meta !== undefined ? { meta: meta as Obj } : {}) };
}

const GE_EXPECTATION_KEYS = new Set(['type', 'expectation_type', 'kwargs', 'meta', 'severity', 'name', 'id', 'ge_cloud_id', 'notes', 'description', 'rendered_content', 'success_on_last_run', 'expectation_context']);
const GE_IGNORED_KWARGS = new Set(['result_format', 'catch_exceptions', 'include_config']);
const GE_SEVERITY: Readonly<Record<string, string>> = { critical: 'error', warning: 'warn', info: 'warn' };

function readExpectation(value: unknown, at: Path, issues: SuiteIssue[]): unknown {
  if (!isObject(value)) {
    issues.push({ path: formatPath(at), message: `an expectation is an object, got ${describe(value)}` });
    return undefined;
  }
  // Where each key of the flat object came from, for the paths of mistakes.
  const origin = new Map<string, Path>();
  let flat: Obj;
  if ('kwargs' in value || 'expectation_type' in value) {
    flat = {};
    for (const key of Object.keys(value)) if (!GE_EXPECTATION_KEYS.has(key)) issues.push(unknownKey([...at, key], key, ['type', 'expectation_type', 'kwargs', 'meta', 'severity']));
    const { type, expectation_type: geType, kwargs = {}, meta, severity, name, notes, description } = value;
    if (type !== undefined && geType !== undefined && type !== geType) issues.push({ path: formatPath([...at, 'type']), message: `differs from expectation_type (${JSON.stringify(geType)})` });
    flat['type'] = type ?? geType;
    origin.set('type', [...at, type !== undefined ? 'type' : 'expectation_type']);
    if (!isObject(kwargs)) issues.push({ path: formatPath([...at, 'kwargs']), message: `expected an object, got ${describe(kwargs)}` });
    else
      for (const [key, v] of Object.entries(kwargs)) {
        if (GE_IGNORED_KWARGS.has(key)) continue;
        if (key === 'row_condition' || key === 'condition_parser') {
          if (v !== null && v !== undefined) issues.push({ path: formatPath([...at, 'kwargs', key]), message: 'conditional expectations (row_condition) are not supported' });
          continue;
        }
        if (key === 'type' || key === 'severity' || key === 'meta' || key === 'name') {
          issues.push({ path: formatPath([...at, 'kwargs', key]), message: `${key} belongs beside kwargs, not in it` });
          continue;
        }
        flat[key] = v;
        origin.set(key, [...at, 'kwargs', key]);
      }
    const extraMeta = { ...(notes !== undefined && notes !== null ? { notes } : {}), ...(description !== undefined && description !== null ? { description } : {}) };
    if (meta !== undefined || Object.keys(extraMeta).length > 0) flat['meta'] = isObject(meta) || meta === undefined ? { ...(meta as Obj | undefined), ...extraMeta } : meta;
    if (severity !== undefined) flat['severity'] = typeof severity === 'string' ? (GE_SEVERITY[severity.toLowerCase()] ?? severity) : severity;
    if (name !== undefined) flat['name'] = name;
  } else {
    flat = value;
  }

  const type = flat['type'];
  const typePath = origin.get('type') ?? [...at, 'type'];
  if (!isExpectationType(type)) {
    const hint = typeof type === 'string' ? closest(type, EXPECTATION_TYPES) : undefined;
    issues.push({
      path: formatPath(typePath),
      message:
        type === undefined
          ? 'an expectation has a type (expect_column_values_to_be_between, …)'
          : `unknown expectation type ${JSON.stringify(type)}${hint ? ` (did you mean ${hint}?)` : ''}`,
    });
    return undefined;
  }
  const schema: z.ZodType = EXPECTATION_SCHEMAS[type];
  const parsed = schema.safeParse(flat);
  if (parsed.success) return parsed.data;
  const allowed = Object.keys((EXPECTATION_SCHEMAS[type] as unknown as { shape: Obj }).shape);
  const where = (key: string | number): Path => origin.get(String(key)) ?? [...at, key];
  for (const issue of parsed.error.issues) {
    const [head, ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const path = head === undefined ? at : [...where(head), ...rest];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push(unknownKey(where(key), key, allowed));
    } else {
      issues.push({ path: formatPath(path), message: issue.message });
    }
  }
  return undefined;
}

function unknownKey(path: Path, key: string, allowed: readonly string[]): SuiteIssue {
  const hint = closest(key, allowed);
  return { path: formatPath(path), message: `unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${hint}?)` : ''}` };
}

/** `expectations[3].kwargs.min_value`; keys that are not identifiers are quoted (`meta["a b"]`). */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(root)' : out;
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.length > 0);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40) ?? String(v)}`;
}

/** The allowed word nearest to `word` (edit distance ≤ a third of its length), for "did you mean". */
function closest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = distance(word, candidate);
    if (d < bestD) [best, bestD] = [candidate, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] ?? Infinity;
}
