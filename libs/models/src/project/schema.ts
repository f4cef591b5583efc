import { z } from 'zod';

/** zod shapes of gold_project.yml and schema.yml (dbt's conventions, snake_case as users write them). */

const stringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? [v] : v));
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, _)');

export const MATERIALIZATIONS = ['table', 'incremental', 'view', 'ephemeral'] as const;

/** Model config keys, in config(), schema.yml `config:` and gold_project.yml `+key`. */
export const ModelConfigYml = z.strictObject({
  materialized: z.enum(MATERIALIZATIONS).optional(),
  unique_key: stringOrList.optional(),
  partition_by: stringOrList.optional(),
  lookback_column: identifier.optional(),
  lookback: z.number().nonnegative().optional(),
  tags: stringOrList.optional(),
  enabled: z.boolean().optional(),
  delta_path: z.string().min(1).optional(),
  alias: z.string().optional(),
  description: z.string().optional(),
});
export type ModelConfigYml = z.infer<typeof ModelConfigYml>;

export const TestConfigYml = z.strictObject({
  severity: z.string().transform((s) => s.toLowerCase()).pipe(z.enum(['warn', 'error'])).optional(),
  warn_if: z.string().regex(/^\s*(==|!=|>=|<=|>|<)\s*\d+\s*$/, "a condition like '>10' or '!=0'").optional(),
  error_if: z.string().regex(/^\s*(==|!=|>=|<=|>|<)\s*\d+\s*$/, "a condition like '>10' or '!=0'").optional(),
  store_failures: z.boolean().optional(),
  tags: stringOrList.optional(),
  where: z.string().optional(),
  enabled: z.boolean().optional(),
});
export type TestConfigYml = z.infer<typeof TestConfigYml>;

const Duration = z.strictObject({ count: z.number().int().positive(), period: z.enum(['minute', 'hour', 'day']) });
const Freshness = z
  .strictObject({ warn_after: Duration.optional(), error_after: Duration.optional(), filter: z.string().optional() })
  .nullable();
const Meta = z.looseObject({ delta_path: z.string().min(1).optional() });
/** A test entry: `unique` or `{accepted_values: {values: [...]}}`; details checked in tests.ts. */
const TestEntry = z.union([z.string(), z.record(z.string(), z.unknown())]);

const Column = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  data_type: z.string().optional(),
  meta: Meta.optional(),
  quote: z.boolean().optional(),
  tags: stringOrList.optional(),
  tests: z.array(TestEntry).optional(),
  data_tests: z.array(TestEntry).optional(),
});

const SourceTable = z.strictObject({
  name: z.string().min(1),
  identifier: z.string().min(1).optional(),
  description: z.string().optional(),
  meta: Meta.optional(),
  loaded_at_field: z.string().optional(),
  freshness: Freshness.optional(),
  columns: z.array(Column).optional(),
  tests: z.array(TestEntry).optional(),
  data_tests: z.array(TestEntry).optional(),
  tags: stringOrList.optional(),
});

const Source = z.strictObject({
  name: identifier,
  description: z.string().optional(),
  meta: Meta.optional(),
  loaded_at_field: z.string().optional(),
  freshness: Freshness.optional(),
  tags: stringOrList.optional(),
  tables: z.array(SourceTable),
});

const ModelPatch = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  config: ModelConfigYml.optional(),
  meta: Meta.optional(),
  columns: z.array(Column).optional(),
  tests: z.array(TestEntry).optional(),
  data_tests: z.array(TestEntry).optional(),
});

export const SchemaYml = z.strictObject({
  version: z.literal(2, 'schema files must say version: 2'),
  sources: z.array(Source).optional(),
  models: z.array(ModelPatch).optional(),
});
export type SchemaYml = z.infer<typeof SchemaYml>;
export type SourceYml = z.infer<typeof Source>;
export type SourceTableYml = z.infer<typeof SourceTable>;
export type ColumnYml = z.infer<typeof Column>;
export type ModelPatchYml = z.infer<typeof ModelPatch>;

export const ProjectYml = z.looseObject({
  name: identifier,
  version: z.union([z.string(), z.number()]).transform(String).optional(),
  'config-version': z.literal(2).optional(),
  'model-paths': z.array(z.string().min(1)).optional(),
  'test-paths': z.array(z.string().min(1)).optional(),
  /** Folder configs: `models: {<project>: {+materialized: view, marts: {+materialized: table}}}`. */
  models: z.record(z.string(), z.unknown()).optional(),
  tests: z.record(z.string(), z.unknown()).optional(),
});
export type ProjectYml = z.infer<typeof ProjectYml>;
