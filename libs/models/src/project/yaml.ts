import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ProjectError } from '../errors.js';

export type YamlPath = readonly (string | number)[];

/** `models[2].columns[0].tests[1]` */
export function formatYamlPath(path: YamlPath): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

/** A parsed YAML file that can say on which line a path is. */
export class YamlFile {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    readonly value: unknown,
  ) {}

  /** Parses `text`; syntax errors (and duplicate keys) are ProjectErrors with file:line:column. */
  static parse(text: string, file: string): YamlFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new ProjectError('PROJECT_INVALID', `YAML: ${(err.message.split('\n')[0] ?? err.code).replace(/ at line \d+, column \d+:?$/, '')}`, { file, ...(pos ? { line: pos.line, column: pos.col } : {}) });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new ProjectError('PROJECT_INVALID', `YAML: ${(e as Error).message}`, { file }, { cause: e });
    }
    return new YamlFile(file, doc, lines, value);
  }

  /** Line of the node at `path`, or of its nearest existing ancestor. */
  lineOf(path: YamlPath): number | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return this.lines.linePos(range[0]).line;
    }
    return undefined;
  }

  /** A ProjectError at `path` with its line. */
  error(path: YamlPath, detail: string): ProjectError {
    const line = this.lineOf(path);
    return new ProjectError('PROJECT_INVALID', detail, { file: this.file, ...(line !== undefined ? { line } : {}), ...(path.length ? { yamlPath: formatYamlPath(path) } : {}) });
  }

  /** Validates `value` (found at `base`) with zod; the first issue becomes a ProjectError at its YAML path. */
  check<T>(schema: z.ZodType<T>, value: unknown = this.value, base: YamlPath = []): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    const path = [...base, ...(issue?.path ?? []).map((k) => (typeof k === 'symbol' ? String(k) : k))];
    if (issue?.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
    if (value === null || value === undefined) throw this.error(path, path.length === 0 ? 'the file is empty' : 'missing value');
    throw this.error(path, issue ? describeIssue(issue) : 'invalid');
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return issue.message;
}
