/**
 * The template AST: what `parseTemplate` produces and `render` evaluates.
 * Positions are 1-based line and column in the template's own file.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A literal value in a call's arguments: `'a'`, `"b"`, `3`, `true`, `none`, `['a', 'b']`. */
export type Literal = string | number | boolean | null | readonly Literal[];

/** `{{ ref('x') }}`, `{{ new_rows('x') }}`, `{{ source('s', 't') }}`, `{{ config(...) }}`, `{{ this }}`. */
export type Expr =
  | { readonly kind: 'ref'; readonly name: string; readonly pos: Position }
  /** The rows model `name` gives over only the source files added since this model's last run (incremental runs). */
  | { readonly kind: 'new_rows'; readonly name: string; readonly pos: Position }
  | { readonly kind: 'source'; readonly source: string; readonly table: string; readonly pos: Position }
  | { readonly kind: 'config'; readonly args: Readonly<Record<string, Literal>>; readonly pos: Position }
  | { readonly kind: 'this'; readonly pos: Position };

/** An `{% if %}` condition: `is_incremental()`, `not`, `and`, `or`, `true`/`false`, parentheses. */
export type Condition =
  | { readonly kind: 'is_incremental' }
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition };

export type TemplateNode =
  | { readonly kind: 'text'; readonly value: string; readonly pos: Position }
  | { readonly kind: 'output'; readonly expr: Expr; readonly pos: Position }
  | {
      readonly kind: 'if';
      /** `if` then each `elif`, in order. */
      readonly branches: readonly { readonly condition: Condition; readonly body: readonly TemplateNode[]; readonly pos: Position }[];
      readonly otherwise: readonly TemplateNode[];
      readonly pos: Position;
    };

/** A `ref()` or `new_rows()` found statically in a template (also inside `{% if %}` branches). */
export interface RefSite extends Position {
  readonly name: string;
}

/** A `source()` found statically in a template. */
export interface SourceSite extends Position {
  readonly source: string;
  readonly table: string;
}

/** A parsed template: the tree plus what the loader and the graph need without rendering. */
export interface Template {
  readonly file: string;
  readonly nodes: readonly TemplateNode[];
  /** Every `config()` call's keyword arguments, merged in order (later wins). */
  readonly config: Readonly<Record<string, Literal>>;
  /** Position of the first `config()` call, for config validation errors. */
  readonly configPos?: Position;
  readonly refs: readonly RefSite[];
  readonly sources: readonly SourceSite[];
  /** Whether the SQL branches on `is_incremental()`. */
  readonly usesIsIncremental: boolean;
}

/** What `render` asks the runner for: DuckDB relation names and the incremental flag. */
export interface RenderContext {
  ref(name: string): string;
  /** `new_rows('x')`: the relation of x's rows from new source files only; outside an incremental run, `ref('x')`. */
  newRows(name: string): string;
  source(source: string, table: string): string;
  readonly this: string;
  readonly isIncremental: boolean;
}
