/**
 * Silver F1 rows (`TABLES.f1Silver`) for the gold bench, built column-wise
 * from typed arrays. The shape the gold models need: two sessions (qualifying
 * and race, one date each) × 20 cars; per (session, car) a stream of events
 * in event-time order with monotone `event_time_ns`, laps numbered from 0
 * (out-lap) upward, sectors 1..3 within a lap, and the nominal rate mix of
 * event types (position 10, dynamics 20, power_unit 50, tire 20 (corners in
 * turn), aerodynamics 10, system 1) so every model's CTE has rows. Lap
 * durations vary by car and lap, deterministically, so lap times, best laps
 * and standings are non-trivial. Deterministic for a given plan.
 */
import * as arrow from 'apache-arrow';
import { COMPOUNDS, CORNERS, FLAGS, SEVERITIES, TABLES } from '@lakestream/schema';
import { bitmap, bools, fixed, rng, tableOf, utf8, type Validity } from './columns.js';

export const CARS = [1, 4, 10, 11, 14, 16, 18, 22, 23, 24, 27, 30, 31, 44, 55, 63, 77, 81, 87, 12] as const;
export const SESSIONS = [
  { id: '2026-bahrain-qualifying', type: 'QUALIFYING', day: 20_519, startNs: 1_772_895_600_000_000_000n }, // 2026-03-07T15:00Z
  { id: '2026-bahrain-race', type: 'RACE', day: 20_520, startNs: 1_772_982_000_000_000_000n }, // 2026-03-08T15:00Z
] as const;
const TRACK = 'Bahrain International Circuit';
const TRACK_M = 5412;
const TYPES = ['position', 'dynamics', 'power_unit', 'tire', 'aerodynamics', 'system'] as const;
const MIX = [10, 20, 50, 20, 10, 1] as const;
const TEXT = { code: ['PU_TEMP', 'ERS_FAULT', 'BRAKE_WEAR', 'DRS_FAIL'], message: ['oil temperature above limit', 'ERS deploy limited', 'rear brake wear high', 'DRS did not open'] };

/** The type wheel: 111 slots in the mix's proportions, shuffled once (fixed seed). */
const WHEEL: Uint8Array = (() => {
  const w = MIX.flatMap((n, t) => Array<number>(n).fill(t));
  const r = rng(7);
  for (let i = w.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [w[i], w[j]] = [w[j] as number, w[i] as number];
  }
  return Uint8Array.from(w);
})();

/** How the base rows are laid out: events per (session, car) stream and per lap. */
export interface F1Plan {
  readonly rows: number;
  readonly perStream: number;
  readonly perLap: number;
}

/** `rows` base rows over 2 sessions × 20 cars, ~50 laps each (at least 60 events per lap). */
export function f1Plan(rows: number): F1Plan {
  const streams = SESSIONS.length * CARS.length;
  const perStream = Math.ceil(rows / streams);
  return { rows: perStream * streams, perStream, perLap: Math.max(60, Math.floor(perStream / 50)) };
}

/** A run of consecutive events of one (session, car) stream: event indexes [from, from + count). */
export interface Segment {
  readonly session: number;
  readonly car: number;
  readonly from: number;
  readonly count: number;
}

/**
 * Base segments in chunks of about `chunkRows` rows, sliced by time as the
 * streaming consumer writes silver: session by session, each chunk holds the
 * same slice of every car's stream (one file per car per chunk, each spanning
 * a few laps), not whole streams one after another.
 */
export function baseChunks(plan: F1Plan, chunkRows: number): Segment[][] {
  const chunks: Segment[][] = [];
  const slices = Math.max(1, Math.round((plan.perStream * CARS.length) / chunkRows));
  for (let session = 0; session < SESSIONS.length; session++) {
    for (let k = 0; k < slices; k++) {
      const from = Math.floor((k * plan.perStream) / slices);
      const to = Math.floor(((k + 1) * plan.perStream) / slices);
      if (to > from) chunks.push(CARS.map((_, car) => ({ session, car, from, count: to - from })));
    }
  }
  return chunks;
}

/** Lap `lap`'s duration in seconds for car index `car`: a car's pace, a slow out-lap, a wave over the stint. */
export function lapSeconds(car: number, lap: number): number {
  return 90 + 0.12 * car + (lap === 0 ? 25 : 0) + 0.7 * Math.sin(lap * 1.3 + car) + 0.02 * lap;
}

