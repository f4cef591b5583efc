import { tableFromArrays } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupIndex, MedallionError, type DedupVerdict } from './index.js';

/** A partition's stream: (key, events per message) in Kafka order. */
const streamArb = fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }).map(String), events: fc.integer({ min: 1, max: 3 }) }), { maxLength: 40 });

function run(index: DedupIndex, stream: readonly { key: string; events: number }[], partition = 0): DedupVerdict[] {
  const out: DedupVerdict[] = [];
  stream.forEach(({ key, events }, offset) => {
    for (let e = 0; e < events; e++) out.push(index.observe(key, { partition, offset: BigInt(offset), eventIndex: e }, 0));
  });
  return out;
}

describe('DedupIndex', () => {
  it('is new exactly at the first occurrence of a key, duplicate after it (fast-check)', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const seen = new Set<string>();
        const expected: DedupVerdict[] = [];
        for (const { key, events } of stream) for (let e = 0; e < events; e++) {
          expected.push(seen.has(key) ? 'duplicate' : 'new');
          seen.add(key);
        }
        expect(run(new DedupIndex(), stream)).toEqual(expected);
      }),
    );
  });

  it('a replay of any suffix gives replay for first occurrences and duplicate for the rest, as in the first run (fast-check)', () => {
    fc.assert(
      fc.property(streamArb, fc.nat(), (stream, cut) => {
        const index = new DedupIndex();
        const first = run(index, stream);
        const from = stream.length === 0 ? 0 : cut % stream.length;
        const skipped = stream.slice(0, from).reduce((n, m) => n + m.events, 0);
        const again: DedupVerdict[] = [];
        stream.forEach(({ key, events }, offset) => {
          if (offset < from) return;
          for (let e = 0; e < events; e++) again.push(index.check(key, { partition: 0, offset: BigInt(offset), eventIndex: e }));
        });
        expect(again).toEqual(first.slice(skipped).map((v) => (v === 'new' ? 'replay' : v)));
      }),
    );
  });

  it('seeded from silver rows (no event index) decides a replay as the original run did (fast-check)', () => {
    fc.assert(
      fc.property(streamArb, (stream) => {
        const original = new DedupIndex();
        const verdicts = run(original, stream);
        // silver holds the first occurrences: key column, partition, offset
        const firsts: { key: string; offset: number }[] = [];
        let k = 0;
        stream.forEach(({ key, events }, offset) => {
          for (let e = 0; e < events; e++, k++) if (verdicts[k] === 'new') firsts.push({ key, offset });
        });
        const seeded = new DedupIndex();
        seeded.seed(
          tableFromArrays({ key: firsts.map((f) => f.key), kafka_partition: Int32Array.from(firsts, () => 0), kafka_offset: BigInt64Array.from(firsts, (f) => BigInt(f.offset)) }),
          ['key'],
        );
        expect(seeded.size).toBe(firsts.length);
        expect(run(seeded, stream).map((v) => (v === 'replay' ? 'new' : v))).toEqual(verdicts);
      }),
    );
  });

  it('stays within maxEntries and forgets keys older than the event-time window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 20 }), (keys, max) => {
        const index = new DedupIndex({ maxEntries: max });
        keys.forEach((key, offset) => {
          index.observe(String(key), { partition: 0, offset: BigInt(offset), eventIndex: 0 }, offset);
          expect(index.size).toBeLessThanOrEqual(max);
        });
      }),
    );
    const index = new DedupIndex({ windowMs: 1000 });
    index.observe('old', { partition: 0, offset: 0n, eventIndex: 0 }, 0);
    index.observe('new', { partition: 0, offset: 1n, eventIndex: 0 }, 5000);
    expect(index.check('old', { partition: 0, offset: 9n, eventIndex: 0 })).toBe('new');
    expect(index.check('new', { partition: 0, offset: 9n, eventIndex: 0 })).toBe('duplicate');
  });

  it('evicts exactly as "oldest inserted first, while over maxEntries or out of the window" (a plain model, fast-check)', () => {
    type Op = { kind: 'observe'; key: number; partition: number; offset: number; eventIndex: number; time: number } | { kind: 'forget'; partition: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 12, arbitrary: fc.record({ kind: fc.constant('observe' as const), key: fc.integer({ min: 0, max: 30 }), partition: fc.integer({ min: 0, max: 2 }), offset: fc.integer({ min: 0, max: 40 }), eventIndex: fc.integer({ min: 0, max: 2 }), time: fc.integer({ min: 0, max: 100 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), partition: fc.integer({ min: 0, max: 2 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 60 }), (ops, maxEntries, windowMs) => {
        const index = new DedupIndex({ maxEntries, windowMs });
        // The model: a Map in insertion order, evicted by iterating it from the start.
        const model = new Map<string, { partition: number; offset: number; eventIndex: number; time: number }>();
        let newest = -Infinity;
        for (const o of ops) {
          if (o.kind === 'forget') {
            index.forget(o.partition);
            for (const [k, e] of model) if (e.partition === o.partition) model.delete(k);
            continue;
          }
          const key = `k${o.key}`;
          const e = model.get(key);
          let expected: DedupVerdict = 'new';
          if (e) {
            if (e.partition !== o.partition) expected = 'duplicate';
            else if (e.offset === o.offset) expected = e.eventIndex === o.eventIndex ? 'replay' : e.eventIndex < o.eventIndex ? 'duplicate' : 'new';
            else expected = e.offset < o.offset ? 'duplicate' : 'new';
          }
          expect(index.observe(key, { partition: o.partition, offset: BigInt(o.offset), eventIndex: o.eventIndex }, o.time)).toBe(expected);
          if (expected !== 'new') continue;
          model.delete(key);
          model.set(key, { partition: o.partition, offset: o.offset, eventIndex: o.eventIndex, time: o.time });
          newest = Math.max(newest, o.time);
          for (const [k, m] of model) {
            if (model.size > maxEntries || m.time < newest - windowMs) model.delete(k);
            else break;
          }
          expect(index.size).toBe(model.size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('treats a key first seen in another partition as earlier, and forget(partition) drops only that partition', () => {
    const index = new DedupIndex();
    index.observe('a', { partition: 0, offset: 5n, eventIndex: 0 }, 0);
    index.observe('b', { partition: 1, offset: 5n, eventIndex: 0 }, 0);
    expect(index.check('a', { partition: 1, offset: 1n, eventIndex: 0 })).toBe('duplicate');
    index.forget(0);
    expect(index.check('a', { partition: 1, offset: 1n, eventIndex: 0 })).toBe('new');
    expect(index.check('b', { partition: 1, offset: 9n, eventIndex: 0 })).toBe('duplicate');
  });

  it('refuses bad options and seed tables without the key columns, with typed errors', () => {
    expect(() => new DedupIndex({ maxEntries: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', retriable: false }));
    expect(() => new DedupIndex({ windowMs: -1 })).toThrow(MedallionError);
    const table = tableFromArrays({ key: ['x'], kafka_partition: Int32Array.of(0) });
    expect(() => new DedupIndex().seed(table, ['key'])).toThrow(expect.objectContaining({ code: 'INVALID_SEED', context: { column: 'kafka_offset' } }));
  });
});
