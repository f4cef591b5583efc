import type { Literal } from '../template/ast.js';
import type { ModelConfig } from './types.js';
import { ModelConfigYml, type ModelConfigYml as Cfg } from './schema.js';
import type { YamlFile, YamlPath } from './yaml.js';

const CONFIG_KEYS = new Set(Object.keys(ModelConfigYml.shape));

/**
 * The folder config of gold_project.yml for a model at `fqn` = [project, ...dirs, name]:
 * dbt's nested `models:` map where `+key` (or a known config key) is config and any other key
 * is a sub-folder. Deeper levels override; tags accumulate.
 */
export function folderConfig(project: YamlFile, models: Record<string, unknown> | undefined, fqn: readonly string[]): Cfg[] {
  const out: Cfg[] = [];
  let level: unknown = models;
  const path: (string | number)[] = ['models'];
  for (let i = 0; i < fqn.length - 1 && level !== null && typeof level === 'object'; i++) {
    const seg = fqn[i] ?? '';
    const next = (level as Record<string, unknown>)[seg];
    path.push(seg);
    if (next === null || typeof next !== 'object') break;
    out.push(levelConfig(project, next as Record<string, unknown>, path));
    level = next;
  }
  return out;
}

function levelConfig(project: YamlFile, level: Record<string, unknown>, path: YamlPath): Cfg {
  const cfg: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(level)) {
    const key = k.startsWith('+') ? k.slice(1) : k;
    if (k.startsWith('+') || (CONFIG_KEYS.has(key) && (v === null || typeof v !== 'object' || Array.isArray(v)))) {
      if (!CONFIG_KEYS.has(key)) throw project.error([...path, k], `unknown model config '${key}' (known: ${[...CONFIG_KEYS].join(', ')})`);
      cfg[key] = v;
    }
  }
  return project.check(ModelConfigYml, cfg, path);
}

/** Merges configs lowest precedence first (project folders, schema.yml, config()); tags are a union. */
export function mergeConfig(layers: readonly Cfg[], extra: Record<string, Literal> = {}): ModelConfig {
  const merged: Cfg = {};
  const tags: string[] = [];
  for (const l of layers) {
    for (const [k, v] of Object.entries(l)) if (v !== undefined && k !== 'tags') (merged as Record<string, unknown>)[k] = v;
    for (const t of l.tags ?? []) if (!tags.includes(t)) tags.push(t);
  }
  const config: ModelConfig = { materialized: merged.materialized ?? 'view', tags };
  if (merged.unique_key) config.uniqueKey = merged.unique_key;
  if (merged.partition_by) config.partitionBy = merged.partition_by;
  if (merged.lookback_column !== undefined) config.lookback = { column: merged.lookback_column, amount: merged.lookback ?? 0 };
  if (merged.enabled !== undefined) config.enabled = merged.enabled;
  if (merged.delta_path) config.deltaPath = merged.delta_path;
  const rest: Record<string, Literal> = { ...extra };
  if (merged.alias !== undefined) rest['alias'] = merged.alias;
  if (Object.keys(rest).length > 0) config.extra = rest;
  return config;
}
