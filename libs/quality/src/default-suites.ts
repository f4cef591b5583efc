/**
 * The default suites of both sources, derived from libs/schema (TABLES, the
 * event field declarations, F1Session) plus the expectations a schema cannot
 * express: event time freshness, event ids increasing per car, the compound
 * key unique, tyre pressure plausible for the carcass temperature.
 *
 * - `f1.silver`: every row of the silver table (`TABLES.f1Silver`): its
 *   columns and types, not-null for the table's required columns, every
 *   declared range/enum/length — payload columns included: they are null on
 *   rows of other event types, and nulls are not evaluated by value checks.
 * - `f1.silver.<event type>`: the rows of one event type (silver rows with
 *   that `event_type`, or a table of decoded events of that type): there the
 *   type's payload fields are required too. Applying it per type is how
 *   "payload columns are required only on their own type's rows" is said
 *   without a conditional expectation.
 * - `satellite.silver` / `satellite.raw`: the satellite tables.
 *
 * Suite names are stable; their hashes change when a declaration does.
 */
import type { Schema } from 'apache-arrow';
import { F1_COMMON_FIELDS, F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, F1Session, SatelliteSample, TABLES, type F1EventType } from '@lakestream/schema';
import type { Expectation, Severity, Suite } from './expectation.js';
import { expectationsFromArrowSchema, expectationsFromFields, notNullFromArrowSchema } from './schema-expectations.js';

export interface DefaultSuiteOptions {
  /** Oldest acceptable event time, relative to `validate`'s `now` (default 6 h: a session and its late data). */
  readonly maxAgeMs?: number;
  /** Latest acceptable event time beyond `now` (default 60 s of clock skew). */
  readonly maxFutureMs?: number;
  /** Severity of the freshness expectation (default error: stale rows are quarantined). */
  readonly freshnessSeverity?: Severity;
  /** Add `expect_column_values_to_be_of_type` for each column of table suites (default true). */
  readonly types?: boolean;
}

export const DEFAULT_MAX_AGE_MS = 6 * 3_600_000;
export const DEFAULT_MAX_FUTURE_MS = 60_000;

/** Tyre set (cold) pressures the plausibility check allows, psi at blanket temperature. */
export const TYRE_COLD_PRESSURE_PSI = { min: 17, max: 26, blanketC: 70 } as const;

export const SUITE_NAMES = {
  f1Silver: 'f1.silver',
  f1Event: (type: F1EventType) => `f1.silver.${type}`,
  satelliteSilver: 'satellite.silver',
  satelliteRaw: 'satellite.raw',
} as const;

/** Every row of `silver/telemetry_enriched`. */
export function f1SilverSuite(options: DefaultSuiteOptions = {}): Suite {
  const schema = TABLES.f1Silver.schema;
  const payload = F1_EVENT_TYPES.flatMap((type) => expectationsFromFields(F1_PAYLOAD_FIELDS[type]));
  return {
    name: SUITE_NAMES.f1Silver,
    meta: { table: TABLES.f1Silver.path, notes: 'Derived from @lakestream/schema (TABLES.f1Silver, F1 field declarations) plus freshness, ordering, key and plausibility checks.' },
    expectations: [
      ...expectationsFromArrowSchema(schema, { types: options.types ?? true }),
      ...notNullFromArrowSchema(schema),
      ...expectationsFromFields(F1_COMMON_FIELDS),
      { type: 'expect_column_values_to_be_in_set', column: 'event_type', value_set: [...F1_EVENT_TYPES] },
      ...expectationsFromFields({ session_type: F1Session.shape.session_type, track: F1Session.shape.track }),
      ...payload,
      ...lineage(),
      ...f1Handwritten(options),
      tyrePressurePlausible(),
      ingestedAfterEvent(),
    ],
  };
}

/** The rows of one F1 event type: common and payload fields all required. */
export function f1EventSuite(type: F1EventType, options: DefaultSuiteOptions = {}): Suite {
  return {
    name: SUITE_NAMES.f1Event(type),
    meta: { eventType: type, notes: `Rows with event_type = ${type}: derived from F1_COMMON_FIELDS and F1_PAYLOAD_FIELDS.${type}.` },
    expectations: [
      ...expectationsFromFields(F1_COMMON_FIELDS, { required: true }),
      { type: 'expect_column_values_to_not_be_null', column: 'event_type' },
      { type: 'expect_column_values_to_be_in_set', column: 'event_type', value_set: [type] },
      ...expectationsFromFields(F1_PAYLOAD_FIELDS[type], { required: true }),
      ...f1Handwritten(options),
      ...(type === 'tire' ? [tyrePressurePlausible()] : []),
    ],
  };
}

