import { describe, expect, it } from 'vitest';
import { atan2, cos, log, sin } from './det-math.js';
import { Prng } from './prng.js';

describe('Prng', () => {
  it('gives the same stream for the same seed and stream, different ones otherwise', () => {
    const take = (p: Prng) => Array.from({ length: 8 }, () => p.nextUint32());
    expect(take(new Prng(88))).toEqual(take(new Prng(88)));
    expect(take(new Prng(88))).not.toEqual(take(new Prng(89)));
    expect(take(new Prng(88, 1))).not.toEqual(take(new Prng(88, 2)));
  });

  it('is pinned: these values must never change (same output on every machine)', () => {
    const p = new Prng(88, 0);
    expect([p.nextUint32(), p.nextUint32(), p.nextUint32()]).toMatchInlineSnapshot(`
      [
        4244496198,
        2481391773,
        3760779788,
      ]
    `);
    expect(new Prng(88, 7).gaussian()).toMatchInlineSnapshot(`-1.3396667286269424`);
  });

  it('draws uniforms in range and standard normals with mean 0 and sd 1', () => {
    const p = new Prng(1);
    let sum = 0;
    let squares = 0;
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = p.float();
      if (!(u >= 0 && u < 1)) outside++;
      const g = p.gaussian();
      sum += g;
      squares += g * g;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(squares / n) - 1)).toBeLessThan(0.02);
    const ints = new Set(Array.from({ length: 1000 }, () => p.int(3, 5)));
    expect([...ints].sort()).toEqual([3, 4, 5]);
  });
});

describe('deterministic math', () => {
  it('matches Math.* to a few ulp over the ranges the simulators use', () => {
    const worst = { sin: 0, cos: 0, log: 0, atan2: 0 };
    for (let i = 0; i < 20_000; i++) {
      const x = (i / 20_000 - 0.5) * 2000;
      worst.sin = Math.max(worst.sin, Math.abs(sin(x) - Math.sin(x)));
      worst.cos = Math.max(worst.cos, Math.abs(cos(x) - Math.cos(x)));
      const y = Math.exp((i / 20_000 - 0.5) * 1400);
      worst.log = Math.max(worst.log, Math.abs(log(y) - Math.log(y)) / Math.max(1, Math.abs(Math.log(y))));
      const a = Math.sin(i) * 10 + 0;
      const b = Math.cos(i * 1.3) * 10 + 0;
      worst.atan2 = Math.max(worst.atan2, Math.abs(atan2(a, b) - Math.atan2(a, b)));
    }
    expect(worst.sin).toBeLessThan(1e-14);
    expect(worst.cos).toBeLessThan(1e-14);
    expect(worst.log).toBeLessThan(1e-14);
    expect(worst.atan2).toBeLessThan(1e-14);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(atan2(0, 0)).toBe(0);
  });
});
