import { Dictionary, Float64, Int16, Int32, Int64, Table, TimestampMillisecond, Utf8, vectorFromArray } from 'apache-arrow';
import { toStoredResult, validate, type StoredValidationResult, type Suite } from '@lakestream/quality';

/**
 * Real validation results for the Data Docs test: F1-shaped and
 * satellite-shaped Arrow batches, each with a different corruption, validated
 * by `validate` over time (`now` advancing 5 s per batch).
 */

/** A name with markup in it: the page must show it as text. */
export const EVIL = `</td><img src=x onerror="alert('xss')"><script>alert(1)</script>&amp;`;

const START = Date.parse('2026-03-08T15:00:00Z');
const COMPOUNDS = ['SOFT', 'MEDIUM', 'HARD', 'INTERMEDIATE', 'WET'];

export const F1_SUITE: Suite = {
  name: 'f1.car_telemetry',
  meta: { notes: 'Hand-written for the Data Docs e2e test: F1 car telemetry micro-batches.' },
  expectations: [
    { type: 'expect_column_values_to_not_be_null', column: 'car_number', name: EVIL },
    { type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 400, meta: { notes: 'Top speeds are ~370 km/h.' } },
    { type: 'expect_column_values_to_be_in_set', column: 'tyre_compound', value_set: COMPOUNDS, mostly: 0.999 },
    { type: 'expect_compound_columns_to_be_unique', column_list: ['session_id', 'car_number', 'event_id'] },
    { type: 'expect_column_values_to_be_increasing', column: 'event_id', strictly: true, group_by: ['session_id', 'car_number'] },
    { type: 'expect_column_values_to_be_fresh', column: 'event_time', max_age_ms: 60_000, max_future_ms: 5_000 },
    { type: 'expect_column_mean_to_be_between', column: 'speed_kph', min_value: 150, max_value: 320, severity: 'warn' },
    { type: 'expect_column_values_to_be_of_type', column: 'speed_kph', type_: 'Float64' },
    { type: 'expect_table_row_count_to_be_between', min_value: 1, max_value: 1_000_000 },
  ],
};

export const SATELLITE_SUITE: Suite = {
  name: 'satellite.samples',
  expectations: [
    { type: 'expect_column_values_to_match_regex', column: 'satellite', regex: '^[A-Z][A-Z0-9-]*$' },
    { type: 'expect_column_values_to_be_between', column: 'altitude_km', min_value: 160, max_value: 2000, strict_min: true },
    { type: 'expect_column_value_lengths_to_be_between', column: 'satellite', min_value: 1, max_value: 12, severity: 'warn' },
  ],
};

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One F1 micro-batch of `cars × perCar` rows; `batch` picks its corruption. */
function f1Batch(batch: number, now: number): Table {
  const rnd = random(batch + 1);
  const cars = 10;
  const perCar = 150;
  const car: (number | null)[] = [];
  const eventId: bigint[] = [];
  const speed: number[] = [];
  const compound: string[] = [];
  const time: number[] = [];
  for (let i = 0; i < perCar; i++) {
    for (let c = 0; c < cars; c++) {
      car.push([1, 4, 11, 14, 16, 44, 55, 63, 77, 81][c] ?? 0);
      eventId.push(BigInt(batch * perCar + i));
      speed.push(120 + rnd() * 200);
      compound.push(COMPOUNDS[c % 3] ?? 'SOFT');
      time.push(now - 5_000 + Math.floor((5_000 * i) / perCar));
    }
  }
  const n = car.length;
  const at = () => Math.floor(rnd() * n) % n;
  if (batch === 1) for (let k = 0; k < 7; k++) speed[at()] = 400 + rnd() * 200; // out of range
  if (batch === 2) for (let k = 0; k < 4; k++) car[at()] = null; // nulls
  if (batch === 3) {
    for (let k = 0; k < 5; k++) compound[at()] = k % 2 ? 'SUPERSOFT' : 'soft'; // bad enum
    eventId[40] = eventId[30] ?? 0n; // duplicate key, and not increasing for that car
  }
  if (batch === 4) for (let k = 0; k < 6; k++) time[at()] = now - 3_600_000; // stale
  if (batch === 5) for (let k = 0; k < n; k++) speed[k] = 330 + rnd() * 40; // in range, but the mean is too high (warn)
  return new Table({
    session_id: vectorFromArray(new Array<string>(n).fill('2026-bahrain-race'), new Dictionary(new Utf8(), new Int32())),
    car_number: vectorFromArray(car, new Int16()),
    event_id: vectorFromArray(eventId, new Int64()),
    speed_kph: vectorFromArray(speed, new Float64()),
    tyre_compound: vectorFromArray(compound, new Dictionary(new Utf8(), new Int32())),
    event_time: vectorFromArray(time, new TimestampMillisecond()),
  });
}

function satelliteBatch(batch: number): Table {
  const names = ['ISS', 'HUBBLE', 'NOAA-19', 'SENTINEL-2A', 'TERRA'];
  const sat: string[] = [];
  const alt: (number | null)[] = [];
  for (let i = 0; i < 500; i++) {
    sat.push(names[i % names.length] ?? 'ISS');
    alt.push(400 + (i % 50) * 10);
  }
  if (batch === 1) {
    sat[3] = 'iss';
    sat[8] = 'LANDSAT-9-OLI2';
    alt[5] = 160;
    alt[6] = null;
  }
  return new Table({ satellite: vectorFromArray(sat, new Utf8()), altitude_km: vectorFromArray(alt, new Float64()) });
}

/** Six F1 batches and three satellite batches, as stored results (input order mixed, as a store may return them). */
export function qualityRuns(): StoredValidationResult[] {
  const out: StoredValidationResult[] = [];
  for (let b = 0; b < 6; b++) {
    const now = START + b * 5_000;
    out.push(toStoredResult(validate(f1Batch(b, now), F1_SUITE, { now, runId: `f1-telemetry batch ${b}`, resultFormat: 'SUMMARY' })));
  }
  for (let b = 0; b < 3; b++) {
    const now = START + 2_500 + b * 10_000;
    out.push(toStoredResult(validate(satelliteBatch(b), SATELLITE_SUITE, { now, runId: `sat-data batch ${b}`, resultFormat: 'COMPLETE' })));
  }
  return [...out.filter((_, i) => i % 2 === 1), ...out.filter((_, i) => i % 2 === 0)];
}
