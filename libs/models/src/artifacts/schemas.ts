/**
 * The artifacts a run leaves in `target/`, as zod schemas (the documented
 * shapes), close to dbt's:
 *
 * - `manifest.json` — every node (models, tests) and source, with config,
 *   `depends_on`, raw and compiled SQL, descriptions and columns, the Delta
 *   path of each table; `parent_map`/`child_map` for lineage.
 * - `run_results.json` — one result per executed node: status
 *   (`success`/`error`/`skipped` for models; `pass`/`warn`/`fail`/`error` for
 *   tests), timing, thread, execution_time, adapter_response (`_message`,
 *   `rows_affected`), message, failures, compiled_code.
 * - `sources.json` — `source freshness` results.
 *
 * `metadata.dbt_schema_version` names the dbt schema each one follows; our
 * additions are `delta_path` (tables under the Delta root) and `adapter_type: duckdb`.
 */
import { z } from 'zod';

export const Metadata = z.object({
  dbt_schema_version: z.string(),
  dbt_version: z.string(),
  generated_at: z.string(),
  invocation_id: z.string(),
  project_name: z.string().optional(),
  adapter_type: z.literal('duckdb'),
});

const Column = z.object({ name: z.string(), description: z.string(), data_type: z.string().nullable() });
const Duration = z.object({ count: z.number(), period: z.enum(['minute', 'hour', 'day']) }).nullable();

export const ManifestNode = z.object({
  unique_id: z.string(),
  resource_type: z.enum(['model', 'test']),
  name: z.string(),
  package_name: z.string(),
  path: z.string(),
  original_file_path: z.string(),
  fqn: z.array(z.string()),
  schema: z.string(),
  relation_name: z.string().nullable(),
  /** Gold Delta table path relative to the Delta root (models that write one; tests storing failures). */
  delta_path: z.string().nullable(),
  language: z.literal('sql'),
  raw_code: z.string(),
  compiled_code: z.string().nullable(),
  description: z.string(),
  columns: z.record(z.string(), Column),
  tags: z.array(z.string()),
  config: z.object({
    enabled: z.boolean(),
    materialized: z.string(),
    unique_key: z.array(z.string()).nullable(),
    partition_by: z.array(z.string()).nullable(),
    tags: z.array(z.string()),
    severity: z.enum(['warn', 'error']).optional(),
    warn_if: z.string().optional(),
    error_if: z.string().optional(),
    store_failures: z.boolean().optional(),
  }),
  depends_on: z.object({ nodes: z.array(z.string()) }),
  refs: z.array(z.object({ name: z.string() })),
  sources: z.array(z.tuple([z.string(), z.string()])),
  test_metadata: z.object({ name: z.string(), kwargs: z.record(z.string(), z.unknown()) }).optional(),
  column_name: z.string().nullable().optional(),
  attached_node: z.string().nullable().optional(),
});

export const ManifestSource = z.object({
  unique_id: z.string(),
  resource_type: z.literal('source'),
  source_name: z.string(),
  name: z.string(),
  path: z.string(),
  original_file_path: z.string(),
  fqn: z.array(z.string()),
  relation_name: z.string(),
  delta_path: z.string(),
  loaded_at_field: z.string().nullable(),
  freshness: z.object({ warn_after: Duration, error_after: Duration }).nullable(),
  description: z.string(),
  columns: z.record(z.string(), Column),
});

export const Manifest = z.object({
  metadata: Metadata,
  nodes: z.record(z.string(), ManifestNode),
  sources: z.record(z.string(), ManifestSource),
  parent_map: z.record(z.string(), z.array(z.string())),
  child_map: z.record(z.string(), z.array(z.string())),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestNode = z.infer<typeof ManifestNode>;
export type ManifestSource = z.infer<typeof ManifestSource>;

export const RunResult = z.object({
  unique_id: z.string(),
  status: z.enum(['success', 'error', 'skipped', 'pass', 'warn', 'fail']),
  timing: z.array(z.object({ name: z.enum(['compile', 'execute']), started_at: z.string(), completed_at: z.string() })),
  thread_id: z.string(),
  execution_time: z.number(),
  adapter_response: z.object({ _message: z.string().optional(), rows_affected: z.number().optional() }),
  message: z.string().nullable(),
  failures: z.number().nullable(),
  compiled_code: z.string().nullable(),
  relation_name: z.string().nullable(),
});

export const RunResults = z.object({
  metadata: Metadata,
  results: z.array(RunResult),
  elapsed_time: z.number(),
  args: z.object({
    which: z.string(),
    select: z.array(z.string()),
    exclude: z.array(z.string()),
    full_refresh: z.boolean(),
    threads: z.number(),
  }),
});
export type RunResults = z.infer<typeof RunResults>;

export const SourceFreshnessResults = z.object({
  metadata: Metadata,
  results: z.array(z.object({
    unique_id: z.string(),
    status: z.enum(['pass', 'warn', 'error', 'runtime error']),
    max_loaded_at: z.string().nullable(),
    snapshotted_at: z.string(),
    max_loaded_at_time_ago_in_s: z.number().nullable(),
    criteria: z.object({ warn_after: Duration, error_after: Duration }),
    execution_time: z.number(),
    error: z.string().nullable(),
  })),
  elapsed_time: z.number(),
});
export type SourceFreshnessResults = z.infer<typeof SourceFreshnessResults>;

export const SCHEMA_VERSIONS = {
  manifest: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
  runResults: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
  sources: 'https://schemas.getdbt.com/dbt/sources/v3.json',
} as const;
