// @lakestream/models — dbt-like SQL models over DuckDB and Delta.
// Core (project loading, template engine, graph, selection): src/project, src/template, src/graph, src/select.
export {
  ModelsError,
  TemplateError,
  ProjectError,
  GraphError,
  SelectError,
  RunError,
  type ModelsErrorCode,
  type ModelsErrorContext,
  type CycleStep,
} from './errors.js';
export type { Position, Literal, Expr, Condition, TemplateNode, RefSite, SourceSite, Template, RenderContext } from './template/ast.js';
export type {
  Duration,
  Materialization,
  ModelConfig,
  ColumnDoc,
  Declared,
  ModelNode,
  SourceNode,
  GenericTestName,
  TestConfig,
  TestNode,
  ProjectConfig,
  Project,
  Node,
} from './project/types.js';
export { parseTemplate, render, evaluate, type Renderable } from './template/index.js';
export { loadProject, PROJECT_FILE, testNodeName, formatYamlPath } from './project/index.js';
export { buildGraph, type Graph } from './graph/index.js';
export { selectNodes, parseSelectors, matches, type SelectOptions, type SelectorAtom, type SelectorMethod, type SelectorTerm } from './select/index.js';

// ---- Runner (helper J): DuckDB over Delta, materializations, tests, freshness, artifacts, docs -------------
export { runProject, executingNodes, summaryLines, type Command, type RunOptions, type RunOutcome, type NodeResult, type NodeStatus } from './run/runner.js';
export { runSourceFreshness, freshnessStatus, type FreshnessOutcome, type FreshnessResult, type FreshnessStatus } from './run/freshness.js';
export { compileNode, modelRelation, sourceRelation, SCHEMAS } from './run/compile.js';
export { compileTest, auditTablePath } from './run/tests.js';
export { parseCondition, testStatus, type Comparison, type TestStatus } from './run/conditions.js';
export { planIncremental, type IncrementalPlan } from './run/incremental.js';
export { goldPath } from './run/context.js';
export { Engine } from './engine/engine.js';
export { createDeltaView, type DeltaViewSpec } from './engine/sources.js';
export { relationToArrow } from './engine/to-arrow.js';
export {
  buildManifest, buildRunResults, buildSourceResults, compileProject, writeArtifact, readArtifact, ARTIFACT_FILES,
} from './artifacts/build.js';
export { Manifest, ManifestNode, ManifestSource, RunResults, RunResult, SourceFreshnessResults, SCHEMA_VERSIONS } from './artifacts/schemas.js';
export { generateDocs } from './docs/generate.js';
export { renderLineageHtml } from './docs/lineage.js';
export { layoutDag, type Layout, type LayoutInput, type Placed } from './docs/layout.js';
