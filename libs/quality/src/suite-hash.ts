/**
 * A suite's content hash: the version results carry next to the suite's
 * name. Hex SHA-256 of the suite as stable JSON — object keys sorted at every
 * depth (reordering keys in a suite file does not change it), arrays in order
 * (reordering expectations does: their ids are their positions), `undefined`
 * members left out as `JSON.stringify` does. The hash is of the content as
 * written: `mostly: 1` and no `mostly` hash differently although they mean
 * the same.
 */
import { createHash } from 'node:crypto';
import type { Suite } from './expectation.js';

export function suiteHash(suite: Suite): string {
  return createHash('sha256').update(stableJson(suite), 'utf8').digest('hex');
}

/** JSON text with object keys sorted at every depth; what `suiteHash` hashes. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
