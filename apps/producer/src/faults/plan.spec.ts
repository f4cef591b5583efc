import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, FaultPlanner, SOURCE_FAULT_KINDS, type FaultDecision } from './plan.js';

function decisions(rate: number, seed: number, n: number, kinds: readonly (typeof FAULT_KINDS)[number][] = FAULT_KINDS): (FaultDecision | undefined)[] {
  const planner = new FaultPlanner(rate, seed, kinds);
  return Array.from({ length: n }, () => planner.next());
}

describe('FaultPlanner', () => {
  it('is deterministic: the same rate and seed give the same decisions', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 500 }), (rate, seed, n) => {
        expect(decisions(rate, seed, n)).toEqual(decisions(rate, seed, n));
      }),
    );
  });

  it('another seed gives another sequence', () => {
    expect(decisions(0.5, 1, 200)).not.toEqual(decisions(0.5, 2, 200));
  });

  it('respects the rate within a binomial tolerance (5 sigma) and uses every allowed kind, only those', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(SOURCE_FAULT_KINDS.f1, SOURCE_FAULT_KINDS.satellite), (rate, seed, kinds) => {
        const n = 20_000;
        const planner = new FaultPlanner(rate, seed, kinds);
        const seen = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const d = planner.next();
          if (d) seen.set(d.kind, (seen.get(d.kind) ?? 0) + 1);
        }
        const total = [...seen.values()].reduce((a, b) => a + b, 0);
        const sigma = Math.sqrt(n * rate * (1 - rate));
        expect(Math.abs(total - n * rate)).toBeLessThanOrEqual(5 * sigma + 1);
        expect([...seen.keys()].every((k) => (kinds as readonly string[]).includes(k))).toBe(true);
        if (n * rate / kinds.length > 50) expect(seen.size).toBe(kinds.length);
        // The planner's own counts agree with what it returned.
        const counts = planner.injected();
        for (const kind of FAULT_KINDS) expect(counts[kind]).toBe(seen.get(kind) ?? 0);
        expect(planner.events).toBe(n);
      }),
      { numRuns: 20 },
    );
  });

  it('rate 0 never faults, rate 1 always does; corrupt decisions name a corruption', () => {
    expect(decisions(0, 7, 1_000).every((d) => d === undefined)).toBe(true);
    const all = decisions(1, 7, 1_000);
    expect(all.every((d) => d !== undefined)).toBe(true);
    for (const d of all) expect(d?.kind === 'corrupt').toBe(d?.corruption !== undefined);
  });

  it('decisions at one rate are a superset of those at a lower rate (same draws per event)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1_000 }), (a, b, seed) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = decisions(lo, seed, 300);
        const high = decisions(hi, seed, 300);
        low.forEach((d, i) => {
          if (d) expect(high[i]).toEqual(d);
        });
      }),
    );
  });

  it('refuses a rate outside [0, 1] and an empty kind list', () => {
    expect(() => new FaultPlanner(1.5, 1, FAULT_KINDS)).toThrow(RangeError);
    expect(() => new FaultPlanner(Number.NaN, 1, FAULT_KINDS)).toThrow(RangeError);
    expect(() => new FaultPlanner(0.5, 1, [])).toThrow(RangeError);
  });
});
