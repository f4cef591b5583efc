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
