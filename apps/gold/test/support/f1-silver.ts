/**
 * Hand-built silver F1 rows with known numbers: each car drives laps whose sector
 * times are given, so lap and sector times are known exactly; the other payloads
 * follow simple rules the expected values are computed from independently
 * (f1-expected.ts), never from the models' SQL.
 */
import type { Row } from './arrow-rows.js';

export const SESSION = { session_id: '2026-test-race', session_type: 'RACE', track: 'Test Ring', session_date: '2026-03-01' } as const;
/** Session start, epoch ns (2026-03-01T14:00:00Z). */
export const START_NS = 1_772_373_600_000_000_000n;
export const CORNERS = ['FL', 'FR', 'RL', 'RR'] as const;
/** Base surface temperature per corner; a lap adds 2 °C per lap number. */
export const TYRE_BASE_C: Readonly<Record<(typeof CORNERS)[number], number>> = { FL: 90, FR: 95, RL: 85, RR: 88 };

export interface CarPlan {
  readonly car: number;
  /** Sector times in seconds per lap, lap 0 first; the last lap is open (only its first sample). */
  readonly sectors: readonly (readonly [number, number, number])[];
  /** Laps that raise a WARNING (once each) and one ERROR on the given lap. */
  readonly warningLaps: readonly number[];
  readonly errorLap?: number;
  /** Ingested-at time of all rows (epoch µs). */
  readonly ingestedAtUs?: bigint;
}

export const CAR_PLANS: readonly CarPlan[] = [
  { car: 44, sectors: [[30, 40, 30], [28.5, 33.25, 29], [28.25, 33.5, 28.75], [28.75, 33, 29.5]], warningLaps: [1, 3], errorLap: 2 },
  { car: 1, sectors: [[31, 40.5, 30], [28, 33, 29.25], [28.5, 33.75, 28.5], [28.25, 33.25, 29]], warningLaps: [2] },
  { car: 16, sectors: [[32, 41, 31], [29, 34, 30]], warningLaps: [] },
];

const STEP_NS = 250_000_000n; // position, dynamics, aero, tire: every 0.25 s
const POWER_STEP_NS = 500_000_000n; // power unit: every 0.5 s

export interface SampleTimeline {
  readonly lap: number;
  readonly t: bigint; // ns since session start
  readonly sector: 1 | 2 | 3;
  readonly fraction: number; // 0..1 within the lap
}

/** The lap start times (ns since session start) of a plan, plus the open lap's start. */
export function lapStarts(plan: CarPlan): bigint[] {
  const starts: bigint[] = [0n];
  for (const s of plan.sectors) starts.push((starts.at(-1) as bigint) + BigInt(Math.round((s[0] + s[1] + s[2]) * 1e9)));
  return starts;
}

function timeline(plan: CarPlan, step: bigint): SampleTimeline[] {
  const starts = lapStarts(plan);
  const out: SampleTimeline[] = [];
  for (const [lap, s] of plan.sectors.entries()) {
    const start = starts[lap] as bigint;
    const end = starts[lap + 1] as bigint;
    const s2 = start + BigInt(Math.round(s[0] * 1e9));
    const s3 = s2 + BigInt(Math.round(s[1] * 1e9));
    for (let t = start; t < end; t += step) {
      out.push({ lap, t, sector: t < s2 ? 1 : t < s3 ? 2 : 3, fraction: Number(t - start) / Number(end - start) });
    }
  }
  // The open lap: one sample at its start so the previous lap has a time.
  out.push({ lap: plan.sectors.length, t: starts.at(-1) as bigint, sector: 1, fraction: 0 });
  return out;
}

/** Speed at a point of a lap: a profile peaking mid-lap at 300 + lap + car/100 km/h. */
export const speedAt = (plan: CarPlan, s: SampleTimeline): number => 120 + (180 + s.lap + plan.car / 100) * Math.sin(Math.PI * s.fraction);
export const throttleAt = (s: SampleTimeline): number => (s.fraction < 0.6 ? 100 : s.fraction < 0.8 ? 40 : 0);
export const brakeAt = (s: SampleTimeline): number => (s.fraction >= 0.8 ? 70 : 0);
export const gearAt = (s: SampleTimeline): number => 1 + Math.min(7, Math.floor(s.fraction * 8));
export const rpmAt = (plan: CarPlan, s: SampleTimeline): number => 10_000 + Math.round(2_000 * s.fraction) + s.lap * 10 + plan.car;
export const deployKwAt = (s: SampleTimeline): number => (s.fraction < 0.5 ? 120 : 0);
export const harvestKwAt = (s: SampleTimeline): number => (s.fraction >= 0.5 ? 60 : 0);
export const drsAt = (s: SampleTimeline): boolean => s.sector === 1 && s.fraction < 0.2;
export const tyreTempAt = (corner: (typeof CORNERS)[number], s: SampleTimeline): number => TYRE_BASE_C[corner] + 2 * s.lap + 5 * s.fraction;
export const tyrePressureAt = (corner: (typeof CORNERS)[number], s: SampleTimeline): number => 22 + (corner.startsWith('F') ? 1 : 0) + 0.5 * s.fraction;

