/**
 * File skipping: can a file hold rows matching a predicate, judging only by
 * its partition values and min/max/nullCount stats? Conservative: anything
 * unknown (missing stats, incomparable values) keeps the file. Values are
 * compared in the column's type when the schema is given (see
 * skipping-values.ts): float32 bounds as float32, timestamps at microsecond
 * precision with truncated bounds widened, rounded longs widened.
 */
import { isArrayType, isMapType, isStructType, type DeltaDataType, type DeltaPrimitiveType, type DeltaStructType } from '../schema/delta-schema.js';
import { parseDate, parseTimestamp } from './partitions.js';
import { compareKeys, inferType, partitionKey, predicateKey, statBound, type Bound, type Key, type PredicateValue } from './skipping-values.js';
import { compareCodePoints, type DeltaStats, type NullCountObject, type StatsObject } from './stats.js';

export type { PredicateValue } from './skipping-values.js';

/** Primitive Delta types of a table's columns by dotted path (struct fields as `a.b`). */
export type ColumnTypes = ReadonlyMap<string, DeltaPrimitiveType>;

/**
 * The column types file skipping compares in; columns inside arrays and maps
 * have no stats and are left out, and so are dotted paths that name two
 * columns (a top-level `a.b` next to a struct `a` with a field `b`): a
 * predicate on such a path cannot tell whose stats to use.
 */
export function columnTypesOf(schema: DeltaStructType): ColumnTypes {
  const out = new Map<string, DeltaPrimitiveType>();
  const ambiguous = new Set<string>();
  const walk = (type: DeltaDataType, path: string): void => {
    if (typeof type === 'string') {
      if (out.has(path) || ambiguous.has(path)) {
        ambiguous.add(path);
        out.delete(path);
      } else out.set(path, type);
    }
    else if (isStructType(type)) for (const f of type.fields) walk(f.type, path === '' ? f.name : `${path}.${f.name}`);
    else if (isArrayType(type) || isMapType(type)) return;
  };
  walk(schema, '');
  return out;
}

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

/**
 * True when the file may contain matching rows; false only when it certainly
 * does not. `types` (see columnTypesOf) makes comparisons exact in each
 * column's type; without it types are guessed from the stats, loosely.
 */
export function fileMatches(file: SkippableFile, predicate?: Predicate, types?: ColumnTypes): boolean {
  if (!predicate) return true;
  return evaluate(file, predicate, types) !== false;
}

