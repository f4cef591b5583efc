/** Hand-built satellite samples, validation results and quarantine rows with known figures. */
import type { Row } from './arrow-rows.js';

/** 2026-03-01T12:00:00Z in ns. */
export const SAT_START_NS = 1_772_366_400_000_000_000n;
export const SATELLITES = ['sat0', 'sat1'] as const;
/** Samples every 5 s for 3 minutes; the temperature of sat1 reaches 90 °C in minute 2. */
export function satelliteSample(satellite: (typeof SATELLITES)[number], k: number): Row {
  const tsNs = SAT_START_NS + BigInt(k) * 5_000_000_000n;
  const hot = satellite === 'sat1' && k >= 24 && k < 36;
  return {
    satellite,
    timestamp_ns: tsNs,
    temp_c: hot ? 90 : 20 + (k % 12),
    battery_charge_pct: 80 - 0.5 * k,
    altitude: 400 + (k % 12) * 2,
    sensor1: Math.sin(k / 3),
    sensor2: (k % 5) / 10,
    sensor3: -0.5,
    event_time: Number(tsNs / 1_000_000n),
    kafka_timestamp: Number(tsNs / 1_000_000n),
    kafka_partition: 0,
    kafka_offset: BigInt(k),
    ingested_at: Number(tsNs / 1_000_000n) + 1000,
  };
}
export const SAMPLES_PER_SATELLITE = 36;
export const satelliteRows = (): Row[] => SATELLITES.flatMap((s) => Array.from({ length: SAMPLES_PER_SATELLITE }, (_, k) => satelliteSample(s, k)));

/** Quality: two windows for f1 (12:00, 12:01), one for satellite (12:00). */
const MIN_MS = Date.parse('2026-03-01T12:00:00Z');
export interface Expectation { name: string; evaluated: number; unexpected: number; error?: string }
export function resultJson(runId: string, rowCount: number, passed: number, expectations: readonly Expectation[]): string {
  return JSON.stringify({
    format: 1, suite: { name: 's', hash: 'h' }, runId, runAt: '2026-03-01T12:00:00Z', resultFormat: 'SUMMARY', rowCount, success: expectations.every((e) => e.unexpected === 0 && !e.error), passedRows: passed,
    statistics: { evaluated: expectations.length, successful: 0, unsuccessful: 0, successPercent: 0 },
    results: expectations.map((e, id) => ({ id, name: e.name, type: 'expect_column_values_to_be_between', columns: ['x'], severity: 'error', mostly: 1, success: e.unexpected === 0 && !e.error, evaluated: e.evaluated, unexpected: e.unexpected, unexpectedPercent: 0, missing: 0, ...(e.error ? { error: e.error } : {}) })),
  });
}
export function validationRows(): Row[] {
  const row = (source: string, batch: number, atMs: number, rows: number, passed: number, ex: Expectation[]): Row => ({
    run_id: `${source} batch ${batch}`, suite_name: `${source}_suite`, suite_hash: 'h', source, batch_id: BigInt(batch), run_at: atMs, row_count: BigInt(rows), passed_rows: BigInt(passed), success: passed === rows, result_json: resultJson(`${source} batch ${batch}`, rows, passed, ex),
  });
  return [
    row('f1', 1, MIN_MS + 5_000, 100, 98, [{ name: 'speed', evaluated: 100, unexpected: 2 }, { name: 'rpm', evaluated: 50, unexpected: 0 }]),
    row('f1', 2, MIN_MS + 35_000, 200, 200, [{ name: 'speed', evaluated: 200, unexpected: 0 }, { name: 'rpm', evaluated: 150, unexpected: 0 }]),
    row('f1', 3, MIN_MS + 65_000, 50, 45, [{ name: 'speed', evaluated: 50, unexpected: 5 }, { name: 'rpm', evaluated: 0, unexpected: 0, error: 'missing column' }]),
    row('satellite', 1, MIN_MS + 5_000, 40, 40, [{ name: 'temp', evaluated: 40, unexpected: 0 }]),
  ];
}
export function quarantineRows(source: string, reasons: readonly [string, number][]): Row[] {
  return reasons.map(([reason_code, atMs], i) => ({
    reason_code, reason: reason_code.toLowerCase(), raw_key: null, raw_value: new Uint8Array([1, 2, 3]), event_index: null, event_key: null, failed_expectations: null, observed: null,
    kafka_topic: source === 'f1' ? 'f1-telemetry' : 'sat-data', kafka_partition: 0, kafka_offset: BigInt(i), kafka_timestamp: atMs, ingested_at: atMs,
  }));
}
export const F1_QUARANTINE: readonly [string, number][] = [['EXPECTATION_FAILED', MIN_MS + 5_000], ['EXPECTATION_FAILED', MIN_MS + 5_000], ['TRUNCATED', MIN_MS + 35_000], ['DUPLICATE', MIN_MS + 65_000]];
export const SAT_QUARANTINE: readonly [string, number][] = [['BAD_MAGIC', MIN_MS + 125_000]];
