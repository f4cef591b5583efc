import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NONE, needs, planTableCommit, resumeOffset, txnAppId, type PartitionRange } from './offsets.js';
import { tpKey } from './record.js';

const partitions = [0, 1, 2];
const storedArb = fc.dictionary(fc.constantFrom(...partitions.map((p) => tpKey('t', p))), fc.integer({ min: -1, max: 50 }), { maxKeys: 3 })
  .map((d) => new Map(Object.entries(d).filter(([, v]) => v !== NONE)));

describe('offset decisions', () => {
  it('a table needs exactly the records above its stored offset', () => {
    fc.assert(
      fc.property(storedArb, fc.constantFrom(...partitions), fc.integer({ min: 0, max: 60 }), (stored, p, offset) => {
        const expected = offset > (stored.get(tpKey('t', p)) ?? NONE);
        expect(needs(stored, { topic: 't', partition: p, offset: BigInt(offset) })).toBe(expected);
      }),
    );
  });

  it('resume is one past the smallest stored offset, so no table misses a record and at most the gap is re-read', () => {
    fc.assert(
      fc.property(fc.array(storedArb, { minLength: 1, maxLength: 4 }), fc.constantFrom(...partitions), (tables, p) => {
        const resume = resumeOffset(tables, 't', p);
        const at = (o: number) => ({ topic: 't', partition: p, offset: BigInt(o) });
        // Nothing below resume is needed by any table (no table misses a record by starting there) ...
        if (resume > 0) for (const t of tables) expect(needs(t, at(resume - 1))).toBe(false);
        // ... and the table furthest behind needs resume itself: nothing is skipped.
        expect(tables.some((t) => needs(t, at(resume)))).toBe(true);
      }),
    );
  });

  it('replaying any batch boundaries after a crash writes each offset to each table exactly once', () => {
    // Model: two tables commit a stream of batches; a crash may happen between them; the replay
    // restarts at resumeOffset with different boundaries. Each table's written offsets must be 0..end-1, once each.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 30 }).filter((c) => c.includes(0)),
        (end, sizes, crashes) => {
          const stored = [new Map<string, number>(), new Map<string, number>()];
          const written: number[][] = [[], []];
          let i = 0;
          let guard = 0;
          while (resumeOffset(stored, 't', 0) < end && guard++ < 500) {
            const from = resumeOffset(stored, 't', 0);
            const size = sizes[i % sizes.length] as number;
            const crashAfter = crashes[i % crashes.length] as number; // 0: none, 1: after table 0, 2: before any
            i++;
            const last = Math.min(end - 1, from + size - 1);
            const range: PartitionRange = { topic: 't', partition: 0, first: BigInt(from), last: BigInt(last) };
            for (let t = 0; t < 2; t++) {
              if (crashAfter === 2 || (crashAfter === 1 && t === 1)) break;
              const s = stored[t] as Map<string, number>;
              const plan = planTableCommit('app', s, [range]);
              for (let o = from; o <= last; o++) if (needs(s, { topic: 't', partition: 0, offset: BigInt(o) })) (written[t] as number[]).push(o);
              if (plan.txn.length > 0) {
                expect(plan.expectTxn[0]?.version ?? NONE).toBe(s.get(tpKey('t', 0)) ?? NONE);
                stored[t] = plan.after;
              }
            }
          }
          const all = Array.from({ length: end }, (_, k) => k);
          expect(written[0]).toEqual(all);
          expect(written[1]).toEqual(all);
        },
      ),
    );
  });

  it('a table commit carries only partitions it has not reached, asserting what it holds', () => {
    const stored = new Map([[tpKey('t', 0), 10], [tpKey('t', 1), 3]]);
    const plan = planTableCommit('app', stored, [
      { topic: 't', partition: 0, first: 5n, last: 10n },
      { topic: 't', partition: 1, first: 2n, last: 7n },
      { topic: 't', partition: 2, first: 0n, last: 4n },
    ]);
    expect(plan.txn).toEqual([{ appId: txnAppId('app', 't', 1), version: 7 }, { appId: 'app-t-2', version: 4 }]);
    expect(plan.expectTxn).toEqual([{ appId: 'app-t-1', version: 3 }, { appId: 'app-t-2', version: null }]);
    expect(plan.after.get(tpKey('t', 0))).toBe(10);
    expect(plan.after.get(tpKey('t', 2))).toBe(4);
  });
});
