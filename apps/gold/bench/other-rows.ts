/**
 * The bench's other silver inputs: satellite samples (`TABLES.satelliteSilver`,
 * 6 satellites at 1 Hz, smooth temperature/battery/altitude curves plus
 * noisy sensors) and the small quality tables (`TABLES.validationResults`
 * with libs/quality's stored result JSON, one row per minute × source × suite;
 * `quarantineTable('f1'|'satellite')` with every reason code).
 */
import * as arrow from 'apache-arrow';
import { quarantineTable, TABLES } from '@lakestream/schema';
import { binary, bools, fixed, rng, strings, tableOf, utf8 } from './columns.js';

const SATELLITES = ['aqua', 'terra', 'sentinel-2a', 'sentinel-2b', 'landsat-8', 'landsat-9'];
export const SAT_START_NS = 1_772_895_600_000_000_000n; // 2026-03-07T15:00Z

/** Samples [from, from + count) of the interleaved satellite stream (sample i: satellite i % 6, second i / 6). */
export function satelliteRows(from: number, count: number): arrow.Table {
  const random = rng(from + 1);
  const sat = new Uint8Array(count);
  const ts = new BigInt64Array(count);
  const us = new BigInt64Array(count);
  const ing = new BigInt64Array(count);
  const part = new Int32Array(count);
  const off = new BigInt64Array(count);
  const cols = { temp: new Float64Array(count), battery: new Float64Array(count), altitude: new Float64Array(count), s1: new Float64Array(count), s2: new Float64Array(count), s3: new Float64Array(count) };
  for (let r = 0; r < count; r++) {
    const i = from + r;
    const s = i % SATELLITES.length;
    const sec = Math.floor(i / SATELLITES.length);
    const t = SAT_START_NS + BigInt(sec) * 1_000_000_000n + BigInt(s) * 1_000_000n;
    sat[r] = s;
    ts[r] = t;
    us[r] = t / 1000n;
    ing[r] = t / 1000n + 300_000n;
    part[r] = s % 3;
    off[r] = BigInt(i);
    const orbit = (sec / 5_400) * 2 * Math.PI + s;
    cols.temp[r] = 20 + 60 * Math.sin(orbit) + random() * 2;
    cols.battery[r] = 15 + 80 * (0.5 + 0.5 * Math.cos(orbit));
    cols.altitude[r] = 500 + 320 * Math.sin(orbit / 2);
    cols.s1[r] = random() * 10;
    cols.s2[r] = 50 + random() * 5;
    cols.s3[r] = Math.sin(sec / 60) + random();
  }
  const f = (a: Float64Array): arrow.Data => fixed(new arrow.Float64(), a);
  const ts64 = (a: BigInt64Array): arrow.Data => fixed(new arrow.TimestampMicrosecond('UTC'), a);
  return tableOf(TABLES.satelliteSilver.schema, {
    satellite: utf8(sat, SATELLITES), timestamp_ns: fixed(new arrow.Int64(), ts),
    temp_c: f(cols.temp), battery_charge_pct: f(cols.battery), altitude: f(cols.altitude), sensor1: f(cols.s1), sensor2: f(cols.s2), sensor3: f(cols.s3),
    event_time: ts64(us), kafka_timestamp: ts64(ing), kafka_partition: fixed(new arrow.Int32(), part), kafka_offset: fixed(new arrow.Int64(), off), ingested_at: ts64(ing),
  }, count);
}

const EXPECTATIONS = [
  { name: 'speed_in_range', type: 'expect_column_values_to_be_between', severity: 'error' },
  { name: 'lap_not_null', type: 'expect_column_values_to_not_be_null', severity: 'error' },
  { name: 'event_type_known', type: 'expect_column_values_to_be_in_set', severity: 'error' },
  { name: 'pressure_plausible', type: 'expect_column_values_to_be_between', severity: 'warning' },
];

