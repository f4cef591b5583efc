/**
 * Exactly-once property: processing a stream in one batch, or in random
 * batches with a crash after a random subset of the tables committed its
 * batch and a replay with other boundaries (each table taking only what it
 * still needs, dedup rebuilt from silver), writes the same rows to bronze,
 * silver and quarantine, and the same DLQ and enriched messages.
 */
import { encodeF1Event, encodeF1Frame } from '@lakestream/codec';
import type { F1Event } from '@lakestream/schema';
import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { context, position, record, type Versions } from '../test/fixtures.js';
import { DedupIndex, F1_KEY_COLUMNS, transformF1, type LogicalTable, type SourceRecord, type TransformResult } from './index.js';

const TABLES_CHECKED = ['bronze', 'silver', 'quarantine'] as const;
type Checked = (typeof TABLES_CHECKED)[number];

const eventArb = (car: number): fc.Arbitrary<F1Event> =>
  fc.record({ id: fc.integer({ min: 0, max: 6 }), bad: fc.boolean(), unknown: fc.integer({ min: 0, max: 9 }) }).map(({ id, bad, unknown }) =>
    position(id, { car_number: car, ...(bad && id % 2 === 0 ? { speed_kph: 999 } : {}), ...(unknown === 0 ? { session_id: 'unknown-session' } : {}) } as never),
  );

/** A message of partition p (car 44 on 0, car 16 on 1): one event, a frame, or garbage. */
const messageArb = fc.integer({ min: 0, max: 1 }).chain((p) =>
  fc.oneof(
    { weight: 4, arbitrary: eventArb(p === 0 ? 44 : 16).map((e) => ({ p, value: encodeF1Event(e) })) },
    { weight: 2, arbitrary: fc.array(eventArb(p === 0 ? 44 : 16), { minLength: 1, maxLength: 3 }).map((es) => ({ p, value: encodeF1Frame(es) })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((value) => ({ p, value })) },
  ),
);

function toRecords(messages: readonly { p: number; value: Uint8Array }[]): SourceRecord[] {
  const next = [0, 0];
  return messages.map(({ p, value }) => record(value, next[p]!++, { partition: p }));
}

const bigintJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? Array.from(x) : x));
const rowsOf = (t: Table | undefined): string[] => (t ? t.toArray().map((r) => bigintJson(r.toJSON())) : []);

interface Outcome {
  rows: Record<Checked, string[]>;
  dlq: string[];
  enriched: string[];
}
const empty = (): Outcome => ({ rows: { bronze: [], silver: [], quarantine: [] }, dlq: [], enriched: [] });

function collect(out: Outcome, res: TransformResult, tables: readonly Checked[]): void {
  for (const t of tables) out.rows[t].push(...rowsOf(res.tables[t]));
  if (tables.includes('quarantine')) out.dlq.push(...res.dlq.map(bigintJson));
  if (tables.includes('silver')) out.enriched.push(...res.enriched.map(bigintJson));
}

const sorted = (o: Outcome) => ({ rows: Object.fromEntries(TABLES_CHECKED.map((t) => [t, [...o.rows[t]].sort()])), dlq: [...o.dlq].sort(), enriched: [...o.enriched].sort() });

function slices<T>(xs: readonly T[], sizes: readonly number[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (let i = 0; at < xs.length; i++) {
    const n = sizes.length > 0 ? sizes[i % sizes.length]! : xs.length;
    out.push(xs.slice(at, at + n));
    at += n;
  }
  return out;
}

describe('replay with other batch boundaries', () => {
  it('writes the same rows to every table as one uninterrupted run (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.subarray([...TABLES_CHECKED]),
        (messages, firstSizes, replaySizes, crashAt, committedAtCrash) => {
          const records = toRecords(messages);
          const reference = empty();
          collect(reference, transformF1(records, context()), TABLES_CHECKED);

          // first run: batches until the crash batch, of which only some tables commit
          const actual = empty();
          const versions: Versions = { bronze: new Map(), silver: new Map(), quarantine: new Map(), validation: new Map() };
          const commit = (table: LogicalTable, batch: readonly SourceRecord[]) => {
            // a table commits only what it needed: its version never goes back
            for (const r of batch) if (r.offset > (versions[table]!.get(r.partition) ?? -1n)) versions[table]!.set(r.partition, r.offset);
          };
          const dedup = new DedupIndex();
          const batches = slices(records, firstSizes);
          const crash = crashAt % batches.length;
          for (let b = 0; b <= crash; b++) {
            const batch = batches[b]!;
            const res = transformF1(batch, context({ dedup, versions }));
            const tables = b < crash ? TABLES_CHECKED : committedAtCrash;
            collect(actual, res, tables);
            for (const t of tables) commit(t, batch);
          }

          // restart: dedup rebuilt from silver, resume at the smallest stored version + 1, other boundaries
          const silverSoFar = transformF1(records.filter((r) => r.offset <= (versions.silver!.get(r.partition) ?? -1n)), context());
          const seeded = new DedupIndex();
          if (silverSoFar.tables.silver) seeded.seed(silverSoFar.tables.silver, F1_KEY_COLUMNS);
          const resumeAt = (p: number) => TABLES_CHECKED.reduce((min, t) => { const v = versions[t]!.get(p) ?? -1n; return v < min ? v : min; }, BigInt(Number.MAX_SAFE_INTEGER)) + 1n;
          const rest = records.filter((r) => r.offset >= resumeAt(r.partition));
          for (const batch of slices(rest, replaySizes)) {
            collect(actual, transformF1(batch, context({ dedup: seeded, versions })), TABLES_CHECKED);
            for (const t of TABLES_CHECKED) commit(t, batch);
          }
          expect(sorted(actual)).toEqual(sorted(reference));
        },
      ),
      { numRuns: 100 },
    );
  });
});
