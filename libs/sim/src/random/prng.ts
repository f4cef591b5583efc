/**
 * Seeded pseudo-random numbers from integer arithmetic only (xoshiro128**,
 * seeded through splitmix32), so a seed gives the same stream on every CPU,
 * OS and JS engine. Never Math.random.
 */
import { cos, log } from './det-math.js';

const TWO_POW_32 = 4294967296;
const TWO_PI = 6.283185307179586;

/** splitmix32 step: a well-mixed 32-bit hash, used to expand seeds. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  /**
   * @param seed any integer (taken modulo 2^32)
   * @param stream independent stream number for the same seed (a satellite index, a car)
   */
  constructor(seed: number, stream = 0) {
    let s = mix32((seed >>> 0) ^ mix32(stream >>> 0));
    this.a = s = mix32(s);
    this.b = s = mix32(s);
    this.c = s = mix32(s);
    this.d = mix32(s) | 1; // the all-zero state is the one state xoshiro must avoid
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal N(0, 1) by Box-Muller (with deterministic log/cos), caching the second value. */
  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = (this.nextUint32() + 1) / (TWO_POW_32 + 1); // (0, 1): log(0) must not happen
    const u2 = this.float();
    const r = Math.sqrt(-2 * log(u1));
    const theta = TWO_PI * u2;
    this.spare = r * cos(theta - TWO_PI / 4); // = r * sin(theta)
    this.hasSpare = true;
    return r * cos(theta);
  }

  /** Normal with the given mean and standard deviation. */
  normal(mean: number, sd: number): number {
    return mean + sd * this.gaussian();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
