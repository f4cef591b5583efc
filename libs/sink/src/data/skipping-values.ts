/**
 * The values file skipping compares, in the column's own type: a predicate
 * value, a partition value, and a min/max stats bound widened to what the
 * file's rows can really hold (so a file is never skipped wrongly):
 *
 * - float: stats are the shortest decimal of a float32 (Spark's Float.toString),
 *   so the bound is `Math.fround` of it, the exact value the rows hold;
 * - long/integer/…: JSON.parse rounds integers beyond 2^53, so such a bound
 *   is widened by the rounding error (±2048);
 * - decimal: the JSON number is the nearest double, widened by one ulp;
 * - timestamp: bounds are truncated to milliseconds (the protocol's rule,
 *   what Spark writes), so a max bound holds rows up to 999 µs later;
 * - string: bounds are prefixes (min) or bumped prefixes (max), never exact.
 *
 * Numbers and bigints compare exactly with each other (JS relational
 * operators do not round across the two).
 */
import type { DeltaPrimitiveType } from '../schema/delta-schema.js';
import { parseDate, parseTimestamp } from './partitions.js';
import { compareCodePoints } from './stats.js';

export type PredicateValue = string | number | bigint | boolean | Date;

/** A value in a column's comparison domain: numbers/bigints (numeric, date as epoch ms, timestamp as epoch µs), strings, booleans. */
export type Key = number | bigint | string | boolean;

/** A stats bound: the value to compare and whether it is the column's exact extreme. */
export interface Bound {
  readonly key: Key;
  readonly exact: boolean;
}

const MS_PER_DAY = 86_400_000;
const SAFE = 2 ** 53;

/** The comparison key of a predicate value for a column of `type` (undefined: cannot compare, keep the file). */
export function predicateKey(v: PredicateValue, type: DeltaPrimitiveType | undefined): Key | undefined {
  switch (temporalKind(type)) {
    case 'timestamp':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : BigInt(v.getTime()) * 1000n;
      return typeof v === 'string' ? (parseTimestamp(v) ?? dateMicros(v)) : undefined;
    case 'date':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
      if (typeof v !== 'string') return undefined;
      return dateMs(v) ?? microsToMs(parseTimestamp(v));
    default:
  }
  if (v instanceof Date) return undefined;
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (type === undefined) return v;
  if (type === 'string') return typeof v === 'string' ? v : undefined;
  if (type === 'boolean') return typeof v === 'boolean' ? v : undefined;
  return typeof v === 'bigint' ? v : undefined;
}

/**
 * A min (`side` 'min') or max bound of the rows' values from a stats value,
 * or undefined when it cannot be used. With no type (no schema given) numbers
 * are widened as loosely as float32 precision needs.
 */
export function statBound(stat: unknown, side: 'min' | 'max', type: DeltaPrimitiveType | undefined): Bound | undefined {
  const kind = temporalKind(type);
  if (kind === 'timestamp') {
    if (typeof stat !== 'string') return undefined;
    const micros = parseTimestamp(stat);
    if (micros === null) return undefined;
    if (side === 'min') return { key: micros, exact: false };
    // Up to 3 fraction digits: truncated to ms (Spark); more: at most truncated to µs.
    const digits = /\.(\d+)/.exec(stat)?.[1]?.length ?? 0;
    return { key: micros + (digits <= 3 ? 999n : 1n), exact: false };
  }
  if (kind === 'date') {
    const ms = typeof stat === 'string' ? dateMs(stat) : undefined;
    return ms === undefined ? undefined : { key: ms, exact: true };
  }
  if (typeof stat === 'string') return type === 'string' || type === undefined ? { key: stat, exact: false } : undefined;
  if (typeof stat === 'boolean') return type === 'boolean' ? { key: stat, exact: true } : undefined;
  if (typeof stat === 'bigint') return isNumeric(type) || type === undefined ? { key: stat, exact: true } : undefined;
  if (typeof stat !== 'number' || !Number.isFinite(stat)) return undefined;
  switch (type) {
    case 'double':
      return { key: stat, exact: true };
    case 'float':
      return { key: Math.fround(stat), exact: true };
    case 'long':
    case 'integer':
    case 'short':
    case 'byte': {
      if (!Number.isInteger(stat)) return undefined;
      if (Math.abs(stat) < SAFE) return { key: stat, exact: true };
      // JSON.parse rounded it: the written integer is within half an ulp (≤ 1024 below 2^64).
      return { key: BigInt(stat) + (side === 'min' ? -2048n : 2048n), exact: false };
    }
    case undefined:
      return { key: side === 'min' ? stat - Math.abs(stat) * 2 ** -22 : stat + Math.abs(stat) * 2 ** -22, exact: false };
    default:
      if (type.startsWith('decimal')) return { key: side === 'min' ? nextDown(stat) : nextUp(stat), exact: false };
      return undefined;
  }
}

