import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProjectError } from '../errors.js';
import { parseTemplate } from '../template/parse.js';
import type { GenericTestName, TestConfig, TestNode } from './types.js';
import { TestConfigYml, type TestConfigYml as TCfg } from './schema.js';
import type { YamlFile, YamlPath } from './yaml.js';

const GENERIC: Record<string, GenericTestName> = {
  unique: 'unique',
  not_null: 'not_null',
  accepted_values: 'accepted_values',
  relationships: 'relationships',
  accepted_range: 'accepted_range',
  'dbt_utils.accepted_range': 'accepted_range',
  unique_combination_of_columns: 'unique_combination_of_columns',
  'dbt_utils.unique_combination_of_columns': 'unique_combination_of_columns',
};

const literal = z.union([z.string(), z.number(), z.boolean()]);
const ARGS: Record<GenericTestName, z.ZodType<Record<string, unknown>>> = {
  unique: z.strictObject({ column_name: z.string().optional() }),
  not_null: z.strictObject({ column_name: z.string().optional() }),
  accepted_values: z.strictObject({ column_name: z.string().optional(), values: z.array(literal).min(1), quote: z.boolean().optional() }),
  relationships: z.strictObject({ column_name: z.string().optional(), to: z.string().min(1), field: z.string().min(1) }),
  accepted_range: z
    .strictObject({ column_name: z.string().optional(), min_value: z.number().optional(), max_value: z.number().optional(), inclusive: z.boolean().default(true) })
    .refine((a) => a['min_value'] !== undefined || a['max_value'] !== undefined, 'accepted_range needs min_value or max_value'),
  unique_combination_of_columns: z.strictObject({ combination_of_columns: z.array(z.string().min(1)).min(1) }),
};

/** Where a generic test is declared. */
export interface TestSite {
  readonly yaml: YamlFile;
  readonly path: YamlPath;
  /** `model.x` or `source.a.b` */
  readonly attachedTo: string;
  /** Name used in generated test names: the model name, or `<source>_<table>`. */
  readonly label: string;
  /** dbt prefixes tests on sources with `source_`. */
  readonly namePrefix?: string;
  readonly column?: string;
}

export const DEFAULT_TEST_CONFIG: TestConfig = { severity: 'error', warnIf: '!=0', errorIf: '!=0', storeFailures: false, tags: [] };

/** Normalizes one schema.yml test entry into a TestNode (dbt's naming, config and args). */
export function genericTest(entry: unknown, site: TestSite, defaults: TestConfig): TestNode {
  const { yaml, path } = site;
  let testName: string;
  let raw: Record<string, unknown> = {};
  if (typeof entry === 'string') testName = entry;
  else {
    const keys = Object.keys(entry as Record<string, unknown>);
    if (keys.length !== 1) throw yaml.error(path, `a test is a name or a one-key map {test_name: {args}}, found keys ${keys.join(', ') || '(none)'}`);
    testName = keys[0] ?? '';
    const v = (entry as Record<string, unknown>)[testName];
    if (v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v))) throw yaml.error([...path, testName], 'test arguments must be a map');
    raw = { ...((v ?? {}) as Record<string, unknown>) };
  }
  const generic = GENERIC[testName];
  if (generic === undefined) throw yaml.error(path, `unknown generic test '${testName}' (supported: ${[...new Set(Object.values(GENERIC))].join(', ')}; write others as singular tests in tests/)`);
  const argPath = typeof entry === 'string' ? path : [...path, testName];

  // dbt: config under `config:`, or legacy top-level severity/tags/where; args directly or under `arguments:`.
  const cfgRaw: Record<string, unknown> = { ...(raw['config'] as Record<string, unknown> | undefined) };
  for (const k of ['severity', 'warn_if', 'error_if', 'store_failures', 'tags', 'where', 'enabled'] as const) {
    if (k in raw) {
      cfgRaw[k] = raw[k];
      delete raw[k];
    }
  }
  const customName = typeof raw['name'] === 'string' ? (raw['name'] as string) : undefined;
  delete raw['name'];
  delete raw['config'];
  const argsRaw = raw['arguments'] !== undefined ? (raw['arguments'] as Record<string, unknown>) : raw;
  const cfg = yaml.check(TestConfigYml, cfgRaw, [...argPath, 'config']);
  const args = yaml.check(ARGS[generic], argsRaw, raw['arguments'] !== undefined ? [...argPath, 'arguments'] : argPath);

  const column = site.column ?? (typeof args['column_name'] === 'string' ? (args['column_name'] as string) : undefined);
  if (column === undefined && generic !== 'unique_combination_of_columns') throw yaml.error(path, `${testName} on a model needs column_name (or declare it under columns:)`);
  delete args['column_name'];

  const dependsOn = [site.attachedTo];
  if (generic === 'relationships') {
    const to = resolveTo(String(args['to']), yaml, [...argPath, 'to']);
    args['to'] = to;
    dependsOn.push(to);
  }
  if (cfg.where !== undefined) args['where'] = cfg.where;
  const name = customName ?? `${site.namePrefix ?? ''}${testNodeName(generic, site.label, column, args)}`;
  const line = yaml.lineOf(path);
  return {
    kind: 'test',
    uniqueId: `test.${name}`,
    name,
    file: yaml.file,
    ...(line !== undefined ? { line } : {}),
    attachedTo: site.attachedTo,
    ...(column !== undefined ? { column } : {}),
    generic: { name: generic, args },
    config: testConfig(cfg, defaults),
    dependsOn,
  };
}

