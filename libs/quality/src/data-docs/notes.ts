/**
 * The `meta` notes of suites and expectations, for the Data Docs. Stored
 * results do not carry `meta`; when the suites are passed to
 * `renderDataDocs`, a run's expectations get their notes from the suite of
 * the same name and content hash (ids are positions in that version), and a
 * suite section gets its suite's notes.
 */
import type { Suite } from '../expectation.js';
import { suiteHash } from '../suite-hash.js';

/** `notes`, `note` or `description` when one is text (GE's meta convention), else the meta as JSON; undefined when empty. */
export function noteOf(meta: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!meta) return undefined;
  for (const key of ['notes', 'note', 'description']) {
    const v = meta[key];
    if (typeof v === 'string' && v !== '') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length > 0) return v.join(' ');
  }
  const entries = Object.entries(meta).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? JSON.stringify(Object.fromEntries(entries)) : undefined;
}

export interface SuiteNotes {
  /** Notes of the suite named so (any version). */
  suite(name: string): string | undefined;
  /** Notes of expectation `id` of the suite version `name` @ `hash`. */
  expectation(name: string, hash: string, id: number): string | undefined;
}

export function suiteNotes(suites: readonly Suite[] = []): SuiteNotes {
  const byVersion = new Map<string, Suite>();
  const byName = new Map<string, Suite>();
  for (const s of suites) {
    byVersion.set(`${s.name}\u0000${suiteHash(s)}`, s);
    byName.set(s.name, s);
  }
  return {
    suite: (name) => noteOf(byName.get(name)?.meta),
    expectation: (name, hash, id) => noteOf(byVersion.get(`${name}\u0000${hash}`)?.expectations[id]?.meta),
  };
}
