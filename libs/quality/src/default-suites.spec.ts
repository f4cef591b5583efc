import { F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, TABLES } from '@lakestream/schema';
import { describe, expect, it } from 'vitest';
import { defaultSuites, f1EventSuite, f1SilverSuite, satelliteSuite, tyrePressurePlausible } from './default-suites.js';
import type { Expectation } from './expectation.js';
import { suiteFromSchema } from './schema-expectations.js';
import { suiteHash } from './suite-hash.js';
import { parseSuite } from './suite-parse.js';

const find = (list: readonly Expectation[], type: Expectation['type'], column: string) =>
  list.filter((e) => e.type === type && 'column' in e && e.column === column);

describe('default suites', () => {
  it('are valid suites (parseSuite accepts them, and their JSON, unchanged) with stable, distinct names and hashes', () => {
    const suites = defaultSuites();
    expect(suites.map((s) => s.name)).toEqual([
      'f1.silver',
      ...F1_EVENT_TYPES.map((t) => `f1.silver.${t}`),
      'satellite.silver',
      'satellite.raw',
    ]);
    for (const suite of suites) {
      expect(parseSuite(suite)).toEqual(suite);
      expect(parseSuite(JSON.stringify(suite))).toEqual(suite);
    }
    expect(new Set(suites.map(suiteHash)).size).toBe(suites.length);
    expect(suiteHash(f1SilverSuite())).toBe(suiteHash(f1SilverSuite()));
  });

  it('derive ranges, enums, lengths and required columns from libs/schema, once each', () => {
    const e = f1SilverSuite().expectations;
    expect(find(e, 'expect_column_values_to_be_between', 'speed_kph')).toEqual([{ type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 400 }]);
    expect(find(e, 'expect_column_values_to_be_between', 'car_number')).toEqual([{ type: 'expect_column_values_to_be_between', column: 'car_number', min_value: 1, max_value: 99 }]);
    // int64 with INT64_MAX as its max: only the lower bound can fail.
    expect(find(e, 'expect_column_values_to_be_between', 'event_id')).toEqual([{ type: 'expect_column_values_to_be_between', column: 'event_id', min_value: 0 }]);
    expect(find(e, 'expect_column_values_to_be_in_set', 'compound')).toEqual([
      { type: 'expect_column_values_to_be_in_set', column: 'compound', value_set: ['SOFT', 'MEDIUM', 'HARD', 'INTERMEDIATE', 'WET'] },
    ]);
    expect(find(e, 'expect_column_value_lengths_to_be_between', 'session_id')).toEqual([
      { type: 'expect_column_value_lengths_to_be_between', column: 'session_id', min_value: 1, max_value: 64 },
    ]);
    // Required = the table's non-nullable columns; payload columns are nullable in silver.
    const notNull = e.filter((x) => x.type === 'expect_column_values_to_not_be_null').map((x) => ('column' in x ? x.column : ''));
    expect(notNull).toEqual(TABLES.f1Silver.schema.fields.filter((f) => !f.nullable).map((f) => f.name));
    expect(notNull).not.toContain('pressure_psi');
    // Each declared payload field has exactly one schema-derived value check (the plausibility check is named).
    for (const type of F1_EVENT_TYPES)
      for (const field of Object.keys(F1_PAYLOAD_FIELDS[type])) {
        const checks = e.filter((x) => 'column' in x && x.column === field && x.type !== 'expect_column_values_to_be_of_type' && x.name === undefined);
        expect(checks.length, field).toBe(field === 'drs_open' ? 0 : 1);
      }
    expect(e).toContainEqual({ type: 'expect_table_columns_to_match_set', column_set: TABLES.f1Silver.schema.fields.map((f) => f.name), exact_match: true });
    expect(find(e, 'expect_column_values_to_be_of_type', 'event_time')).toEqual([{ type: 'expect_column_values_to_be_of_type', column: 'event_time', type_: 'Timestamp<MICROSECOND, UTC>' }]);
  });

  it('per event type: that type payload required, other types absent', () => {
    const tire = f1EventSuite('tire').expectations;
    expect(find(tire, 'expect_column_values_to_not_be_null', 'pressure_psi')).toHaveLength(1);
    expect(find(tire, 'expect_column_values_to_not_be_null', 'speed_kph')).toHaveLength(0);
    expect(find(tire, 'expect_column_values_to_be_in_set', 'event_type')).toEqual([{ type: 'expect_column_values_to_be_in_set', column: 'event_type', value_set: ['tire'] }]);
    expect(tire).toContainEqual(tyrePressurePlausible());
    expect(f1EventSuite('position').expectations).not.toContainEqual(tyrePressurePlausible());
  });

  it('hand-written: freshness, event_id increasing per car, compound key unique, tyre plausibility', () => {
    const e = f1SilverSuite({ maxAgeMs: 1000, maxFutureMs: 5, freshnessSeverity: 'warn' }).expectations;
    expect(e).toContainEqual({ type: 'expect_column_values_to_be_fresh', column: 'event_time_ns', unit: 'ns', max_age_ms: 1000, max_future_ms: 5, severity: 'warn' });
    expect(e).toContainEqual({ type: 'expect_column_values_to_be_increasing', column: 'event_id', strictly: true, group_by: ['session_id', 'car_number'] });
    expect(e).toContainEqual({ type: 'expect_compound_columns_to_be_unique', column_list: ['session_id', 'car_number', 'event_id'] });
    const plausible = tyrePressurePlausible();
    expect(plausible).toMatchObject({ column: 'pressure_psi', min_value: 13.53, max_value: 35.85, severity: 'warn' });
  });

  it('satellite suites: the raw and silver tables, offsets increasing per partition', () => {
    const silver = satelliteSuite();
    const raw = satelliteSuite({ table: 'raw' });
    expect(silver.expectations).toContainEqual({ type: 'expect_table_columns_to_match_set', column_set: TABLES.satelliteSilver.schema.fields.map((f) => f.name), exact_match: true });
    expect(raw.expectations).toContainEqual({ type: 'expect_table_columns_to_match_set', column_set: TABLES.satelliteRaw.schema.fields.map((f) => f.name), exact_match: true });
    expect(find(silver.expectations, 'expect_column_values_to_be_between', 'altitude')).toEqual([{ type: 'expect_column_values_to_be_between', column: 'altitude', min_value: 160, max_value: 2000 }]);
    expect(silver.expectations).toContainEqual({ type: 'expect_column_values_to_be_increasing', column: 'kafka_offset', strictly: true, group_by: ['kafka_partition'] });
  });

  it('suiteFromSchema: a suite from any declared shape, every field required by default', () => {
    const s = suiteFromSchema('tire.events', F1_PAYLOAD_FIELDS.tire, { severity: 'warn' });
    expect(s.expectations.slice(0, 2)).toEqual([
      { type: 'expect_column_values_to_not_be_null', column: 'corner', severity: 'warn' },
      { type: 'expect_column_values_to_be_in_set', column: 'corner', value_set: ['FL', 'FR', 'RL', 'RR'], severity: 'warn' },
    ]);
    expect(suiteFromSchema('x', F1_PAYLOAD_FIELDS.tire, { required: ['corner'] }).expectations.filter((e) => e.type === 'expect_column_values_to_not_be_null')).toHaveLength(1);
  });
});
