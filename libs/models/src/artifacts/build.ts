/** Builds the artifacts from a project and run outcomes (pure), and writes/reads them under `target/`. */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { RunError } from '../errors.js';
import type { ColumnDoc, Duration, ModelNode, Project, TestNode } from '../project/types.js';
import { compileNode, modelRelation, sourceRelation } from '../run/compile.js';
import type { FreshnessOutcome } from '../run/freshness.js';
import type { RunOutcome, RunOptions } from '../run/runner.js';
import { auditTablePath, compileTest } from '../run/tests.js';
import { goldPath } from '../run/context.js';
import { Manifest, RunResults, SCHEMA_VERSIONS, SourceFreshnessResults, type ManifestNode, type ManifestSource } from './schemas.js';

const VERSION = 'lakestream-models/0.1.0';

function metadata(schema: string, project: Project, invocationId: string, now: Date): z.infer<typeof Manifest>['metadata'] {
  return { dbt_schema_version: schema, dbt_version: VERSION, generated_at: now.toISOString(), invocation_id: invocationId, project_name: project.name, adapter_type: 'duckdb' };
}

const columns = (cols: Record<string, ColumnDoc>): ManifestNode['columns'] =>
  Object.fromEntries(Object.entries(cols).map(([name, c]) => [name, { name, description: c.description ?? '', data_type: c.dataType ?? null }]));
const duration = (d: Duration | undefined): { count: number; period: 'minute' | 'hour' | 'day' } | null => (d ? { count: d.count, period: d.period } : null);

/** Every model's and test's compiled SQL (what `compile` prints); template errors propagate (exit 2). */
export function compileProject(project: Project): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of project.models.values()) out.set(m.uniqueId, compileNode(project, m, modelRelation(m.name)));
  for (const t of project.tests.values()) out.set(t.uniqueId, compileTest(project, t));
  return out;
}

export function modelDependsOn(project: Project, m: ModelNode): string[] {
  return [...new Set([...m.refs.map((r) => `model.${r}`), ...m.sources.map(([s, t]) => `source.${s}.${t}`)])].filter((id) => project.models.has(id) || project.sources.has(id));
}

