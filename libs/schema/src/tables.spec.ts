import { DataType, type Field } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { F1_COMMON_FIELDS, F1_PAYLOAD_FIELDS } from './f1.js';
import { SatelliteSample } from './satellite.js';
import { quarantineTable, TABLES } from './tables.js';

const field = (fields: readonly Field[], name: string): Field => {
  const f = fields.find((x) => x.name === name);
  if (!f) throw new Error(`no column ${name}`);
  return f;
};

describe('catalog table schemas', () => {
  it('derive every event field from the zod declarations (not written twice)', () => {
    const raw = TABLES.satelliteRaw.schema.fields;
    for (const name of Object.keys(SatelliteSample.shape)) expect(raw.map((f) => f.name)).toContain(name);
    const silver = TABLES.f1Silver.schema.fields;
    for (const name of Object.keys(F1_COMMON_FIELDS)) expect(field(silver, name).nullable).toBe(false);
    for (const fields of Object.values(F1_PAYLOAD_FIELDS)) {
      for (const name of Object.keys(fields)) expect(field(silver, name).nullable).toBe(true);
    }
  });

  it('maps types as Delta readers expect: int64 → long, unsigned widened, timestamps in µs UTC, units as metadata', () => {
    const silver = TABLES.f1Silver.schema.fields;
    expect(DataType.isInt(field(silver, 'event_time_ns').type) && field(silver, 'event_time_ns').type.toString()).toBe('Int64');
    expect(field(silver, 'car_number').type.toString()).toBe('Int16');
    expect(field(silver, 'rpm').type.toString()).toBe('Int32');
    expect(field(silver, 'gear').type.toString()).toBe('Int8');
    expect(field(silver, 'corner').type.toString()).toBe('Utf8');
    expect(field(silver, 'drs_open').type.toString()).toBe('Bool');
    expect(field(silver, 'event_time').type.toString()).toBe('Timestamp<MICROSECOND, UTC>');
    expect(field(silver, 'session_date').type.toString()).toBe('Date32<DAY>');
    expect(field(silver, 'speed_kph').metadata.get('unit')).toBe('km/h');
  });

  it('partition columns exist in their table schemas, as the catalog says', () => {
    expect(TABLES.f1Bronze.partitionColumns).toEqual(['session_date', 'event_type']);
    expect(TABLES.f1Silver.partitionColumns).toEqual(['session_date', 'car_number']);
    for (const t of [...Object.values(TABLES), quarantineTable('f1')]) {
      const names = new Set(t.schema.fields.map((f) => f.name));
      expect(names.size, `${t.path} has duplicate columns`).toBe(t.schema.fields.length);
      for (const p of t.partitionColumns) expect(names.has(p), `${t.path} lacks ${p}`).toBe(true);
    }
    expect(quarantineTable('satellite').path).toBe('quarantine/satellite');
  });

  it('declares validation results (partitioned by source) and quarantine columns for reasons', () => {
    const v = TABLES.validationResults;
    expect(v.path).toBe('quality/validation_results');
    expect(v.partitionColumns).toEqual(['source']);
    expect(v.schema.fields.map((f) => f.name)).toEqual([
      'run_id', 'suite_name', 'suite_hash', 'source', 'batch_id', 'run_at', 'row_count', 'passed_rows', 'success', 'result_json',
    ]);
    expect(field(v.schema.fields, 'batch_id').type.toString()).toBe('Int64');
    expect(field(v.schema.fields, 'success').type.toString()).toBe('Bool');
    const q = quarantineTable('f1').schema.fields;
    for (const name of ['reason_code', 'reason', 'raw_value', 'kafka_topic', 'kafka_partition', 'kafka_offset', 'kafka_timestamp', 'ingested_at']) {
      expect(field(q, name).nullable, name).toBe(false);
    }
    for (const name of ['raw_key', 'event_index', 'event_key', 'failed_expectations', 'observed']) expect(field(q, name).nullable, name).toBe(true);
  });
});