/** false = certainly no row matches; true/undefined = may match. `not` is only trusted on exact answers. */
function evaluate(file: SkippableFile, p: Predicate, types: ColumnTypes | undefined): boolean | undefined {
  if ('and' in p) {
    let unknown = false;
    for (const q of p.and) {
      const r = evaluate(file, q, types);
      if (r === false) return false;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  }
  if ('or' in p) {
    let unknown = false;
    for (const q of p.or) {
      const r = evaluate(file, q, types);
      if (r === true) return true;
      if (r === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  if ('not' in p) {
    // Only partition predicates give exact answers worth negating.
    const r = exactPartition(file, p.not, types);
    return r === undefined ? undefined : !r;
  }
  // With the schema known, a path that is no (unambiguous) primitive column of it keeps the file.
  if (types && !types.has(p.column)) return undefined;
  if (Object.hasOwn(file.partitionValues, p.column)) return exactPartition(file, p, types);
  return statsMayMatch(file.stats, p, types) ? undefined : false;
}

/** Exact truth of a predicate over partition values only (undefined: not a partition-only predicate). */
function exactPartition(file: SkippableFile, p: Predicate, types: ColumnTypes | undefined): boolean | undefined {
  if ('and' in p || 'or' in p || 'not' in p) return undefined;
  if (!Object.hasOwn(file.partitionValues, p.column) || (types && !types.has(p.column))) return undefined;
  const raw = file.partitionValues[p.column];
  const text = raw === '' || raw === undefined ? null : raw;
  if (p.op === 'is null') return text === null;
  if (p.op === 'is not null') return text !== null;
  if (text === null) return false;
  const type = types?.get(p.column);
  const compare = type === undefined ? (v: PredicateValue) => compareText(text, v) : typedCompare(text, type);
  return exactCompare(compare, p as ValuePredicate);
}

/** Compares the partition value with predicate values in the column's type (undefined: incomparable). */
function typedCompare(text: string, type: DeltaPrimitiveType): (v: PredicateValue) => number | undefined {
  const value = partitionKey(text, type);
  return (v) => {
    const key = predicateKey(v, type);
    return value === undefined || key === undefined ? undefined : compareKeys(value, key);
  };
}

type ValuePredicate = Exclude<ColumnPredicate, { readonly op: 'is null' | 'is not null' }>;

function exactCompare(compare: (v: PredicateValue) => number | undefined, p: ValuePredicate): boolean | undefined {
  if (p.op === 'in') {
    let unknown = false;
    for (const v of p.value) {
      const c = compare(v);
      if (c === 0) return true;
      if (c === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  }
  const c = compare(p.value);
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

/** Compares a partition value's text with a predicate value when the column's type is not known; undefined if incomparable. */
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

/**
 * The stats value at a dotted path: `a.b.c` is `{a: {b: {c}}}`, or a column
 * whose name holds dots (`{"a.b": {c}}`, `{"a.b.c"}`). Undefined unless
 * exactly one reading finds a value.
 */
function lookup<T>(obj: StatsObject | NullCountObject | undefined, path: string): T | undefined {
  const found: unknown[] = [];
  const walk = (cur: unknown, parts: readonly string[]): void => {
    if (parts.length === 0) {
      if (cur !== undefined) found.push(cur);
      return;
    }
    if (typeof cur !== 'object' || cur === null) return;
    for (let i = 1; i <= parts.length; i++) {
      const key = parts.slice(0, i).join('.');
      if (Object.hasOwn(cur, key)) walk((cur as Record<string, unknown>)[key], parts.slice(i));
    }
  };
  walk(obj, path.split('.'));
  return found.length === 1 ? (found[0] as T) : undefined;
}

/** Whether min/max/nullCount leave room for a match (true when unknown). */
function statsMayMatch(stats: DeltaStats | undefined, p: ColumnPredicate, types: ColumnTypes | undefined): boolean {
  if (!stats) return true;
  const nulls = lookup<number>(stats.nullCount, p.column);
  const allNull = typeof nulls === 'number' && nulls === stats.numRecords;
  if (p.op === 'is null') return typeof nulls !== 'number' || nulls > 0;
  if (p.op === 'is not null') return !allNull;
  if (allNull) return false;
  const q = p as ValuePredicate;
  const values = q.op === 'in' ? q.value : [q.value];
  if (q.op === 'in' && values.length === 0) return false;
  const min = lookup<unknown>(stats.minValues, p.column);
  const max = lookup<unknown>(stats.maxValues, p.column);
  const type = types ? types.get(p.column) : inferType(min ?? max);
  const lo = min === undefined ? undefined : statBound(min, 'min', type);
  const hi = max === undefined ? undefined : statBound(max, 'max', type);
  const op = q.op === 'in' ? '=' : q.op;
  return values.some((v) => {
    const key = predicateKey(v, type);
    return key === undefined || rangeMayMatch(op, lo, hi, key, nulls === 0);
  });
}

/** Whether some value in [lo, hi] (each end possibly unknown) can satisfy `value op key`. */
function rangeMayMatch(op: '=' | '!=' | '<' | '<=' | '>' | '>=', lo: Bound | undefined, hi: Bound | undefined, key: Key, noNulls: boolean): boolean {
  const cMin = lo === undefined ? undefined : compareKeys(lo.key, key);
  const cMax = hi === undefined ? undefined : compareKeys(hi.key, key);
  switch (op) {
    case '=':
      return !(cMin !== undefined && cMin > 0) && !(cMax !== undefined && cMax < 0);
    case '!=':
      // Every non-null value equals the key only when both bounds are exact and equal to it.
      return !(noNulls && cMin === 0 && cMax === 0 && lo?.exact === true && hi?.exact === true);
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
