/**
 * Expectations, as Great Expectations names them (its gallery's
 * `expect_*` types and keyword names), as plain typed values: a suite is
 * data, loadable from JSON, and every kind is one member of a union the
 * evaluator switches on.
 *
 * Common to every kind:
 * - `name`: the stable name results, row verdicts and quarantine reasons
 *   carry (`tire.pressure_psi between 10 and 40`); derived from the kind and
 *   its arguments when not given (`expectationName`).
 * - `mostly` (0..1, default 1): GE's meaning: the expectation succeeds when at
 *   least that fraction of the rows it evaluated pass.
 * - `severity` (default `error`): `error` rows that fail are quarantined;
 *   `warn` rows are kept and counted.
 * - `meta`: free notes shown in the Data Docs.
 *
 * Value expectations never evaluate nulls (GE): a null is `missing`, not
 * `unexpected`; only `expect_column_values_to_not_be_null` fails it.
 */

export type Severity = 'error' | 'warn';

/** A literal a suite can hold: what JSON can carry. int64 columns compare against numbers or decimal strings. */
export type Literal = string | number | boolean;

export interface ExpectationBase {
  readonly name?: string;
  readonly mostly?: number;
  readonly severity?: Severity;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Bounds, GE style: a missing side is unbounded; `strict_*` makes that side exclusive. */
export interface Bounds {
  readonly min_value?: number | string | null;
  readonly max_value?: number | string | null;
  readonly strict_min?: boolean;
  readonly strict_max?: boolean;
}

// ---- column map expectations (per row; failing rows have a verdict) ----

export interface NotNull extends ExpectationBase {
  readonly type: 'expect_column_values_to_not_be_null';
  readonly column: string;
}

export interface Between extends ExpectationBase, Bounds {
  readonly type: 'expect_column_values_to_be_between';
  readonly column: string;
}

export interface InSet extends ExpectationBase {
  readonly type: 'expect_column_values_to_be_in_set';
  readonly column: string;
  readonly value_set: readonly Literal[];
}

export interface NotInSet extends ExpectationBase {
  readonly type: 'expect_column_values_to_not_be_in_set';
  readonly column: string;
  readonly value_set: readonly Literal[];
}

export interface MatchRegex extends ExpectationBase {
  readonly type: 'expect_column_values_to_match_regex';
  readonly column: string;
  /** A JavaScript regular expression source (unanchored, as GE's `re.search`). */
  readonly regex: string;
}

export interface LengthsBetween extends ExpectationBase {
  readonly type: 'expect_column_value_lengths_to_be_between';
  readonly column: string;
  /** Length in characters (code points), inclusive. */
  readonly min_value?: number | null;
  readonly max_value?: number | null;
}

export interface Unique extends ExpectationBase {
  readonly type: 'expect_column_values_to_be_unique';
  readonly column: string;
}

/** Increasing in row order, optionally per group (e.g. `event_id` per `session_id, car_number`). */
export interface Increasing extends ExpectationBase {
  readonly type: 'expect_column_values_to_be_increasing';
  readonly column: string;
  /** Strictly increasing (default false: non-decreasing, GE's default). */
  readonly strictly?: boolean;
  /** Rows are compared with the previous row of the same group. */
  readonly group_by?: readonly string[];
}

/**
 * Event time neither older than `max_age_ms` nor later than now +
 * `max_future_ms`, against the `now` passed to `validate`. The column is an
 * Arrow timestamp (any unit) or an int64 of `unit` since the epoch.
 */
export interface Fresh extends ExpectationBase {
  readonly type: 'expect_column_values_to_be_fresh';
  readonly column: string;
  readonly max_age_ms?: number;
  readonly max_future_ms?: number;
  /** For integer columns: the unit of the epoch values (default `ns`). */
  readonly unit?: 's' | 'ms' | 'us' | 'ns';
}

// ---- multicolumn and pair expectations (per row) ----

export interface CompoundUnique extends ExpectationBase {
  readonly type: 'expect_compound_columns_to_be_unique';
  readonly column_list: readonly string[];
}

/** A > B (or A ≥ B with `or_equal`); a row where either is null is not evaluated. */
export interface PairGreater extends ExpectationBase {
  readonly type: 'expect_column_pair_values_A_to_be_greater_than_B';
  readonly column_A: string;
  readonly column_B: string;
  readonly or_equal?: boolean;
}

// ---- aggregate expectations (no row verdict; `observed` is the statistic) ----

export interface OfType extends ExpectationBase {
  readonly type: 'expect_column_values_to_be_of_type';
  readonly column: string;
  /** The Arrow type's `toString()` (`Float64`, `Utf8`, `Timestamp<MICROSECOND, UTC>`, `Int16`). */
  readonly type_: string;
}

export interface MeanBetween extends ExpectationBase, Bounds {
  readonly type: 'expect_column_mean_to_be_between';
  readonly column: string;
}

export interface MinBetween extends ExpectationBase, Bounds {
  readonly type: 'expect_column_min_to_be_between';
  readonly column: string;
}

export interface MaxBetween extends ExpectationBase, Bounds {
  readonly type: 'expect_column_max_to_be_between';
  readonly column: string;
}

export interface RowCountBetween extends ExpectationBase {
  readonly type: 'expect_table_row_count_to_be_between';
  readonly min_value?: number | null;
  readonly max_value?: number | null;
}

export interface ColumnsMatchSet extends ExpectationBase {
  readonly type: 'expect_table_columns_to_match_set';
  readonly column_set: readonly string[];
  /** true (default): exactly these columns; false: at least these. */
  readonly exact_match?: boolean;
}

export type Expectation =
  | NotNull
  | Between
  | InSet
  | NotInSet
  | MatchRegex
  | LengthsBetween
  | Unique
  | Increasing
  | Fresh
  | CompoundUnique
  | PairGreater
  | OfType
  | MeanBetween
  | MinBetween
  | MaxBetween
  | RowCountBetween
  | ColumnsMatchSet;

export type ExpectationType = Expectation['type'];

/** The kinds that judge each row: their failing rows get a verdict (quarantine for `error`). */
export const ROW_EXPECTATIONS = [
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_between',
  'expect_column_values_to_be_in_set',
  'expect_column_values_to_not_be_in_set',
  'expect_column_values_to_match_regex',
  'expect_column_value_lengths_to_be_between',
  'expect_column_values_to_be_unique',
  'expect_column_values_to_be_increasing',
  'expect_column_values_to_be_fresh',
  'expect_compound_columns_to_be_unique',
  'expect_column_pair_values_A_to_be_greater_than_B',
] as const satisfies readonly ExpectationType[];

/** A named, versioned list of expectations. Its identity in results is `name` + `suiteHash(suite)`. */
export interface Suite {
  readonly name: string;
  readonly expectations: readonly Expectation[];
  readonly meta?: Readonly<Record<string, unknown>>;
}
