import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOX, layoutDag } from './layout.js';

describe('layoutDag', () => {
  it('property: every edge goes to a later layer, and no two boxes overlap', () => {
    // Random DAGs: edges only from a lower index to a higher one.
    const dag = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 })));
    fc.assert(fc.property(dag, ([n, pairs]) => {
      const ids = Array.from({ length: n }, (_, i) => `n${i}`);
      const edges = pairs.filter(([a, b]) => a < b).map(([a, b]) => [`n${a}`, `n${b}`] as const);
      const l = layoutDag({ ids, edges });
      expect(l.nodes.size).toBe(n);
      for (const [p, c] of edges) expect((l.nodes.get(c)?.layer ?? 0)).toBeGreaterThan(l.nodes.get(p)?.layer ?? 0);
      const boxes = [...l.nodes.values()];
      for (const a of boxes) {
        expect(a.x + BOX.width).toBeLessThanOrEqual(l.width);
        expect(a.y + BOX.height).toBeLessThanOrEqual(l.height);
        for (const b of boxes) {
          if (a === b) continue;
          const apart = a.x + BOX.width <= b.x || b.x + BOX.width <= a.x || a.y + BOX.height <= b.y || b.y + BOX.height <= a.y;
          expect(apart).toBe(true);
        }
      }
    }));
  });
});