export interface F1Timelines {
  readonly positions: SampleTimeline[];
  readonly fast: SampleTimeline[]; // dynamics, aero, tire
  readonly power: SampleTimeline[];
}

export function timelines(plan: CarPlan): F1Timelines {
  return { positions: timeline(plan, STEP_NS), fast: timeline(plan, STEP_NS), power: timeline(plan, POWER_STEP_NS) };
}

const DAY_MS = Date.parse(`${SESSION.session_date}T00:00:00Z`);

/** Every silver row of one car, in the silver table's column names. */
export function carRows(plan: CarPlan): Row[] {
  const { positions, fast, power } = timelines(plan);
  const rows: Row[] = [];
  const ingested = plan.ingestedAtUs ?? (START_NS / 1000n + 3_600_000_000n);
  const base = (s: SampleTimeline, type: string, extra: Row): Row => ({
    session_id: SESSION.session_id,
    car_number: plan.car,
    lap: s.lap,
    event_id: 0n, // numbered below
    event_time_ns: START_NS + s.t,
    event_time: Number((START_NS + s.t) / 1_000_000n),
    event_type: type,
    session_type: SESSION.session_type,
    track: SESSION.track,
    session_date: DAY_MS,
    kafka_partition: 0,
    kafka_offset: 0n,
    ingested_at: Number(ingested / 1000n),
    ...extra,
  });
  for (const s of positions) rows.push(base(s, 'position', { speed_kph: speedAt(plan, s), sector: s.sector, x_m: 0, y_m: 0, z_m: 0, lat_deg: 0, lon_deg: 0, heading_deg: 0, lap_distance_m: 0 }));
  for (const s of fast) {
    rows.push(base(s, 'dynamics', { throttle_pct: throttleAt(s), brake_pct: brakeAt(s), gear: gearAt(s), steering_deg: 0, lateral_g: 0, longitudinal_g: 0 }));
    rows.push(base(s, 'aerodynamics', { drs_open: drsAt(s), front_wing_deg: 10, rear_wing_deg: 10, brake_balance_pct: 55, downforce_n: 10_000 }));
    for (const corner of CORNERS) {
      rows.push(base(s, 'tire', { corner, compound: s.lap < 2 ? 'SOFT' : 'MEDIUM', pressure_psi: tyrePressureAt(corner, s), surface_temp_c: tyreTempAt(corner, s), inner_temp_c: 100, wear_pct: 1 }));
    }
  }
  for (const s of power) {
    rows.push(base(s, 'power_unit', { rpm: rpmAt(plan, s), ers_deploy_kw: deployKwAt(s), ers_harvest_kw: harvestKwAt(s), ers_store_pct: 50, oil_temp_c: 100, water_temp_c: 90, fuel_kg: 50, fuel_flow_kg_h: 90 }));
  }
  const starts = lapStarts(plan);
  for (const lap of plan.warningLaps) rows.push(base({ lap, t: (starts[lap] as bigint) + 1_000_000n, sector: 1, fraction: 0 }, 'system', { code: 'ERS_OVERHEAT', severity: 'WARNING', message: 'warm', flag: 'GREEN' }));
  if (plan.errorLap !== undefined) rows.push(base({ lap: plan.errorLap, t: (starts[plan.errorLap] as bigint) + 2_000_000n, sector: 1, fraction: 0 }, 'system', { code: 'BRAKE_FAIL', severity: 'ERROR', message: 'brake', flag: 'YELLOW' }));
  rows.push(base({ lap: 1, t: (starts[1] as bigint) + 3_000_000n, sector: 1, fraction: 0 }, 'system', { code: 'INFO', severity: 'INFO', message: 'ok', flag: 'GREEN' }));
  // event_id: the sequence within (session, car) in event-time order, ties in insertion order.
  const ordered = rows.map((row, i) => ({ row, i })).sort((a, b) => (a.row['event_time_ns'] as bigint) < (b.row['event_time_ns'] as bigint) ? -1 : (a.row['event_time_ns'] as bigint) > (b.row['event_time_ns'] as bigint) ? 1 : a.i - b.i);
  return ordered.map(({ row }, k) => ({ ...row, event_id: BigInt(k), kafka_offset: BigInt(k) }));
}

export function silverF1Rows(plans: readonly CarPlan[] = CAR_PLANS): Row[] {
  return plans.flatMap((plan) => carRows(plan));
}
