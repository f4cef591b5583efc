/**
 * Aggregate expectations: column mean/min/max between (over non-null
 * values; NaN skipped as pandas' `skipna` does, ±Infinity counted), of type,
 * table row count between, columns match set. No row verdict: the result
 * carries the statistic as `observed`. Nothing to aggregate fails with
 * observed null.
 */
import type * as arrow from 'apache-arrow';
import { renderNumeric } from '../cell.js';
import { typeName, type Column } from '../column.js';
import type { ColumnsMatchSet, MaxBetween, MeanBetween, MinBetween, OfType, RowCountBetween } from '../expectation.js';
import type { JsonCell } from '../result.js';
import { wordsInRange } from './between.js';
import { toRanges } from './bounds.js';
import { numericDomain, numbersOf, wordsOf, wordsToNumber } from './numeric.js';

export interface AggregateOutcome {
  readonly success: boolean;
  readonly observed: JsonCell | string[];
  readonly evaluated: number;
  readonly missing: number;
}

export function columnStatistic(e: MeanBetween | MinBetween | MaxBetween, column: Column): AggregateOutcome | string {
  const domain = numericDomain(column.type);
  if (!domain) return `${e.type} applies to numeric and temporal columns, not ${String(column.type)}`;
  const ranges = toRanges({ min: e.min_value, max: e.max_value, strictMin: e.strict_min, strictMax: e.strict_max }, domain);
  if (typeof ranges === 'string') return ranges;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  // 64-bit extremes as (high, low) words; high compared signed or unsigned per the domain.
  let minH = Infinity, minL = 0, maxH = -Infinity, maxL = 0;
  let missing = 0;
  for (const data of column.chunks) {
    missing += data.nullCount;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    const off = data.offset;
    const w = wordsOf(data);
    const v = w ? undefined : numbersOf(data);
    for (let i = 0; i < data.length; i++) {
      if (bitmap && ((bitmap[(off + i) >> 3] as number) & (1 << ((off + i) & 7))) === 0) continue;
      if (v) {
        const x = v[i] as number;
        if (x !== x) continue;
        count++;
        sum += x;
        if (x < min) min = x;
        if (x > max) max = x;
      } else if (w) {
        const h = domain.unsigned ? (w[2 * i + 1] as number) >>> 0 : (w[2 * i + 1] as number);
        const l = (w[2 * i] as number) >>> 0;
        count++;
        sum += wordsToNumber(w, i, domain.unsigned);
        if (h < minH || (h === minH && l < minL)) {
          minH = h;
          minL = l;
        }
        if (h > maxH || (h === maxH && l > maxL)) {
          maxH = h;
          maxL = l;
        }
      }
    }
  }
  const evaluated = column.length;
  if (count === 0) return { success: false, observed: null, evaluated, missing };
  if (e.type === 'expect_column_mean_to_be_between') {
    const mean = sum / count;
    return { success: mean >= ranges.numbers.lo && mean <= ranges.numbers.hi, observed: renderNumeric(column.type, mean), evaluated, missing };
  }
  const isMin = e.type === 'expect_column_min_to_be_between';
  if (minH !== Infinity) {
    const h = isMin ? minH : maxH;
    const l = isMin ? minL : maxL;
    const big = (BigInt(h) << 32n) | BigInt(l);
    return { success: wordsInRange(h, l, ranges.words), observed: renderNumeric(column.type, big), evaluated, missing };
  }
  const x = isMin ? min : max;
  return { success: x >= ranges.numbers.lo && x <= ranges.numbers.hi, observed: renderNumeric(column.type, x), evaluated, missing };
}

export function ofType(e: OfType, column: Column): AggregateOutcome {
  const observed = typeName(column.type);
  return { success: observed === e.type_, observed, evaluated: column.length, missing: 0 };
}

export function rowCountBetween(e: RowCountBetween, rows: number): AggregateOutcome {
  const lo = e.min_value ?? -Infinity;
  const hi = e.max_value ?? Infinity;
  return { success: rows >= lo && rows <= hi, observed: rows, evaluated: rows, missing: 0 };
}

export function columnsMatchSet(e: ColumnsMatchSet, table: arrow.Table): AggregateOutcome {
  const names = table.schema.fields.map((f) => f.name);
  const have = new Set(names);
  const want = new Set(e.column_set);
  const includes = [...want].every((c) => have.has(c));
  const success = includes && (e.exact_match === false || names.every((c) => want.has(c)));
  return { success, observed: names, evaluated: table.numRows, missing: 0 };
}
