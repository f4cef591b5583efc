/**
 * The models lib's error types: one base, a stable `code` callers branch on,
 * `retriable`, and a context that names where the mistake is (file, line,
 * column, YAML path, node). Messages read like a compiler's:
 * `TEMPLATE_UNSUPPORTED: models/a.sql:3:5: {% for %} is not supported`.
 */
export type ModelsErrorCode =
  // -- template (src/template) ------------------------------------------
  /** Malformed template: unclosed `{{`, missing `{% endif %}`, bad literal… */
  | 'TEMPLATE_SYNTAX'
  /** Valid Jinja outside the documented subset: `var()`, macros, `{% for %}`, filters… */
  | 'TEMPLATE_UNSUPPORTED'
  // -- project (src/project) --------------------------------------------
  /** gold_project.yml / schema.yml / config() fails validation; `context.yamlPath` says where. */
  | 'PROJECT_INVALID'
  /** A project file cannot be read. */
  | 'PROJECT_IO'
  /** Two models (or tests, or source tables) with the same name. */
  | 'DUPLICATE_NODE'
  // -- graph (src/graph) ------------------------------------------------
  /** The refs form a cycle; `GraphError.cycle` lists it with each ref's file:line. */
  | 'GRAPH_CYCLE'
  /** `ref('x')` with no model x. */
  | 'UNKNOWN_REF'
  /** `source('a', 'b')` with no such source table. */
  | 'UNKNOWN_SOURCE'
  // -- selection (src/select) -------------------------------------------
  /** A `--select`/`--exclude` expression that does not parse. */
  | 'INVALID_SELECTOR'
  // -- run (src/run, src/engine, src/artifacts; owned by the runner) -----
  /** DuckDB refused or failed a compiled statement (`context.node`). */
  | 'SQL_FAILED'
  /** A source's Delta table is missing or unreadable. */
  | 'SOURCE_NOT_FOUND'
  /** Writing a gold Delta table failed; retriable when it was a lost commit race. */
  | 'DELTA_WRITE_FAILED'
  /** A stored artifact (manifest, run_results) does not match its documented shape. */
  | 'ARTIFACT_INVALID';

export interface ModelsErrorContext {
  /** Project-relative path of the file at fault. */
  readonly file?: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** Path inside a YAML document, e.g. `models[2].columns[0].tests[1]`. */
  readonly yamlPath?: string;
  /** Unique id of the node concerned, e.g. `model.lap_metrics`. */
  readonly node?: string;
  /** What was found where something else was expected (template token, selector…). */
  readonly found?: string;
  /** Delta table path relative to the Delta root. */
  readonly table?: string;
  readonly version?: number;
}

export class ModelsError extends Error {
  override readonly name: string = 'ModelsError';

  constructor(
    readonly code: ModelsErrorCode,
    /** What was wrong, without the code and location the full message adds. */
    readonly detail: string,
    readonly context: ModelsErrorContext = {},
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(`${code}: ${formatLocation(context)}${detail}${describeRest(context)}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options?.retriable ?? false;
  }

  readonly retriable: boolean;

  /** `file:line:column` (as far as known), for progress lines and editors. */
  get location(): string {
    return formatLocation(this.context).replace(/: $/, '');
  }
}

/** The template is malformed or uses Jinja outside the subset. Always has file, line and column. */
export class TemplateError extends ModelsError {
  override readonly name = 'TemplateError';
  constructor(code: 'TEMPLATE_SYNTAX' | 'TEMPLATE_UNSUPPORTED', detail: string, context: ModelsErrorContext & { line: number; column: number }) {
    super(code, detail, context);
  }
}

/** A project file is missing, unreadable or invalid. Names the file, the YAML path and the line when known. */
export class ProjectError extends ModelsError {
  override readonly name = 'ProjectError';
  constructor(
    code: 'PROJECT_INVALID' | 'PROJECT_IO' | 'DUPLICATE_NODE',
    detail: string,
    context: ModelsErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(code, detail, context, options);
  }
}

/** One step of a ref cycle: `from` refers to `to` at file:line. */
export interface CycleStep {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly line?: number;
}

/** A cycle or a dangling ref/source. */
export class GraphError extends ModelsError {
  override readonly name = 'GraphError';
  constructor(
    code: 'GRAPH_CYCLE' | 'UNKNOWN_REF' | 'UNKNOWN_SOURCE',
    detail: string,
    context: ModelsErrorContext = {},
    /** For GRAPH_CYCLE: the cycle, each step with the file:line of its ref. */
    readonly cycle: readonly CycleStep[] = [],
  ) {
    super(code, detail, context);
  }
}

/** A selector that does not parse (`context.found` is the offending text). */
export class SelectError extends ModelsError {
  override readonly name = 'SelectError';
  constructor(detail: string, context: ModelsErrorContext = {}) {
    super('INVALID_SELECTOR', detail, context);
  }
}

/** Failures while running nodes (DuckDB, Delta, artifacts). Used by src/run, src/engine, src/artifacts. */
export class RunError extends ModelsError {
  override readonly name = 'RunError';
  constructor(
    code: 'SQL_FAILED' | 'SOURCE_NOT_FOUND' | 'DELTA_WRITE_FAILED' | 'ARTIFACT_INVALID',
    detail: string,
    context: ModelsErrorContext = {},
    options?: { cause?: unknown; retriable?: boolean },
  ) {
    super(code, detail, context, options);
  }
}

function formatLocation(c: ModelsErrorContext): string {
  if (c.file === undefined) return '';
  let s = c.file;
  if (c.line !== undefined) s += `:${c.line}`;
  if (c.line !== undefined && c.column !== undefined) s += `:${c.column}`;
  return `${s}: `;
}

function describeRest(c: ModelsErrorContext): string {
  const parts = Object.entries(c)
    .filter(([k, v]) => v !== undefined && k !== 'file' && k !== 'line' && k !== 'column' && k !== 'found')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