const lapStarts = new Map<number, Float64Array>();
/** Seconds from the session start to lap `lap`'s first event (cumulative durations, cached per car). */
export function lapStartSeconds(car: number, lap: number): number {
  let table = lapStarts.get(car);
  if (table === undefined || table.length <= lap) {
    table = new Float64Array(Math.max(lap + 1, 2 * (table?.length ?? 64)));
    for (let l = 1; l < table.length; l++) table[l] = (table[l - 1] as number) + lapSeconds(car, l - 1);
    lapStarts.set(car, table);
  }
  return table[lap] as number;
}

/**
 * The rows of `segments` as one Arrow table in the silver schema.
 * `ingestDelayUs` is added to the event time for `ingested_at`; `offsetBase`
 * numbers `kafka_offset` (unique per table).
 */
export function f1Rows(plan: F1Plan, segments: readonly Segment[], offsetBase: bigint, ingestDelayUs = 500_000n): arrow.Table {
  const n = segments.reduce((s, g) => s + g.count, 0);
  const type = new Uint8Array(n);
  const session = new Uint8Array(n);
  const carNumber = new Int16Array(n);
  const lap = new Int32Array(n);
  const eventId = new BigInt64Array(n);
  const timeNs = new BigInt64Array(n);
  const timeUs = new BigInt64Array(n);
  const ingested = new BigInt64Array(n);
  const day = new Int32Array(n);
  const partition = new Int32Array(n);
  const offset = new BigInt64Array(n);
  const phase = new Float64Array(n); // 0..1 position within the lap
  const carIdx = new Uint8Array(n);
  let i = 0;
  for (const g of segments) {
    const s = SESSIONS[g.session] as (typeof SESSIONS)[number];
    for (let k = g.from; k < g.from + g.count; k++, i++) {
      const l = Math.floor(k / plan.perLap);
      const j = k % plan.perLap;
      const offNs = Math.round((lapStartSeconds(g.car, l) + (j / plan.perLap) * lapSeconds(g.car, l)) * 1e9);
      const t = s.startNs + BigInt(offNs);
      type[i] = WHEEL[(k + g.car * 13) % WHEEL.length] as number;
      session[i] = g.session;
      carIdx[i] = g.car;
      carNumber[i] = CARS[g.car] as number;
      lap[i] = l;
      eventId[i] = BigInt(k);
      timeNs[i] = t;
      timeUs[i] = t / 1000n;
      ingested[i] = t / 1000n + ingestDelayUs;
      day[i] = s.day;
      partition[i] = (CARS[g.car] as number) % 12;
      offset[i] = offsetBase + BigInt(i);
      phase[i] = j / plan.perLap;
    }
  }
  const valid: Validity[] = TYPES.map((_, t) => bitmap(n, (r) => type[r] === t));
  const [vPos, vDyn, vPu, vTire, vAero, vSys] = valid as [Validity, Validity, Validity, Validity, Validity, Validity];
  const f64 = (v: Validity, f: (r: number) => number): arrow.Data => {
    const a = new Float64Array(n);
    for (let r = 0; r < n; r++) a[r] = f(r);
    return fixed(new arrow.Float64(), a, v);
  };
  const speed = (r: number): number => 95 + 225 * Math.abs(Math.sin((phase[r] as number) * Math.PI * 6 + (carIdx[r] as number) * 0.01));
  const code = (len: number, f: (r: number) => number): Uint8Array => {
    const a = new Uint8Array(len);
    for (let r = 0; r < len; r++) a[r] = f(r);
    return a;
  };
  const gear = new Int8Array(n);
  const rpm = new Int32Array(n);
  const sector = new Int16Array(n);
  for (let r = 0; r < n; r++) {
    gear[r] = Math.min(8, 1 + Math.floor(speed(r) / 42));
    rpm[r] = 9000 + Math.floor(speed(r) * 20);
    sector[r] = 1 + Math.floor((phase[r] as number) * 3);
  }
  const lapWear = (r: number): number => Math.min(99, (lap[r] as number) * 1.6 + (phase[r] as number) * 1.6);
  const columns: Record<string, arrow.Data> = {
    session_id: utf8(session, SESSIONS.map((s) => s.id)),
    car_number: fixed(new arrow.Int16(), carNumber),
    lap: fixed(new arrow.Int32(), lap),
    event_id: fixed(new arrow.Int64(), eventId),
    event_time_ns: fixed(new arrow.Int64(), timeNs),
    event_time: fixed(new arrow.TimestampMicrosecond('UTC'), timeUs),
    event_type: utf8(type, TYPES),
    session_type: utf8(session, SESSIONS.map((s) => s.type)),
    track: utf8(new Uint8Array(n), [TRACK]),
    session_date: fixed(new arrow.DateDay(), day),
    // position
    x_m: f64(vPos, (r) => 900 * Math.cos((phase[r] as number) * 2 * Math.PI)),
    y_m: f64(vPos, (r) => 600 * Math.sin((phase[r] as number) * 2 * Math.PI)),
    z_m: f64(vPos, (r) => 3 * Math.sin((phase[r] as number) * 4 * Math.PI)),
    lat_deg: f64(vPos, (r) => 26.0325 + 0.008 * Math.sin((phase[r] as number) * 2 * Math.PI)),
    lon_deg: f64(vPos, (r) => 50.5106 + 0.009 * Math.cos((phase[r] as number) * 2 * Math.PI)),
    speed_kph: f64(vPos, speed),
    heading_deg: f64(vPos, (r) => ((phase[r] as number) * 360) % 360),
    lap_distance_m: f64(vPos, (r) => (phase[r] as number) * TRACK_M),
    sector: fixed(new arrow.Int16(), sector, vPos),
    // dynamics
    throttle_pct: f64(vDyn, (r) => Math.min(100, Math.max(0, (speed(r) - 95) / 2.1))),
    brake_pct: f64(vDyn, (r) => (speed(r) < 140 ? 60 - (speed(r) - 95) : 0)),
    gear: fixed(new arrow.Int8(), gear, vDyn),
    steering_deg: f64(vDyn, (r) => 30 * Math.sin((phase[r] as number) * 20)),
    lateral_g: f64(vDyn, (r) => 4 * Math.sin((phase[r] as number) * 20)),
    longitudinal_g: f64(vDyn, (r) => (speed(r) < 140 ? -4 : 1)),
    // power_unit
    rpm: fixed(new arrow.Int32(), rpm, vPu),
    ers_deploy_kw: f64(vPu, (r) => (speed(r) > 250 ? 120 : 0)),
    ers_harvest_kw: f64(vPu, (r) => (speed(r) < 140 ? 100 : 0)),
    ers_store_pct: f64(vPu, (r) => 50 + 30 * Math.sin((phase[r] as number) * 2 * Math.PI)),
    oil_temp_c: f64(vPu, (r) => 105 + 5 * (phase[r] as number)),
    water_temp_c: f64(vPu, (r) => 95 + 4 * (phase[r] as number)),
    fuel_kg: f64(vPu, (r) => Math.max(1, 100 - 1.7 * ((lap[r] as number) + (phase[r] as number)))),
    fuel_flow_kg_h: f64(vPu, (r) => (speed(r) > 200 ? 100 : 40)),
    // tire (the corner turns with the event index)
    corner: utf8(code(n, (r) => r % 4), CORNERS, vTire),
    compound: utf8(code(n, (r) => ((lap[r] as number) < 18 ? 0 : (lap[r] as number) < 40 ? 1 : 2)), COMPOUNDS, vTire),
    pressure_psi: f64(vTire, (r) => 21 + (r % 4) * 0.3 + lapWear(r) / 40),
    surface_temp_c: f64(vTire, (r) => 85 + (r % 4) * 3 + 15 * Math.abs(Math.sin((phase[r] as number) * 9))),
    inner_temp_c: f64(vTire, (r) => 95 + (r % 4) * 2),
    wear_pct: f64(vTire, lapWear),
    // aerodynamics
    drs_open: bools(n, (r) => (phase[r] as number) < 0.12 && (carIdx[r] as number) % 3 !== 0, vAero),
    front_wing_deg: f64(vAero, () => 12),
    rear_wing_deg: f64(vAero, (r) => ((phase[r] as number) < 0.12 ? 2 : 8)),
    brake_balance_pct: f64(vAero, () => 56),
    downforce_n: f64(vAero, (r) => 9000 + 20 * speed(r)),
    // system
    code: utf8(code(n, (r) => (lap[r] as number) % 4), TEXT.code, vSys),
    severity: utf8(code(n, (r) => (r % 7 === 0 ? 1 : r % 31 === 0 ? 2 : 0)), SEVERITIES, vSys),
    message: utf8(code(n, (r) => (lap[r] as number) % 4), TEXT.message, vSys),
    flag: utf8(code(n, (r) => (r % 13 === 0 ? 1 : 0)), FLAGS, vSys),
    kafka_partition: fixed(new arrow.Int32(), partition),
    kafka_offset: fixed(new arrow.Int64(), offset),
    ingested_at: fixed(new arrow.TimestampMicrosecond('UTC'), ingested),
  };
  return tableOf(TABLES.f1Silver.schema, columns, n);
}
