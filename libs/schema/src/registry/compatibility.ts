import type { JsonSchema } from '../json-schema.js';

/** Confluent's compatibility modes. BACKWARD: the new schema reads data written with the old one. */
export const COMPATIBILITY_MODES = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** One reason a reader schema cannot read data written with a writer schema. */
export interface Incompatibility {
  /** Dotted path of the field, e.g. `payload.pressure_psi`. */
  readonly field: string;
  readonly problem: string;
}

type Node = JsonSchema;

const asNode = (v: unknown): Node | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined);
const branches = (n: Node): Node[] | undefined => {
  const list = (n['oneOf'] ?? n['anyOf']) as unknown;
  return Array.isArray(list) ? list.map((b) => asNode(b) ?? {}) : undefined;
};
const typeOf = (n: Node): string | undefined => (typeof n['type'] === 'string' ? (n['type'] as string) : undefined);

/**
 * Can a reader with schema `reader` read every value valid under `writer`?
 * Field-level rules, as Avro/Protobuf readers behave: unknown writer fields
 * are ignored, reader fields missing in the writer must be optional, types
 * must match (integer widens to number), enums and consts must cover the
 * writer's values. Returns every problem found (empty: compatible).
 */
export function readerCanRead(reader: Node, writer: Node, path = ''): Incompatibility[] {
  const here = path || '(root)';
  const readerBranches = branches(reader);
  const writerBranches = branches(writer);
  if (writerBranches) {
    // Every shape the writer may produce must be readable by some reader shape.
    return writerBranches.flatMap((w) => {
      const candidates = readerBranches ?? [reader];
      const results = candidates.map((r) => readerCanRead(r, w, path));
      return results.some((r) => r.length === 0) ? [] : (results.sort((a, b) => a.length - b.length)[0] ?? []);
    });
  }
  if (readerBranches) {
    const results = readerBranches.map((r) => readerCanRead(r, writer, path));
    return results.some((r) => r.length === 0) ? [] : (results.sort((a, b) => a.length - b.length)[0] ?? []);
  }
  if ('const' in reader && (!('const' in writer) || writer['const'] !== reader['const'])) {
    return [{ field: here, problem: `must be ${JSON.stringify(reader['const'])} but the writer allows ${JSON.stringify(writer['const'] ?? writer['enum'] ?? typeOf(writer))}` }];
  }
  const rType = typeOf(reader);
  const wType = typeOf(writer);
  if (rType && wType && rType !== wType && !(rType === 'number' && wType === 'integer')) {
    return [{ field: here, problem: `changed type from ${wType} to ${rType}` }];
  }
  if (Array.isArray(reader['enum'])) {
    const allowed = new Set(reader['enum'] as unknown[]);
    const written = Array.isArray(writer['enum']) ? (writer['enum'] as unknown[]) : 'const' in writer ? [writer['const']] : undefined;
    if (!written) return [{ field: here, problem: 'became an enum but the writer allows any value' }];
    const missing = written.filter((v) => !allowed.has(v));
    if (missing.length > 0) return [{ field: here, problem: `lost enum value(s) ${missing.map((v) => JSON.stringify(v)).join(', ')}` }];
  }
  if (rType === 'array') {
    const ri = asNode(reader['items']);
    const wi = asNode(writer['items']);
    return ri && wi ? readerCanRead(ri, wi, `${path}[]`) : [];
  }
  if (rType === 'object') {
    const rProps = asNode(reader['properties']) ?? {};
    const wProps = asNode(writer['properties']) ?? {};
    const required = new Set((reader['required'] as string[] | undefined) ?? []);
    const problems: Incompatibility[] = [];
    for (const [name, rChild] of Object.entries(rProps)) {
      const field = path ? `${path}.${name}` : name;
      const wChild = asNode(wProps[name]);
      if (!wChild) {
        if (required.has(name) && !('default' in (asNode(rChild) ?? {}))) {
          problems.push({ field, problem: 'is required by the new reader but absent from data written with the old schema (add it as optional or with a default)' });
        }
        continue;
      }
      problems.push(...readerCanRead(asNode(rChild) ?? {}, wChild, field));
    }
    return problems;
  }
  return [];
}

/** Problems of registering `candidate` after `previous` versions (oldest first) under `mode`. */
export function checkCompatibility(
  mode: CompatibilityMode,
  candidate: Node,
  previous: readonly Node[],
): { against: number; problems: Incompatibility[] } | undefined {
  if (mode === 'NONE' || previous.length === 0) return undefined;
  const transitive = mode.endsWith('_TRANSITIVE');
  const indexes = transitive ? previous.map((_, i) => i) : [previous.length - 1];
  const backward = mode.startsWith('BACKWARD') || mode.startsWith('FULL');
  const forward = mode.startsWith('FORWARD') || mode.startsWith('FULL');
  for (const i of indexes.reverse()) {
    const old = previous[i] as Node;
    const problems = [...(backward ? readerCanRead(candidate, old) : []), ...(forward ? readerCanRead(old, candidate) : [])];
    if (problems.length > 0) return { against: i + 1, problems };
  }
  return undefined;
}
