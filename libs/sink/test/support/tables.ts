import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bool, Field, Float64, Int64, Schema, Table, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';

/** A small telemetry-like schema: partitioned by `session` in the tests that want it. */
export const telemetrySchema = new Schema([
  new Field('session', new Utf8(), true),
  new Field('car', new Int64(), true),
  new Field('speed', new Float64(), true),
  new Field('pit', new Bool(), true),
  new Field('ts', new TimestampMicrosecond('UTC'), true),
]);

export function telemetryRows(start: number, count: number, sessions: readonly (string | null)[] = ['s1', 's2']): Table {
  const idx = Array.from({ length: count }, (_, i) => start + i);
  return new Table({
    session: vectorFromArray(idx.map((i) => sessions[i % sessions.length] ?? null), new Utf8()),
    car: vectorFromArray(idx.map((i) => BigInt(i)), new Int64()),
    speed: vectorFromArray(idx.map((i) => (i % 7 === 0 ? null : i * 1.5)), new Float64()),
    pit: vectorFromArray(idx.map((i) => i % 3 === 0), new Bool()),
    ts: vectorFromArray(idx.map((i) => 1_700_000_000_000 + i * 1000), new TimestampMicrosecond('UTC')),
  });
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