/** Satellite samples: `satellite.silver` (default) or `satellite.raw` with `table: 'raw'`. */
export function satelliteSuite(options: DefaultSuiteOptions & { readonly table?: 'silver' | 'raw' } = {}): Suite {
  const spec = options.table === 'raw' ? TABLES.satelliteRaw : TABLES.satelliteSilver;
  const schema: Schema = spec.schema;
  return {
    name: options.table === 'raw' ? SUITE_NAMES.satelliteRaw : SUITE_NAMES.satelliteSilver,
    meta: { table: spec.path, notes: 'Derived from @lakestream/schema (SatelliteSample, TABLES) plus freshness, offset order and key checks.' },
    expectations: [
      ...expectationsFromArrowSchema(schema, { types: options.types ?? true }),
      ...notNullFromArrowSchema(schema),
      ...expectationsFromFields(SatelliteSample.shape),
      ...lineage(),
      fresh('timestamp_ns', options),
      // One producer per partition appends in order: offsets only grow within a partition.
      { type: 'expect_column_values_to_be_increasing', column: 'kafka_offset', strictly: true, group_by: ['kafka_partition'] },
      { type: 'expect_compound_columns_to_be_unique', column_list: ['kafka_partition', 'kafka_offset'] },
      ingestedAfterEvent(),
    ],
  };
}

/** Every default suite: F1 silver, one per F1 event type, satellite silver and raw. */
export function defaultSuites(options: DefaultSuiteOptions = {}): Suite[] {
  return [
    f1SilverSuite(options),
    ...F1_EVENT_TYPES.map((type) => f1EventSuite(type, options)),
    satelliteSuite(options),
    satelliteSuite({ ...options, table: 'raw' }),
  ];
}

function f1Handwritten(options: DefaultSuiteOptions): Expectation[] {
  return [
    fresh('event_time_ns', options),
    { type: 'expect_column_values_to_be_increasing', column: 'event_id', strictly: true, group_by: ['session_id', 'car_number'] },
    { type: 'expect_compound_columns_to_be_unique', column_list: ['session_id', 'car_number', 'event_id'] },
  ];
}

function fresh(column: string, options: DefaultSuiteOptions): Expectation {
  return {
    type: 'expect_column_values_to_be_fresh',
    column,
    unit: 'ns',
    max_age_ms: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
    max_future_ms: options.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS,
    ...(options.freshnessSeverity ? { severity: options.freshnessSeverity } : {}),
  };
}

/** Kafka coordinates are never negative (not declared as event fields). */
function lineage(): Expectation[] {
  return [
    { type: 'expect_column_values_to_be_between', column: 'kafka_partition', min_value: 0 },
    { type: 'expect_column_values_to_be_between', column: 'kafka_offset', min_value: 0 },
  ];
}

/**
 * Tyre pressure plausible for the carcass temperature, by the gas law: a
 * tyre set at `TYRE_COLD_PRESSURE_PSI` on blankets reads p = p_cold ×
 * (T + 273.15) / (T_blanket + 273.15), so over the declared carcass range
 * (`inner_temp_c`) pressures outside the envelope below are not physical.
 * An envelope over the declared temperature range, not a per-row p/T check
 * (that needs a derived column); `warn`: kept and counted.
 */
export function tyrePressurePlausible(): Expectation {
  const t = F1_PAYLOAD_FIELDS.tire.inner_temp_c;
  const tMin = t.minValue ?? 0;
  const tMax = t.maxValue ?? 200;
  const k = (c: number): number => (c + 273.15) / (TYRE_COLD_PRESSURE_PSI.blanketC + 273.15);
  const min = Math.floor(TYRE_COLD_PRESSURE_PSI.min * k(tMin) * 100) / 100;
  const max = Math.ceil(TYRE_COLD_PRESSURE_PSI.max * k(tMax) * 100) / 100;
  return {
    type: 'expect_column_values_to_be_between',
    column: 'pressure_psi',
    min_value: min,
    max_value: max,
    severity: 'warn',
    name: `tire.pressure_psi plausible for inner_temp_c ${tMin}..${tMax} °C (gas law)`,
    meta: { notes: `Set pressures ${TYRE_COLD_PRESSURE_PSI.min}..${TYRE_COLD_PRESSURE_PSI.max} psi at ${TYRE_COLD_PRESSURE_PSI.blanketC} °C, scaled by absolute temperature over the declared carcass range.` },
  };
}

/** A row is ingested after its event happened (clocks may disagree a little: warn only). */
function ingestedAfterEvent(): Expectation {
  return { type: 'expect_column_pair_values_A_to_be_greater_than_B', column_A: 'ingested_at', column_B: 'event_time', or_equal: true, severity: 'warn' };
}
