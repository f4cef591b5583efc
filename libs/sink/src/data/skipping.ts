/**
 * File skipping: can a file hold rows matching a predicate, judging only by
 * its partition values and min/max/nullCount stats? Conservative: anything
 * unknown (missing stats, incomparable values) keeps the file.
 */
import { parseDate, parseTimestamp } from './partitions.js';
import { compareCodePoints, type DeltaStats, type NullCountObject, type StatsObject } from './stats.js';

export type PredicateValue = string | number | bigint | boolean | Date;

export type ColumnPredicate =
  | { readonly column: string; readonly op: '=' | '!=' | '<' | '<=' | '>' | '>='; readonly value: PredicateValue }
  | { readonly column: string; readonly op: 'in'; readonly value: readonly PredicateValue[] }
  | { readonly column: string; readonly op: 'is null' | 'is not null' };

export type Predicate =
  | ColumnPredicate
  | { readonly and: readonly Predicate[] }
  | { readonly or: readonly Predicate[] }
  | { readonly not: Predicate };

export interface SkippableFile {
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly stats?: DeltaStats | undefined;
}

/** True when the file may contain matching rows; false only when it certainly does not. */
export function fileMatches(file: SkippableFile, predicate?: Predicate): boolean {
  if (!predicate) return true;
  return evaluate(file, predicate) !== false;
}

/** false = certainly no row matches; true/undefined = may match. `not` is only trusted on exact answers. */
function evaluate(file: SkippableFile, p: Predicate): boolean | undefined {
  if ('and' in p) {
    let unknown = false;
    for (const q of p.and) {
      const r = evaluate(file, q);
      if (r === false) return false;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('or' in p) {
    let unknown = false;
    for (const q of p.or) {
      const r = evaluate(file, q);
      if (r === true) return true;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if ('not' in p) {
    // Only partition predicates give exact answers worth negating.
    const r = exactPartition(file, p.not);
    return r === undefined ? undefined : !r;
  }
  if (Object.hasOwn(file.partitionValues, p.column)) return exactPartition(file, p);
  return statsMayMatch(file.stats, p) ? undefined : false;
}

/** Exact truth of a predicate over partition values only (undefined: not a partition-only predicate). */
function exactPartition(file: SkippableFile, p: Predicate): boolean | undefined {
  if ('and' in p || 'or' in p || 'not' in p) return undefined;
  if (!Object.hasOwn(file.partitionValues, p.column)) return undefined;
  const raw = file.partitionValues[p.column];
  const text = raw === '' || raw === undefined ? null : raw;
  if (p.op === 'is null') return text === null;
  if (p.op === 'is not null') return text !== null;
  if (text === null) return false;
  return exactCompare(text, p as ValuePredicate);
}

type ValuePredicate = Exclude<ColumnPredicate, { readonly op: 'is null' | 'is not null' }>;

function exactCompare(text: string, p: ValuePredicate): boolean | undefined {
  if (p.op === 'in') {
    let unknown = false;
    for (const v of p.value) {
      const c = compareText(text, v);
      if (c === 0) return true;
      if (c === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  const c = compareText(text, p.value);
  if (c === undefined) return undefined;
  return holds(p.op, c);
}

function holds(op: '=' | '!=' | '<' | '<=' | '>' | '>=', c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** Compares a partition value's text with a predicate value; undefined if incomparable. */
function compareText(text: string, v: PredicateValue): number | undefined {
  if (typeof v === 'string') return compareCodePoints(text, v);
  if (typeof v === 'boolean') {
    const t = text.toLowerCase();
    if (t !== 'true' && t !== 'false') return undefined;
    return Number(t === 'true') - Number(v);
  }
  if (v instanceof Date) {
    const ms = textToMs(text);
    return ms === undefined ? undefined : sign(ms - v.getTime());
  }
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) return undefined;
  if (typeof v === 'bigint' && /^[-+]?\d+$/.test(text)) return sign(Number(BigInt(text) - v));
  return sign(n - Number(v));
}

function textToMs(text: string): number | undefined {
  const ts = parseTimestamp(text);
  if (ts !== null) return Number(ts / 1000n);
  const d = parseDate(text);
  return d === null ? undefined : d * 86_400_000;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function lookup<T>(obj: StatsObject | NullCountObject | undefined, path: string): T | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur as T | undefined;
}

/** Whether min/max/nullCount leave room for a match (true when unknown). */
function statsMayMatch(stats: DeltaStats | undefined, p: ColumnPredicate): boolean {
  if (!stats) return true;
  const nulls = lookup<number>(stats.nullCount, p.column);
  const allNull = typeof nulls === 'number' && nulls === stats.numRecords;
  if (p.op === 'is null') return typeof nulls !== 'number' || nulls > 0;
  if (p.op === 'is not null') return !allNull;
  if (allNull) return false;
  return valueMayMatch(stats, p as ValuePredicate);
}

function valueMayMatch(stats: DeltaStats, p: ValuePredicate): boolean {
  const nulls = lookup<number>(stats.nullCount, p.column);
  const min = lookup<unknown>(stats.minValues, p.column);
  const max = lookup<unknown>(stats.maxValues, p.column);
  const values = p.op === 'in' ? p.value : [p.value];
  if (p.op === 'in' && values.length === 0) return false;
  return values.some((v) => rangeMayMatch(p.op === 'in' ? '=' : p.op, min, max, v, nulls === 0));
}

function rangeMayMatch(op: '=' | '!=' | '<' | '<=' | '>' | '>=', min: unknown, max: unknown, v: PredicateValue, noNulls: boolean): boolean {
  const cMin = min === undefined ? undefined : compareStat(min, v, 'min');
  const cMax = max === undefined ? undefined : compareStat(max, v, 'max');
  switch (op) {
    case '=':
      return !(cMin !== undefined && cMin > 0) && !(cMax !== undefined && cMax < 0);
    case '!=':
      // Every non-null value equals v only when min = max = v (and stats are exact, i.e. not truncated).
      return !(noNulls && cMin === 0 && cMax === 0 && typeof v !== 'string' && !(v instanceof Date));
    case '<':
      return !(cMin !== undefined && cMin >= 0);
    case '<=':
      return !(cMin !== undefined && cMin > 0);
    case '>':
      return !(cMax !== undefined && cMax <= 0);
    default:
      return !(cMax !== undefined && cMax < 0);
  }
}

/**
 * Compares a stats bound with a predicate value. Timestamp bounds are
 * truncated to milliseconds, so a max bound is widened by 1 ms.
 */
function compareStat(stat: unknown, v: PredicateValue, side: 'min' | 'max'): number | undefined {
  if (v instanceof Date) {
    if (typeof stat !== 'string') return undefined;
    const ms = Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(stat) || stat.length === 10 ? stat : `${stat}Z`);
    if (Number.isNaN(ms)) return undefined;
    return sign(ms + (side === 'max' ? 1 : 0) - v.getTime());
  }
  if (typeof stat === 'string') return typeof v === 'string' ? compareCodePoints(stat, v) : undefined;
  if (typeof stat === 'number' || typeof stat === 'bigint') {
    if (typeof v !== 'number' && typeof v !== 'bigint') return undefined;
    return sign(Number(stat) - Number(v));
  }
  return undefined;
}
