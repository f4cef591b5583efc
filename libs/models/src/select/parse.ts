import { SelectError } from '../errors.js';

export type SelectorMethod = 'name' | 'tag' | 'path' | 'source' | 'test_type' | 'resource_type' | 'fqn';

/** One selector atom: `[@][n+]method:value[+n]`. */
export interface SelectorAtom {
  readonly method: SelectorMethod;
  readonly value: string;
  /** `+x`: ancestors; `2+x`: up to 2 levels; undefined: none. */
  readonly parents?: number | 'all';
  readonly children?: number | 'all';
  /** `@x`: x, its descendants and all their ancestors. */
  readonly at?: boolean;
}

/** `a,b` (intersection) — one space-separated term. */
export type SelectorTerm = readonly SelectorAtom[];

const METHODS = new Set<SelectorMethod>(['tag', 'path', 'source', 'test_type', 'resource_type', 'fqn']);
const ATOM = /^(@)?(?:(\d*)\+)?([^+@\s,]+?)(?:\+(\d*))?$/;

/**
 * Parses dbt selection syntax: the arguments of `--select`/`--exclude`, each
 * possibly holding several space-separated terms (union); commas join atoms
 * of one term (intersection). Throws SelectError naming the bad text.
 */
export function parseSelectors(args: readonly string[]): SelectorTerm[] {
  const terms: SelectorTerm[] = [];
  for (const arg of args) {
    for (const term of arg.split(/\s+/).filter((t) => t.length > 0)) {
      terms.push(term.split(',').map((a) => parseAtom(a, term)));
    }
  }
  return terms;
}

function parseAtom(text: string, term: string): SelectorAtom {
  const m = ATOM.exec(text);
  if (!m) throw new SelectError(`cannot parse selector '${text}' (forms: name, +name, name+, 2+name+1, @name, tag:x, path:models/marts, source:silver.table, test_type:generic, resource_type:model)`, { found: term });
  const [, at, up, body = '', down] = m;
  if (at && up !== undefined) throw new SelectError(`'@' and a '+' prefix cannot be combined in '${text}'`, { found: term });
  const colon = body.indexOf(':');
  let method: SelectorMethod = 'name';
  let value = body;
  if (colon >= 0) {
    const name = body.slice(0, colon);
    if (!METHODS.has(name as SelectorMethod)) throw new SelectError(`unknown selector method '${name}:' (known: ${[...METHODS].join(', ')})`, { found: term });
    method = name as SelectorMethod;
    value = body.slice(colon + 1);
  } else if (body.includes('/') || body.endsWith('.sql')) method = 'path';
  if (value.length === 0) throw new SelectError(`empty value in selector '${text}'`, { found: term });
  if (method === 'test_type' && value !== 'generic' && value !== 'singular') throw new SelectError(`test_type is generic or singular, found '${value}'`, { found: term });
  if (method === 'resource_type' && !['model', 'test', 'source'].includes(value)) throw new SelectError(`resource_type is model, test or source, found '${value}'`, { found: term });
  return {
    method,
    value,
    ...(up !== undefined ? { parents: up === '' ? 'all' : Number(up) } : {}),
    ...(down !== undefined ? { children: down === '' ? 'all' : Number(down) } : {}),
    ...(at ? { at: true } : {}),
  };
}
