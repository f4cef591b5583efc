/**
 * Stable, human names for expectations — what results, row verdicts and
 * quarantine reasons carry: `tire.pressure_psi between 10 and 40`,
 * `car_number in {1, 44}`, `event_id increasing per session_id, car_number`,
 * `(session_id, car_number, event_id) unique`. `name` wins when set.
 */
import type { Bounds, Expectation, Literal } from './expectation.js';

export function expectationName(e: Expectation): string {
  if (e.name) return e.name;
  switch (e.type) {
    case 'expect_column_values_to_not_be_null':
      return `${e.column} not null`;
    case 'expect_column_values_to_be_between':
      return `${e.column} ${bounds(e)}`;
    case 'expect_column_values_to_be_in_set':
      return `${e.column} in ${set(e.value_set)}`;
    case 'expect_column_values_to_not_be_in_set':
      return `${e.column} not in ${set(e.value_set)}`;
    case 'expect_column_values_to_match_regex':
      return `${e.column} matches /${e.regex}/`;
    case 'expect_column_value_lengths_to_be_between':
      return `${e.column} length ${bounds(e)}`;
    case 'expect_column_values_to_be_unique':
      return `${e.column} unique`;
    case 'expect_column_values_to_be_increasing':
      return `${e.column} ${e.strictly ? 'strictly ' : ''}increasing${e.group_by && e.group_by.length > 0 ? ` per ${e.group_by.join(', ')}` : ''}`;
    case 'expect_column_values_to_be_fresh': {
      const parts = [
        ...(e.max_age_ms !== undefined ? [`age <= ${duration(e.max_age_ms)}`] : []),
        ...(e.max_future_ms !== undefined ? [`future <= ${duration(e.max_future_ms)}`] : []),
      ];
      return `${e.column} fresh${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
    }
    case 'expect_compound_columns_to_be_unique':
      return `(${e.column_list.join(', ')}) unique`;
    case 'expect_column_pair_values_A_to_be_greater_than_B':
      return `${e.column_A} ${e.or_equal ? '>=' : '>'} ${e.column_B}`;
    case 'expect_column_values_to_be_of_type':
      return `${e.column} of type ${e.type_}`;
    case 'expect_column_mean_to_be_between':
      return `mean(${e.column}) ${bounds(e)}`;
    case 'expect_column_min_to_be_between':
      return `min(${e.column}) ${bounds(e)}`;
    case 'expect_column_max_to_be_between':
      return `max(${e.column}) ${bounds(e)}`;
    case 'expect_table_row_count_to_be_between':
      return `row count ${bounds(e)}`;
    case 'expect_table_columns_to_match_set':
      return `columns ${e.exact_match === false ? 'include' : 'match'} ${set(e.column_set)}`;
  }
}

/** The columns an expectation reads, for display. */
export function expectationColumns(e: Expectation): string[] {
  switch (e.type) {
    case 'expect_compound_columns_to_be_unique':
      return [...e.column_list];
    case 'expect_column_pair_values_A_to_be_greater_than_B':
      return [e.column_A, e.column_B];
    case 'expect_column_values_to_be_increasing':
      return [e.column, ...(e.group_by ?? [])];
    case 'expect_table_row_count_to_be_between':
    case 'expect_table_columns_to_match_set':
      return [];
    default:
      return [e.column];
  }
}

function bounds(b: Bounds): string {
  const has = (v: unknown): v is number | string => v !== undefined && v !== null;
  const { min_value: min, max_value: max } = b;
  if (has(min) && has(max) && !b.strict_min && !b.strict_max) return `between ${min} and ${max}`;
  const parts = [...(has(min) ? [`${b.strict_min ? '>' : '>='} ${min}`] : []), ...(has(max) ? [`${b.strict_max ? '<' : '<='} ${max}`] : [])];
  return parts.length > 0 ? parts.join(' and ') : 'unbounded';
}

function set(values: readonly Literal[]): string {
  return `{${values.map(String).join(', ')}}`;
}

function duration(ms: number): string {
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms > 0 && ms % 60_000 === 0) return `${ms / 60_000}min`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
