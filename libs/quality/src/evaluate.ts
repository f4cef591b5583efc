/**
 * One expectation against a table: picks the kernel for its kind and the
 * column's type. Row kinds mark FAIL rows in `out` (zero on entry) and
 * return their counts; aggregates return their statistic; an expectation that
 * cannot apply (missing column, wrong type, unusable argument) returns why.
 */
import * as arrow from 'apache-arrow';
import type { Column } from './column.js';
import type { Expectation } from './expectation.js';
import { columnStatistic, columnsMatchSet, ofType, rowCountBetween, type AggregateOutcome } from './kernels/aggregates.js';
import { prepareBetween } from './kernels/between.js';
import { prepareFresh } from './kernels/fresh.js';
import { increasingRows } from './kernels/increasing.js';
import { FAIL, isValid, nullsOf, runValueKernel, valueType, type Prepared, type Tally } from './kernels/outcome.js';
import { pairRows } from './kernels/pair.js';
import { prepareSet } from './kernels/sets.js';
import { prepareLengths, prepareRegex } from './kernels/strings.js';
import { uniqueRows } from './kernels/unique.js';

export type Evaluation =
  | { readonly kind: 'rows'; readonly tally: Tally }
  | { readonly kind: 'aggregate'; readonly outcome: AggregateOutcome }
  | { readonly kind: 'error'; readonly error: string };

export interface EvaluationContext {
  readonly table: arrow.Table;
  readonly nowMs: number;
  /** The table's columns by name (resolved once per validate). */
  readonly column: (name: string) => Column | undefined;
}

/**
 * Kernels prepared per expectation and value type (bounds and sets converted
 * once, not per batch): the last type object seen, then by type text.
 */
interface PreparedEntry {
  type: arrow.DataType;
  prepared: Prepared;
  readonly byKey: Map<string, Prepared>;
}
const preparedCache = new WeakMap<Expectation, PreparedEntry>();

function prepareCached(e: Expectation, type: arrow.DataType, nowMs: number): Prepared {
  if (e.type === 'expect_column_values_to_be_fresh') return prepareFresh(e, type, nowMs); // depends on now
  const entry = preparedCache.get(e);
  if (entry && entry.type === type) return entry.prepared;
  const key = String(type);
  let prepared = entry?.byKey.get(key);
  if (!prepared) {
    prepared = prepare(e, type);
    if (entry) entry.byKey.set(key, prepared);
    else preparedCache.set(e, { type, prepared, byKey: new Map([[key, prepared]]) });
  }
  if (entry) {
    entry.type = type;
    entry.prepared = prepared;
  }
  return prepared;
}

function prepare(e: Expectation, type: arrow.DataType): Prepared {
  switch (e.type) {
    case 'expect_column_values_to_be_between':
      return prepareBetween(e, type);
    case 'expect_column_values_to_be_in_set':
    case 'expect_column_values_to_not_be_in_set':
      return prepareSet(e, type);
    case 'expect_column_values_to_match_regex':
      return prepareRegex(e, type);
    case 'expect_column_value_lengths_to_be_between':
      return prepareLengths(e, type);
    default:
      return { error: `${e.type} has no value kernel` };
  }
}

/** The named columns, or why not (no closures per call: they cost on every expectation). */
function columnsOf(ctx: EvaluationContext, names: readonly string[]): Column[] | string {
  const found: Column[] = [];
  for (const name of names) {
    const column = ctx.column(name);
    if (!column) return `column ${JSON.stringify(name)} not found`;
    found.push(column);
  }
  return found;
}

function rows(result: Tally | string): Evaluation {
  return typeof result === 'string' ? { kind: 'error', error: result } : { kind: 'rows', tally: result };
}

function aggregate(result: AggregateOutcome | string): Evaluation {
  return typeof result === 'string' ? { kind: 'error', error: result } : { kind: 'aggregate', outcome: result };
}

export function evaluate(e: Expectation, ctx: EvaluationContext, out: Uint8Array): Evaluation {
  const { table } = ctx;
  switch (e.type) {
    case 'expect_table_row_count_to_be_between':
      return aggregate(rowCountBetween(e, table.numRows));
    case 'expect_table_columns_to_match_set':
      return aggregate(columnsMatchSet(e, table));
    case 'expect_compound_columns_to_be_unique': {
      const cs = columnsOf(ctx, e.column_list);
      return rows(typeof cs === 'string' ? cs : uniqueRows(cs, out));
    }
    case 'expect_column_pair_values_A_to_be_greater_than_B': {
      const cs = columnsOf(ctx, [e.column_A, e.column_B]);
      return rows(typeof cs === 'string' ? cs : pairRows(cs[0] as Column, cs[1] as Column, !!e.or_equal, out));
    }
    case 'expect_column_values_to_be_increasing': {
      const cs = columnsOf(ctx, [e.column, ...(e.group_by ?? [])]);
      return rows(typeof cs === 'string' ? cs : increasingRows(cs[0] as Column, cs.slice(1), !!e.strictly, out));
    }
    default:
      break;
  }
  const column = ctx.column(e.column);
  if (!column) return { kind: 'error', error: `column ${JSON.stringify(e.column)} not found` };
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return rows(notNullRows(column, out));
    case 'expect_column_values_to_be_unique':
      return rows(uniqueRows([column], out));
    case 'expect_column_values_to_be_of_type':
      return aggregate(ofType(e, column));
    case 'expect_column_mean_to_be_between':
    case 'expect_column_min_to_be_between':
    case 'expect_column_max_to_be_between':
      return aggregate(columnStatistic(e, column));
    default:
      break;
  }
  if (e.type === 'expect_column_values_to_be_fresh' && arrow.DataType.isDictionary(column.type)) return { kind: 'error', error: `${e.type} does not apply to dictionary columns` };
  const prepared = prepareCached(e, valueType(column.type), ctx.nowMs);
  if ('error' in prepared) return { kind: 'error', error: prepared.error };
  return rows(runValueKernel(column, prepared.kernel, out));
}

/** Not null: every row is evaluated; nulls fail (and are counted as missing too). */
function notNullRows(column: Column, out: Uint8Array): Tally {
  let nulls = 0;
  let base = 0;
  for (const data of column.chunks) {
    const n = data.length;
    if (data.typeId === arrow.Type.Null) {
      out.fill(FAIL, base, base + n);
      nulls += n;
    } else {
      const bitmap = nullsOf(data);
      if (bitmap) {
        const off = data.offset;
        for (let i = 0; i < n; i++) {
          // Whole bytes of valid rows are skipped 8 at a time.
          const bit = off + i;
          if ((bit & 7) === 0 && i + 8 <= n && bitmap[bit >> 3] === 0xff) {
            i += 7;
            continue;
          }
          if (!isValid(bitmap, bit)) {
            out[base + i] = FAIL;
            nulls++;
          }
        }
      }
    }
    base += n;
  }
  return { unexpected: nulls, missing: nulls };
}