export function buildManifest(project: Project, options: { compiled?: ReadonlyMap<string, string>; invocationId?: string; now?: Date } = {}): Manifest {
  const compiled = options.compiled ?? compileProject(project);
  const nodes: Record<string, ManifestNode> = {};
  const sources: Record<string, ManifestSource> = {};
  const parents: Record<string, string[]> = {};
  for (const m of project.models.values()) {
    const writes = m.config.materialized === 'table' || m.config.materialized === 'incremental';
    nodes[m.uniqueId] = {
      unique_id: m.uniqueId, resource_type: 'model', name: m.name, package_name: project.name, path: m.file, original_file_path: m.file, fqn: m.fqn,
      schema: 'gold', relation_name: m.config.materialized === 'ephemeral' ? null : `gold.${m.name}`, delta_path: writes ? goldPath(m) : null,
      language: 'sql', raw_code: m.raw, compiled_code: compiled.get(m.uniqueId) ?? null, description: m.description ?? '', columns: columns(m.columns), tags: m.config.tags,
      config: { enabled: m.config.enabled !== false, materialized: m.config.materialized, unique_key: m.config.uniqueKey ?? null, partition_by: m.config.partitionBy ?? null, tags: m.config.tags },
      depends_on: { nodes: modelDependsOn(project, m) }, refs: m.refs.map((name) => ({ name })), sources: m.sources.map(([s, t]) => [s, t] as [string, string]),
    };
    parents[m.uniqueId] = modelDependsOn(project, m);
  }
  for (const t of project.tests.values()) nodes[t.uniqueId] = testNode(project, t, compiled.get(t.uniqueId) ?? null);
  for (const t of project.tests.values()) parents[t.uniqueId] = [...t.dependsOn];
  for (const s of project.sources.values()) {
    sources[s.uniqueId] = {
      unique_id: s.uniqueId, resource_type: 'source', source_name: s.source, name: s.name, path: s.file, original_file_path: s.file, fqn: [project.name, s.source, s.name],
      relation_name: sourceRelation(s.source, s.name).replace(/"/g, ''), delta_path: s.deltaPath, loaded_at_field: s.loadedAtField ?? null,
      freshness: s.freshness ? { warn_after: duration(s.freshness.warnAfter), error_after: duration(s.freshness.errorAfter) } : null,
      description: s.description ?? '', columns: columns(s.columns),
    };
    parents[s.uniqueId] = [];
  }
  const children: Record<string, string[]> = Object.fromEntries(Object.keys(parents).map((k) => [k, [] as string[]]));
  for (const [child, ps] of Object.entries(parents)) for (const p of ps) (children[p] ??= []).push(child);
  return Manifest.parse({
    metadata: metadata(SCHEMA_VERSIONS.manifest, project, options.invocationId ?? randomUUID(), options.now ?? new Date()),
    nodes, sources, parent_map: parents, child_map: children,
  });
}

function testNode(project: Project, t: TestNode, compiled: string | null): ManifestNode {
  return {
    unique_id: t.uniqueId, resource_type: 'test', name: t.name, package_name: project.name, path: t.file, original_file_path: t.file, fqn: [project.name, t.name],
    schema: 'gold', relation_name: null, delta_path: t.config.storeFailures ? auditTablePath(t) : null,
    language: 'sql', raw_code: t.raw ?? '', compiled_code: compiled, description: '', columns: {}, tags: t.config.tags,
    config: { enabled: true, materialized: 'test', unique_key: null, partition_by: null, tags: t.config.tags, severity: t.config.severity, warn_if: t.config.warnIf, error_if: t.config.errorIf, store_failures: t.config.storeFailures },
    depends_on: { nodes: [...t.dependsOn] }, refs: [], sources: [],
    ...(t.generic ? { test_metadata: { name: t.generic.name, kwargs: { ...t.generic.args, ...(t.column ? { column_name: t.column } : {}) } } } : {}),
    column_name: t.column ?? null, attached_node: t.attachedTo ?? null,
  };
}

export function buildRunResults(project: Project, outcome: RunOutcome, args: { select?: readonly string[]; exclude?: readonly string[]; options: Pick<RunOptions, 'fullRefresh' | 'threads'> }, invocationId: string = randomUUID()): RunResults {
  return RunResults.parse({
    metadata: metadata(SCHEMA_VERSIONS.runResults, project, invocationId, new Date()),
    results: outcome.results.map((r) => {
      const m = project.models.get(r.uniqueId);
      return {
        unique_id: r.uniqueId, status: r.status,
        timing: r.status === 'skipped' ? [] : [{ name: 'execute', started_at: r.startedAt, completed_at: r.completedAt }],
        thread_id: r.thread, execution_time: r.executionTime,
        adapter_response: r.status === 'success' ? { _message: r.message, rows_affected: r.rowsAffected ?? 0 } : {},
        message: r.message, failures: r.failures ?? null, compiled_code: r.compiledSql ?? null,
        relation_name: m && m.config.materialized !== 'ephemeral' ? `gold.${m.name}` : null,
      };
    }),
    elapsed_time: outcome.elapsed,
    args: { which: outcome.command, select: [...(args.select ?? [])], exclude: [...(args.exclude ?? [])], full_refresh: args.options.fullRefresh ?? false, threads: args.options.threads ?? 1 },
  });
}

export function buildSourceResults(project: Project, outcome: FreshnessOutcome, invocationId: string = randomUUID()): SourceFreshnessResults {
  return SourceFreshnessResults.parse({
    metadata: metadata(SCHEMA_VERSIONS.sources, project, invocationId, new Date()),
    results: outcome.results.map((r) => ({
      unique_id: r.uniqueId, status: r.status, max_loaded_at: r.maxLoadedAt ?? null, snapshotted_at: r.snapshottedAt,
      max_loaded_at_time_ago_in_s: r.ageSeconds ?? null, criteria: { warn_after: duration(r.criteria.warnAfter), error_after: duration(r.criteria.errorAfter) },
      execution_time: r.executionTime, error: r.message ?? null,
    })),
    elapsed_time: outcome.elapsed,
  });
}

export const ARTIFACT_FILES = { manifest: 'manifest.json', runResults: 'run_results.json', sources: 'sources.json', docs: 'index.html' } as const;

/** Writes `<targetDir>/<file>` as pretty JSON (creating the folder). */
export async function writeArtifact(targetDir: string, file: string, value: unknown): Promise<string> {
  await mkdir(targetDir, { recursive: true });
  const path = join(targetDir, file);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** Reads and validates an artifact; `ARTIFACT_INVALID` naming the file and the first problem otherwise. */
export async function readArtifact<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new RunError('ARTIFACT_INVALID', `cannot read ${path} as JSON`, { file: path }, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RunError('ARTIFACT_INVALID', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { file: path });
  }
  return parsed.data;
}

