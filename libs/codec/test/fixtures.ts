/** Loads the golden fixtures of a wire version: events.json plus one .bin per fixture. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Fixture {
  readonly name: string;
  readonly schemaId: number;
  /** Events with int64 fields as bigint again. */
  readonly events: Record<string, unknown>[];
  readonly bytes: Uint8Array;
}

const INT64_FIELDS = new Set(['timestamp_ns', 'event_id', 'event_time_ns']);

export function fixtureDir(version: number): string {
  return join(dirname(fileURLToPath(import.meta.url)), `../src/v${version}/fixtures`);
}

export function loadFixtures(version: number): Fixture[] {
  const dir = fixtureDir(version);
  const doc = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as {
    wireVersion: number;
    fixtures: Record<string, { schemaId: number; events: Record<string, unknown>[] }>;
  };
  if (doc.wireVersion !== version) throw new Error(`events.json is for wire version ${doc.wireVersion}`);
  return Object.entries(doc.fixtures).map(([name, f]) => ({
    name,
    schemaId: f.schemaId,
    events: f.events.map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, INT64_FIELDS.has(k) ? BigInt(v as string) : v]))),
    bytes: new Uint8Array(readFileSync(join(dir, `${name}.bin`))),
  }));
}

export function binFiles(version: number): string[] {
  return readdirSync(fixtureDir(version)).filter((f) => f.endsWith('.bin'));
}
