/**
 * Random file-skipping predicates over the columns of an arbitrary table
 * (see arbitrary-tables.ts), and the row-level truth of a predicate on a
 * canonical cell, to check that `read({ filter })` never drops a row.
 *
 * Values are drawn from the column's own cells (so =, ≤, ≥ hit bounds
 * exactly) or from the column's type at random; timestamps are given as a
 * Date (millisecond precision) or as ISO text with microseconds; dates as a
 * Date or `yyyy-MM-dd` text.
 */
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import type { ColumnPredicate, PredicateValue } from '../../src/index.js';
import { compareCodePoints } from '../../src/data/stats.js';
import type { Cell, ColumnType } from './arbitrary-tables.js';

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'is null' | 'is not null';
const OPS: readonly Op[] = ['=', '!=', '<', '<=', '>', '>=', 'is null', 'is not null'];

/** Whether file skipping has values to compare for this type (stats or partition values). */
export function hasStats(type: arrow.DataType): boolean {
  if (arrow.DataType.isFloat(type)) return type.precision !== arrow.Precision.HALF;
  return arrow.DataType.isInt(type) || arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isDate(type) || arrow.DataType.isTimestamp(type);
}

const MS_PER_DAY = 86_400_000;

/** A predicate value standing for a cell of `type`, possibly in several spellings. */
function valuesFor(type: arrow.DataType, cell: Cell): fc.Arbitrary<PredicateValue> {
  if (arrow.DataType.isTimestamp(type)) {
    const micros = cell as bigint;
    const ms = Number(micros / 1000n - (micros % 1000n < 0n ? 1n : 0n));
    return fc.oneof(fc.constant(new Date(ms)), fc.constant(isoMicros(micros)));
  }
  if (arrow.DataType.isDate(type)) {
    const day = cell as number;
    return fc.oneof(fc.constant(new Date(day * MS_PER_DAY)), fc.constant(new Date(day * MS_PER_DAY).toISOString().slice(0, 10)));
  }
  if (typeof cell === 'number' && arrow.DataType.isInt(type)) return fc.oneof(fc.constant(cell), fc.constant(BigInt(cell)));
  return fc.constant(cell as PredicateValue);
}

/** `yyyy-MM-ddTHH:mm:ss.ffffffZ` of microseconds since the epoch (0001–9999). */
function isoMicros(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const sub = micros - ms * 1000n;
  return `${new Date(Number(ms)).toISOString().slice(0, -1)}${String(sub).padStart(3, '0')}Z`;
}

/**
 * A predicate on `column` (a dotted path) whose values come from `cells`
 * (the column's non-null canonical cells) or from `type.cell`.
 */
export function arbitraryPredicate(column: string, type: ColumnType, cells: readonly Cell[]): fc.Arbitrary<ColumnPredicate> {
  const present = cells.filter((c) => c !== null);
  const source = present.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...present), weight: 3 }, { arbitrary: type.cell, weight: 1 }) : type.cell;
  const value = source.filter((c) => !(typeof c === 'number' && Number.isNaN(c))).chain((c) => valuesFor(type.type, c));
  return fc.tuple(fc.constantFrom(...OPS), value).map(([op, v]): ColumnPredicate => (op === 'is null' || op === 'is not null' ? { column, op } : { column, op, value: v }));
}

/** Whether a row's canonical cell of `type` satisfies the predicate (SQL: null satisfies only IS NULL). */
export function rowMatches(cell: Cell, p: ColumnPredicate, type: arrow.DataType): boolean {
  if (!('value' in p)) return p.op === 'is null' ? cell === null : cell !== null;
  if (cell === null) return false;
  if (p.op === 'in') return p.value.some((v) => compare(cell, v, type) === 0);
  const c = compare(cell, p.value, type);
  if (c === undefined) return p.op === '!='; // NaN: unordered, unequal
  switch (p.op) {
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

/** Sign of cell − value in the column's type; undefined when unordered (NaN). */
function compare(cell: Cell, v: PredicateValue, type: arrow.DataType): number | undefined {
  if (arrow.DataType.isTimestamp(type)) {
    const micros = v instanceof Date ? BigInt(v.getTime()) * 1000n : parseIsoMicros(v as string);
    return sign(cell as bigint, micros);
  }
  if (arrow.DataType.isDate(type)) {
    const ms = v instanceof Date ? v.getTime() : Date.parse(`${v as string}T00:00:00Z`);
    return sign((cell as number) * MS_PER_DAY, ms);
  }
  if (typeof cell === 'string') return Math.sign(compareCodePoints(cell, v as string));
  const a = cell as number | bigint;
  const b = v as number | bigint;
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return sign(a, b);
}

function sign(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseIsoMicros(text: string): bigint {
  const m = /^(.*\.\d{3})(\d{3})Z$/.exec(text);
  if (!m) throw new TypeError(`not an ISO timestamp with microseconds: ${text}`);
  return BigInt(Date.parse(`${m[1] as string}Z`)) * 1000n + BigInt(m[2] as string);
}
