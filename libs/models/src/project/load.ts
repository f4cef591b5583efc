import { readdir, readFile } from 'node:fs/promises';
import { basename, join, posix, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { ProjectError } from '../errors.js';
import { parseTemplate } from '../template/parse.js';
import type { Template } from '../template/ast.js';
import { folderConfig, mergeConfig } from './config.js';
import { ModelConfigYml, ProjectYml, SchemaYml, TestConfigYml, type ModelConfigYml as Cfg, type SourceYml } from './schema.js';
import { DEFAULT_TEST_CONFIG, duplicateTest, genericTest, testConfig } from './tests.js';
import type { ColumnDoc, ModelNode, Project, ProjectConfig, SourceNode, TestNode } from './types.js';
import { YamlFile, type YamlPath } from './yaml.js';

export const PROJECT_FILE = 'gold_project.yml';

/**
 * Loads a project folder: gold_project.yml, models (SQL templates + YAML), singular tests.
 * Every problem is a ProjectError (or TemplateError) naming the file, line and YAML path.
 */
export async function loadProject(dir: string): Promise<Project> {
  const root = resolve(dir);
  const projectYaml = YamlFile.parse(await read(root, PROJECT_FILE), PROJECT_FILE);
  const py = projectYaml.check(ProjectYml);
  const folders = (key: 'model-paths' | 'test-paths', fallback: string): string[] =>
    (py[key] ?? [fallback]).map((f, i) => {
      const norm = posix.normalize(f.split(sep).join('/')).replace(/\/+$/, '');
      if (norm.startsWith('..') || posix.isAbsolute(norm) || norm === '.') throw projectYaml.error([key, i], `'${f}' must be a folder inside the project`);
      return norm;
    });
  const config: ProjectConfig = { name: py.name, ...(py.version ? { version: py.version } : {}), modelPaths: folders('model-paths', 'models'), testPaths: folders('test-paths', 'tests') };

  const models = new Map<string, ModelNode>();
  const yamls: YamlFile[] = [];
  for (const mp of config.modelPaths) {
    for (const file of await listFiles(root, mp)) {
      if (/\.ya?ml$/.test(file)) yamls.push(YamlFile.parse(await read(root, file), file));
      else if (file.endsWith('.sql')) {
        const name = basename(file, '.sql');
        const prev = models.get(`model.${name}`);
        if (prev) throw new ProjectError('DUPLICATE_NODE', `two models named '${name}' (also ${prev.file}); model names are file names and must be unique`, { file, node: `model.${name}` });
        const raw = await read(root, file);
        const template = parseTemplate(raw, file);
        const dirs = posix.relative(mp, file).split('/').slice(0, -1);
        models.set(`model.${name}`, { kind: 'model', uniqueId: `model.${name}`, name, file, raw, template, config: { materialized: 'view', tags: [] }, refs: uniq(template.refs.map((r) => r.name)), sources: uniqPairs(template.sources.map((s) => [s.source, s.table])), columns: {}, fqn: [config.name, ...dirs, name] });
      }
    }
  }

  const sources = new Map<string, SourceNode>();
  const patches = new Map<string, { yaml: YamlFile; index: number; cfg: Cfg | undefined }>();
  const pendingTests: (() => TestNode)[] = [];
  for (const yaml of yamls) {
    const schema = yaml.check(SchemaYml);
    (schema.sources ?? []).forEach((src, si) => {
      src.tables.forEach((table, ti) => {
        const path: YamlPath = ['sources', si, 'tables', ti];
        const node = sourceNode(yaml, src, si, ti);
        const prev = sources.get(node.uniqueId);
        if (prev) throw new ProjectError('DUPLICATE_NODE', `source table ${src.name}.${table.name} declared twice (also ${prev.file}:${prev.line ?? '?'})`, { file: yaml.file, ...lineCtx(yaml, path), yamlPath: 'sources' });
        sources.set(node.uniqueId, node);
        const site = { yaml, attachedTo: node.uniqueId, label: `${src.name}_${table.name}`, namePrefix: 'source_' };
        (table.tests ?? table.data_tests ?? []).forEach((t, i) => pendingTests.push(() => genericTest(t, { ...site, path: [...path, table.tests ? 'tests' : 'data_tests', i] }, DEFAULT_TEST_CONFIG)));
        (table.columns ?? []).forEach((col, ci) =>
          (col.tests ?? col.data_tests ?? []).forEach((t, i) => pendingTests.push(() => genericTest(t, { ...site, column: col.name, path: [...path, 'columns', ci, col.tests ? 'tests' : 'data_tests', i] }, DEFAULT_TEST_CONFIG))),
        );
      });
    });
    (schema.models ?? []).forEach((m, mi) => {
      const path: YamlPath = ['models', mi];
      const model = models.get(`model.${m.name}`);
      if (!model) throw yaml.error([...path, 'name'], `schema.yml describes model '${m.name}' but there is no ${m.name}.sql in ${config.modelPaths.join(', ')}`);
      const prev = patches.get(m.name);
      if (prev) throw new ProjectError('DUPLICATE_NODE', `model '${m.name}' is described twice (also ${prev.yaml.file}:${prev.yaml.lineOf(['models', prev.index]) ?? '?'})`, { file: yaml.file, ...lineCtx(yaml, path), yamlPath: `models[${mi}]` });
      patches.set(m.name, { yaml, index: mi, cfg: m.config });
      const line = yaml.lineOf(path);
      model.patch = { file: yaml.file, ...(line !== undefined ? { line } : {}) };
      if (m.description !== undefined) model.description = m.description;
      model.columns = columnDocs(m.columns ?? []);
      const site = { yaml, attachedTo: model.uniqueId, label: m.name };
      const modelTests = m.tests ? 'tests' : 'data_tests';
      (m.tests ?? m.data_tests ?? []).forEach((t, i) => pendingTests.push(() => genericTest(t, { ...site, path: [...path, modelTests, i] }, DEFAULT_TEST_CONFIG)));
      (m.columns ?? []).forEach((col, ci) =>
        (col.tests ?? col.data_tests ?? []).forEach((t, i) => pendingTests.push(() => genericTest(t, { ...site, column: col.name, path: [...path, 'columns', ci, col.tests ? 'tests' : 'data_tests', i] }, DEFAULT_TEST_CONFIG))),
      );
    });
  }

  // Config: project folders < schema.yml < config() in the SQL.
  for (const model of models.values()) {
    const layers = folderConfig(projectYaml, py.models, model.fqn);
    const patch = patches.get(model.name);
    if (patch?.cfg) layers.push(patch.cfg);
    layers.push(checkTemplateConfig(model.template, 'model', ModelConfigYml));
    model.config = mergeConfig(layers);
    if (model.config.materialized === 'incremental' && !model.config.uniqueKey?.length) {
      throw new ProjectError('PROJECT_INVALID', `incremental model '${model.name}' needs unique_key (the merge is delete+insert of the touched keys)`, { file: model.file, ...(model.template.configPos ?? {}), node: model.uniqueId });
    }
    const lookbackError = lookbackProblem(layers, model.config.materialized);
    if (lookbackError !== undefined) {
      throw new ProjectError('PROJECT_INVALID', `model '${model.name}': ${lookbackError}`, { file: model.file, ...(model.template.configPos ?? {}), node: model.uniqueId });
    }
  }
  for (const [id, model] of models) if (model.config.enabled === false) models.delete(id);

  const tests = new Map<string, TestNode>();
  const addTest = (t: TestNode): void => {
    const prev = tests.get(t.uniqueId);
    if (prev) throw duplicateTest(prev, t);
    tests.set(t.uniqueId, t);
  };
  for (const make of pendingTests) {
    const t = make();
    if (t.attachedTo && t.attachedTo.startsWith('model.') && !models.has(t.attachedTo)) continue; // disabled model
    addTest(t);
  }
  for (const tp of config.testPaths) {
    for (const file of await listFiles(root, tp)) {
      if (!file.endsWith('.sql')) continue;
      addTest(singularTest(file, await read(root, file)));
    }
  }
  return { root, name: config.name, config, models, sources, tests };
}

function singularTest(file: string, raw: string): TestNode {
  const template = parseTemplate(raw, file);
  const cfg = checkTemplateConfig(template, 'test', TestConfigYml);
  const name = basename(file, '.sql');
  return {
    kind: 'test', uniqueId: `test.${name}`, name, file, line: 1, raw, template, config: testConfig(cfg, DEFAULT_TEST_CONFIG),
    dependsOn: uniq([...template.refs.map((r) => `model.${r.name}`), ...template.sources.map((s) => `source.${s.source}.${s.table}`)]),
  };
}

function checkTemplateConfig<T>(t: Template, what: string, schema: z.ZodType<T>): T {
  const r = schema.safeParse({ ...t.config });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const detail =
    issue?.code === 'unrecognized_keys'
      ? `unknown ${what} config ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      : `config(${String(issue?.path[0] ?? '')}=…): ${issue?.message ?? 'invalid'}`;
  throw new ProjectError('PROJECT_INVALID', detail, { file: t.file, ...(t.configPos ?? { line: 1, column: 1 }) });
}

function sourceNode(yaml: YamlFile, src: SourceYml, si: number, ti: number): SourceNode {
  const table = src.tables[ti];
  if (!table) throw yaml.error(['sources', si, 'tables', ti], 'missing table');
  const ident = table.identifier ?? table.name;
  const deltaPath = table.meta?.delta_path ?? (src.meta?.delta_path ? `${src.meta.delta_path.replace(/\/$/, '')}/${ident}` : `${src.name}/${ident}`);
  const freshness = table.freshness === undefined ? src.freshness : table.freshness;
  const loadedAt = table.loaded_at_field ?? src.loaded_at_field;
  const line = yaml.lineOf(['sources', si, 'tables', ti]);
  const description = table.description ?? src.description;
  return {
    kind: 'source', uniqueId: `source.${src.name}.${table.name}`, source: src.name, name: table.name, deltaPath,
    ...(loadedAt !== undefined ? { loadedAtField: loadedAt } : {}),
    ...(freshness ? { freshness: { ...(freshness.warn_after ? { warnAfter: freshness.warn_after } : {}), ...(freshness.error_after ? { errorAfter: freshness.error_after } : {}), ...(freshness.filter ? { filter: freshness.filter } : {}) } } : {}),
    file: yaml.file, ...(line !== undefined ? { line } : {}), ...(description !== undefined ? { description } : {}),
    columns: columnDocs(table.columns ?? []),
  };
}

function columnDocs(cols: readonly { name: string; description?: string | undefined; data_type?: string | undefined }[]): Record<string, ColumnDoc> {
  const out: Record<string, ColumnDoc> = {};
  for (const c of cols) out[c.name] = { ...(c.description !== undefined ? { description: c.description } : {}), ...(c.data_type !== undefined ? { dataType: c.data_type } : {}) };
  return out;
}

function lineCtx(yaml: YamlFile, path: YamlPath): { line?: number } {
  const line = yaml.lineOf(path);
  return line !== undefined ? { line } : {};
}

async function read(root: string, file: string): Promise<string> {
  try {
    return await readFile(join(root, file), 'utf8');
  } catch (e) {
    throw new ProjectError('PROJECT_IO', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file }, { cause: e });
  }
}

/** Project-relative paths (with `/`) of the files under `sub`, sorted; a missing folder is empty. */
async function listFiles(root: string, sub: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(join(root, sub), { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ProjectError('PROJECT_IO', `cannot list ${sub}: ${(e as Error).message}`, { file: sub }, { cause: e });
  }
  return entries
    .map((e) => `${sub.replace(/\/$/, '')}/${e.split(sep).join('/')}`)
    .filter((p) => !p.split('/').some((s) => s.startsWith('.') || s === 'node_modules') && /\.(sql|ya?ml)$/.test(p))
    .sort();
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function uniqPairs(xs: readonly [string, string][]): [string, string][] {
  const seen = new Set<string>();
  return xs.filter(([a, b]) => (seen.has(`${a}\0${b}`) ? false : (seen.add(`${a}\0${b}`), true)));
}

/** lookback needs lookback_column, and both need an incremental model. */
function lookbackProblem(layers: readonly Cfg[], materialized: string): string | undefined {
  const column = layers.some((l) => l.lookback_column !== undefined);
  const amount = layers.some((l) => l.lookback !== undefined);
  if (amount && !column) return 'lookback needs lookback_column (the source column it counts in)';
  if (column && materialized !== 'incremental') return `lookback_column narrows what an incremental run reads; this model is materialized as ${materialized}`;
  return undefined;
}