/** The comparison key of a partition value's text (exact: the value every row of the file holds). */
export function partitionKey(text: string, type: DeltaPrimitiveType | undefined): Key | undefined {
  switch (temporalKind(type)) {
    case 'timestamp':
      return parseTimestamp(text) ?? undefined;
    case 'date':
      return dateMs(text);
    default:
  }
  switch (type) {
    case undefined:
      return undefined;
    case 'string':
      return text;
    case 'boolean': {
      const t = text.toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : undefined;
    }
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return /^[-+]?\d+$/.test(text) ? BigInt(text) : undefined;
    case 'float':
    case 'double': {
      if (text.trim() === '') return undefined;
      const n = Number(text);
      if (Number.isNaN(n)) return undefined;
      return type === 'float' ? Math.fround(n) : n;
    }
    default:
      return undefined; // decimal (exact text vs a double) and binary: no exact comparison
  }
}

/**
 * The type a stats value suggests when the schema is not known: ISO dates and
 * timestamps, strings, longs; undefined for numbers (compared as loosely as
 * float32 precision needs).
 */
export function inferType(stat: unknown): DeltaPrimitiveType | undefined {
  if (typeof stat === 'bigint') return 'long';
  if (typeof stat === 'boolean') return 'boolean';
  if (typeof stat !== 'string') return undefined;
  if (/^-?\d{4,}-\d\d-\d\d$/.test(stat)) return 'date';
  if (/^-?\d{4,}-\d\d-\d\d[T ]\d\d:\d\d/.test(stat)) return 'timestamp';
  return 'string';
}

/** Sign of a − b, or undefined when the two are not comparable. */
export function compareKeys(a: Key, b: Key): number | undefined {
  if (typeof a === 'string' || typeof b === 'string') {
    return typeof a === 'string' && typeof b === 'string' ? compareCodePoints(a, b) : undefined;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    return typeof a === 'boolean' && typeof b === 'boolean' ? Number(a) - Number(b) : undefined;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function temporalKind(type: DeltaPrimitiveType | undefined): 'timestamp' | 'date' | undefined {
  if (type === 'timestamp' || type === 'timestamp_ntz') return 'timestamp';
  return type === 'date' ? 'date' : undefined;
}

function isNumeric(type: DeltaPrimitiveType | undefined): boolean {
  return type !== undefined && !['string', 'boolean', 'binary', 'date', 'timestamp', 'timestamp_ntz'].includes(type);
}

function dateMs(text: string): number | undefined {
  const days = parseDate(text);
  return days === null ? undefined : days * MS_PER_DAY;
}

function dateMicros(text: string): bigint | undefined {
  const ms = dateMs(text);
  return ms === undefined ? undefined : BigInt(ms) * 1000n;
}

function microsToMs(micros: bigint | null): number | undefined {
  return micros === null ? undefined : Number(micros) / 1000;
}

const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);

/** The next double above a finite x. */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  bits[0] = x;
  word[0] = (word[0] as bigint) + (x > 0 ? 1n : -1n);
  return bits[0] as number;
}

/** The next double below a finite x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