/** One validation result row per minute × source, over `minutes` minutes from the F1 start. */
export function validationRows(minutes: number): arrow.Table {
  const n = minutes * 2;
  const random = rng(11);
  const runAt = new BigInt64Array(n);
  const batch = new BigInt64Array(n);
  const rowCount = new BigInt64Array(n);
  const passed = new BigInt64Array(n);
  const ok: boolean[] = [];
  const src: string[] = [];
  const json: string[] = [];
  for (let r = 0; r < n; r++) {
    const minute = Math.floor(r / 2);
    const source = r % 2 === 0 ? 'f1' : 'satellite';
    const rows = 20_000 + Math.floor(random() * 5_000);
    const results = EXPECTATIONS.map((e) => {
      const unexpected = random() < 0.1 ? Math.floor(random() * 40) : 0;
      return { ...e, success: unexpected === 0 || e.severity === 'warning', evaluated: rows, unexpected, missing: 0, error: null };
    });
    const bad = results.reduce((s, e) => s + (e.severity === 'error' ? e.unexpected : 0), 0);
    runAt[r] = SAT_START_NS / 1000n + BigInt(minute) * 60_000_000n + 5_000_000n;
    batch[r] = BigInt(minute);
    rowCount[r] = BigInt(rows);
    passed[r] = BigInt(rows - bad);
    ok.push(bad === 0);
    src.push(source);
    json.push(JSON.stringify({ format: 1, suite: `${source}_silver`, success: bad === 0, results }));
  }
  return tableOf(TABLES.validationResults.schema, {
    run_id: strings(src.map((s, r) => `${s}-${r}`)), suite_name: strings(src.map((s) => `${s}_silver`)), suite_hash: strings(src.map(() => 'bench')),
    source: strings(src), batch_id: fixed(new arrow.Int64(), batch), run_at: fixed(new arrow.TimestampMicrosecond('UTC'), runAt),
    row_count: fixed(new arrow.Int64(), rowCount), passed_rows: fixed(new arrow.Int64(), passed), success: bools(n, (r) => ok[r] === true), result_json: strings(json),
  }, n);
}

const REASONS = ['TRUNCATED', 'BAD_MAGIC', 'UNKNOWN_SCHEMA', 'INVALID_BUFFER', 'INVALID_EVENT', 'EXPECTATION_FAILED', 'DUPLICATE', 'UNKNOWN_SESSION'];

/** `count` quarantined records spread over `minutes` minutes, every reason code in turn. */
export function quarantineRows(source: 'f1' | 'satellite', count: number, minutes: number): arrow.Table {
  const at = new BigInt64Array(count);
  const off = new BigInt64Array(count);
  const reasons: string[] = [];
  for (let r = 0; r < count; r++) {
    at[r] = SAT_START_NS / 1000n + BigInt(Math.floor((r * minutes) / count)) * 60_000_000n + 5_000_000n;
    off[r] = BigInt(r * 97);
    reasons.push(REASONS[(r * 7) % (source === 'f1' ? 8 : 7)] as string);
  }
  const nulls = (): arrow.Data => strings(reasons.map(() => null));
  return tableOf(quarantineTable(source).schema, {
    reason_code: strings(reasons), reason: strings(reasons.map((c) => `bench: ${c.toLowerCase()}`)),
    raw_key: arrow.makeData({ type: new arrow.Binary(), length: count, nullCount: count, nullBitmap: new Uint8Array((count + 7) >> 3), valueOffsets: new Int32Array(count + 1), data: new Uint8Array(0) }) as arrow.Data,
    raw_value: binary(reasons.map((_, r) => Uint8Array.of(0x4c, 0x53, r & 255))),
    event_index: fixed(new arrow.Int32(), new Int32Array(count), { bits: new Uint8Array((count + 7) >> 3), nulls: count }),
    event_key: nulls(), failed_expectations: nulls(), observed: nulls(),
    kafka_topic: strings(reasons.map(() => (source === 'f1' ? 'f1-telemetry' : 'sat-data'))), kafka_partition: fixed(new arrow.Int32(), new Int32Array(count)),
    kafka_offset: fixed(new arrow.Int64(), off), kafka_timestamp: fixed(new arrow.TimestampMicrosecond('UTC'), at), ingested_at: fixed(new arrow.TimestampMicrosecond('UTC'), at),
  }, count);
}
