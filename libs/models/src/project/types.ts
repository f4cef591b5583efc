import type { Literal, Template } from '../template/ast.js';

/** A dbt duration: `{count: 12, period: hour}`. */
export interface Duration {
  readonly count: number;
  readonly period: 'minute' | 'hour' | 'day';
}

export type Materialization = 'table' | 'incremental' | 'view' | 'ephemeral';

export interface ModelConfig {
  materialized: Materialization;
  /** Merge key for `incremental` (delete+insert of the touched keys). */
  uniqueKey?: string[];
  /** Delta partition columns of the gold table. */
  partitionBy?: string[];
  /**
   * `incremental` only: a numeric source column by which an incremental run
   * narrows each source partition that received new files to the files whose
   * largest value (Delta file stats) reaches the new files' smallest value
   * minus `lookback`. The model must need no older rows of that partition to
   * recompute what its new rows change (see `new_rows()`).
   */
  lookback?: { readonly column: string; readonly amount: number };
  /** Union of project, schema.yml and config() tags (dbt accumulates tags). */
  tags: string[];
  /** `false` drops the model from the project (dbt's `enabled`). */
  enabled?: boolean;
  /** Delta path of the gold table relative to the Delta root; default `gold/<name>`. */
  deltaPath?: string;
  /** Keyword args we do not interpret, kept for artifacts (e.g. `alias`). */
  extra?: Record<string, Literal>;
}

export interface ColumnDoc {
  description?: string;
  /** Declared type (documentation only, dbt's `data_type`). */
  dataType?: string;
}

/** Where a node was declared: project-relative file and 1-based line (YAML entry or SQL file start). */
export interface Declared {
  file: string;
  line?: number;
}

export interface ModelNode {
  kind: 'model';
  /** `model.<name>` */
  uniqueId: string;
  name: string;
  /** Relative to the project root, with `/` separators. */
  file: string;
  raw: string;
  /** The parsed template (render it with `render(node, ctx)`). */
  template: Template;
  config: ModelConfig;
  /** Names of the models this one refs, deduplicated, in order of first use. */
  refs: string[];
  /** `[source, table]` pairs, deduplicated, in order of first use. */
  sources: [string, string][];
  description?: string;
  columns: Record<string, ColumnDoc>;
  /** schema.yml entry describing this model, if any. */
  patch?: Declared;
  /** dbt's fqn: [project, ...folders under the model path, name] (folder config from gold_project.yml follows it). */
  fqn: string[];
}

export interface SourceNode {
  kind: 'source';
  /** `source.<source>.<table>` */
  uniqueId: string;
  source: string;
  name: string;
  /** Delta table path relative to the Delta root (`meta.delta_path`, else `identifier`, else `<source>/<name>`). */
  deltaPath: string;
  loadedAtField?: string;
  freshness?: { warnAfter?: Duration; errorAfter?: Duration; filter?: string };
  /** The schema.yml that declares it. */
  file: string;
  line?: number;
  description?: string;
  columns: Record<string, ColumnDoc>;
}

export type GenericTestName = 'unique' | 'not_null' | 'accepted_values' | 'relationships' | 'accepted_range' | 'unique_combination_of_columns';

export interface TestConfig {
  severity: 'warn' | 'error';
  /** dbt condition on the failure count, e.g. `!=0`, `>10`. */
  warnIf: string;
  errorIf: string;
  storeFailures: boolean;
  tags: string[];
}

export interface TestNode {
  kind: 'test';
  /** `test.<name>` */
  uniqueId: string;
  /** dbt's generated name (`not_null_lap_metrics_lap_time_ms`) or the singular test's file name. */
  name: string;
  file: string;
  line?: number;
  /** For generic tests: the model/source unique id the test is declared on. */
  attachedTo?: string;
  column?: string;
  /**
   * Generic test and its arguments as written in schema.yml, normalized:
   * accepted_values `{values, quote?}`; relationships `{to: 'model.x'|'source.a.b', field}`;
   * accepted_range `{min_value?, max_value?, inclusive}`; unique_combination_of_columns `{combination_of_columns}`;
   * any generic test may carry `where`.
   */
  generic?: { name: GenericTestName; args: Record<string, unknown> };
  /** Singular test SQL template (render with `render`). */
  raw?: string;
  template?: Template;
  config: TestConfig;
  /** Unique ids of every node the test reads (attached node, relationships target, refs/sources of a singular test). */
  dependsOn: string[];
}

export interface ProjectConfig {
  name: string;
  version?: string;
  modelPaths: string[];
  testPaths: string[];
}

export interface Project {
  /** Absolute path of the project folder. */
  root: string;
  name: string;
  config: ProjectConfig;
  models: Map<string, ModelNode>;
  sources: Map<string, SourceNode>;
  tests: Map<string, TestNode>;
}

export type Node = ModelNode | SourceNode | TestNode;