export function testConfig(cfg: TCfg, defaults: TestConfig): TestConfig {
  return {
    severity: cfg.severity ?? defaults.severity,
    warnIf: cfg.warn_if?.replace(/\s+/g, '') ?? defaults.warnIf,
    errorIf: cfg.error_if?.replace(/\s+/g, '') ?? defaults.errorIf,
    storeFailures: cfg.store_failures ?? defaults.storeFailures,
    tags: [...new Set([...defaults.tags, ...(cfg.tags ?? [])])],
  };
}

/** `ref('x')` → `model.x`; `source('a', 'b')` → `source.a.b`. */
function resolveTo(to: string, yaml: YamlFile, path: YamlPath): string {
  try {
    const t = parseTemplate(`{{ ${to} }}`, yaml.file);
    const r = t.refs[0];
    const s = t.sources[0];
    if (r) return `model.${r.name}`;
    if (s) return `source.${s.source}.${s.table}`;
  } catch {
    // fall through to the error naming the YAML path
  }
  throw yaml.error(path, `relationships 'to' must be ref('model') or source('src', 'table'), found '${to}'`);
}

/** dbt's generated test names: `<test>_<model>_<column>[__<args>]`, sanitized; long names get a hash. */
export function testNodeName(test: GenericTestName, label: string, column: string | undefined, args: Record<string, unknown>): string {
  const parts: string[] = [test, label];
  if (column !== undefined) parts.push(column);
  let suffix = '';
  if (test === 'accepted_values') suffix = (args['values'] as unknown[]).map(String).join('__');
  else if (test === 'relationships') suffix = `${String(args['field'])}__${String(args['to']).replace(/^model\./, 'ref_').replace(/^source\./, 'source_')}`;
  else if (test === 'accepted_range') suffix = `${String(args['min_value'] ?? '')}__${String(args['max_value'] ?? '')}`;
  else if (test === 'unique_combination_of_columns') suffix = (args['combination_of_columns'] as string[]).join('__');
  const full = (suffix ? `${parts.join('_')}__${suffix}` : parts.join('_')).replace(/[^A-Za-z0-9_]/g, '_');
  if (full.length <= 80) return full;
  const hash = createHash('md5').update(full).digest('hex').slice(0, 10);
  return `${full.slice(0, 69)}_${hash}`;
}

export function duplicateTest(a: TestNode, b: TestNode): ProjectError {
  return new ProjectError('DUPLICATE_NODE', `test '${b.name}' is declared twice (also at ${a.file}${a.line ? `:${a.line}` : ''}); give one a name:`, {
    file: b.file,
    ...(b.line !== undefined ? { line: b.line } : {}),
    node: b.uniqueId,
  });
}
