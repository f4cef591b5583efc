/**
 * GE's bounds (`min_value`, `max_value`, `strict_*`), converted once into
 * the domain of the column they are compared with: an inclusive number range
 * for plain-number chunks (strict sides moved to the next double), an
 * inclusive 64-bit word range for Int64/timestamp chunks (non-integer sides
 * rounded inwards, strict sides moved by one). Temporal columns take numbers
 * in their unit or ISO-8601 text.
 */
import { NS_PER_UNIT, parseIsoNs, type NumericDomain, type TemporalUnit } from './numeric.js';

export type BoundLiteral = number | string | null | undefined;

export interface BoundsSpec {
  readonly min?: BoundLiteral;
  readonly max?: BoundLiteral;
  readonly strictMin?: boolean;
  readonly strictMax?: boolean;
}

/** Inclusive; an empty range has `lo` NaN. */
export interface NumberRange {
  readonly lo: number;
  readonly hi: number;
}

/** Inclusive (high word signed, or unsigned for Uint64; low word unsigned). */
export interface WordRange {
  readonly empty: boolean;
  readonly loH: number;
  readonly loL: number;
  readonly hiH: number;
  readonly hiL: number;
}

export interface Ranges {
  readonly numbers: NumberRange;
  readonly words: WordRange;
}

/** Both ranges for a domain, or why a bound is not usable there. */
export function toRanges(spec: BoundsSpec, domain: NumericDomain): Ranges | string {
  const min = literalNumber(spec.min, domain.unit, -Infinity);
  const max = literalNumber(spec.max, domain.unit, Infinity);
  if (min === undefined) return `min_value ${JSON.stringify(spec.min)} is not a number${domain.unit ? ' or ISO-8601 time' : ''}`;
  if (max === undefined) return `max_value ${JSON.stringify(spec.max)} is not a number${domain.unit ? ' or ISO-8601 time' : ''}`;
  // A strict side only matters where there is a bound.
  const strictMin = !!spec.strictMin && spec.min !== null && spec.min !== undefined;
  const strictMax = !!spec.strictMax && spec.max !== null && spec.max !== undefined;
  let lo = strictMin ? nextUp(min) : min;
  const hi = strictMax ? nextDown(max) : max;
  if ((strictMin && min === Infinity) || (strictMax && max === -Infinity) || lo > hi) lo = NaN;
  const loBig = lowerInt(spec.min, !!spec.strictMin, domain.unit);
  const hiBig = upperInt(spec.max, !!spec.strictMax, domain.unit);
  return { numbers: { lo, hi }, words: wordRange(loBig, hiBig, domain.unsigned) };
}

/** A range of 64-bit values given as inclusive bigints (null: unbounded). */
export function wordRange(lo: bigint | null | 'empty', hi: bigint | null | 'empty', unsigned: boolean): WordRange {
  const typeMin = unsigned ? 0n : -(1n << 63n);
  const typeMax = unsigned ? (1n << 64n) - 1n : (1n << 63n) - 1n;
  const a = lo === null ? typeMin : lo;
  const b = hi === null ? typeMax : hi;
  if (a === 'empty' || b === 'empty' || a > b || a > typeMax || b < typeMin) return { empty: true, loH: 0, loL: 0, hiH: 0, hiL: 0 };
  const l = a < typeMin ? typeMin : a;
  const h = b > typeMax ? typeMax : b;
  const high = (v: bigint): number => Number(unsigned ? BigInt.asUintN(32, v >> 32n) : BigInt.asIntN(32, v >> 32n));
  const low = (v: bigint): number => Number(BigInt.asUintN(32, v));
  return { empty: false, loH: high(l), loL: low(l), hiH: high(h), hiL: low(h) };
}

/** A literal as a number in the domain's unit; `fallback` when absent; undefined when not usable. */
export function literalNumber(v: BoundLiteral, unit: TemporalUnit | undefined, fallback: number): number | undefined {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  const trimmed = v.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) || /^[+-]?Infinity$/.test(trimmed)) return Number(trimmed);
  if (unit) {
    const ns = parseIsoNs(trimmed);
    if (ns !== undefined) return Number(ns) / Number(NS_PER_UNIT[unit]);
  }
  return undefined;
}

/** Smallest integer the lower bound admits (null: unbounded; 'empty': nothing). */
function lowerInt(v: BoundLiteral, strict: boolean, unit: TemporalUnit | undefined): bigint | null | 'empty' {
  const exact = exactLiteral(v, unit);
  if (exact === null) return null;
  if (typeof exact === 'number') {
    if (exact === -Infinity) return null;
    if (exact === Infinity) return 'empty';
    return BigInt(Math.ceil(exact)) + (strict && Number.isInteger(exact) ? 1n : 0n);
  }
  const [num, den] = exact;
  const q = ceilDiv(num, den);
  return strict && num % den === 0n ? q + 1n : q;
}

/** Largest integer the upper bound admits. */
function upperInt(v: BoundLiteral, strict: boolean, unit: TemporalUnit | undefined): bigint | null | 'empty' {
  const exact = exactLiteral(v, unit);
  if (exact === null) return null;
  if (typeof exact === 'number') {
    if (exact === Infinity) return null;
    if (exact === -Infinity) return 'empty';
    return BigInt(Math.floor(exact)) - (strict && Number.isInteger(exact) ? 1n : 0n);
  }
  const [num, den] = exact;
  const q = floorDiv(num, den);
  return strict && num % den === 0n ? q - 1n : q;
}

/** A literal exactly: a number, or a rational [numerator, denominator] in the unit (decimal integers, ISO times). */
function exactLiteral(v: BoundLiteral, unit: TemporalUnit | undefined): number | readonly [bigint, bigint] | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[+-]?\d+$/.test(t)) return [BigInt(t), 1n];
    if (unit) {
      const ns = parseIsoNs(t);
      if (ns !== undefined) return [ns, NS_PER_UNIT[unit]];
    }
    return Number(t);
  }
  return v;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n === b < 0n ? q + 1n : q;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The smallest double above x. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (x > 0 ? 1n : -1n);
  return f64[0] as number;
}

/** The largest double below x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
