import { CORNERS, F1_EVENT_TYPES, type F1Event, type F1EventType, type SatelliteSample } from '@lakestream/schema';

/**
 * Deterministic benchmark events (a fixed-seed PRNG; no dependency on
 * libs/sim). F1 follows the nominal rates of one car: power_unit 50 Hz,
 * dynamics 20 Hz, tire 5 Hz × 4 corners, position 10 Hz, aerodynamics 10 Hz,
 * system about once every 10 s. Values are full-precision doubles, as a
 * physics simulation produces them. Satellite values have 2 decimals, as the
 * seed's CSV files.
 */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTS: Record<F1EventType, number> = { power_unit: 50, dynamics: 20, tire: 20, position: 10, aerodynamics: 10, system: 0.1 };

export function f1Events(count: number, seed = 7): F1Event[] {
  const rnd = prng(seed);
  const total = F1_EVENT_TYPES.reduce((sum, t) => sum + WEIGHTS[t], 0);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const out: F1Event[] = [];
  const start = 1_767_225_600_000_000_000n;
  for (let i = 0; i < count; i++) {
    let pick = rnd() * total;
    const type = F1_EVENT_TYPES.find((t) => (pick -= WEIGHTS[t]) < 0) ?? 'power_unit';
    const car = 1 + (i % 20);
    const common = {
      session_id: '2026-bahrain-race',
      car_number: car,
      lap: 1 + Math.floor(i / 20_000),
      event_id: BigInt(i),
      event_time_ns: start + BigInt(i) * 1_000_000n,
    };
    out.push(payload(type, common, between, rnd));
  }
  return out;
}

type Common = Pick<F1Event, 'session_id' | 'car_number' | 'lap' | 'event_id' | 'event_time_ns'>;

function payload(type: F1EventType, c: Common, x: (lo: number, hi: number) => number, rnd: () => number): F1Event {
  switch (type) {
    case 'position':
      return { type, ...c, x_m: x(-2000, 2000), y_m: x(-2000, 2000), z_m: x(-5, 20), lat_deg: x(26.02, 26.04), lon_deg: x(50.5, 50.52), speed_kph: x(80, 330), heading_deg: x(0, 360), lap_distance_m: x(0, 5412), sector: 1 + Math.floor(rnd() * 3) };
    case 'dynamics':
      return { type, ...c, throttle_pct: x(0, 100), brake_pct: x(0, 100), gear: 1 + Math.floor(rnd() * 8), steering_deg: x(-180, 180), lateral_g: x(-5, 5), longitudinal_g: x(-5, 3) };
    case 'power_unit':
      return { type, ...c, rpm: Math.floor(x(9000, 15000)), ers_deploy_kw: x(0, 120), ers_harvest_kw: x(0, 120), ers_store_pct: x(0, 100), oil_temp_c: x(90, 130), water_temp_c: x(80, 120), fuel_kg: x(0, 110), fuel_flow_kg_h: x(0, 100) };
    case 'tire':
      return { type, ...c, corner: CORNERS[Math.floor(rnd() * 4)] ?? 'FL', compound: 'MEDIUM', pressure_psi: x(19, 25), surface_temp_c: x(80, 120), inner_temp_c: x(90, 110), wear_pct: x(0, 60) };
    case 'aerodynamics':
      return { type, ...c, drs_open: rnd() < 0.2, front_wing_deg: x(5, 30), rear_wing_deg: x(5, 30), brake_balance_pct: x(54, 60), downforce_n: x(5000, 25000) };
    case 'system':
      return { type, ...c, code: 'ERS_OVERHEAT', severity: 'WARNING', message: 'ERS temperature above limit', flag: 'GREEN' };
  }
}

export function satelliteSamples(count: number, seed = 88): SatelliteSample[] {
  const rnd = prng(seed);
  const two = (lo: number, hi: number) => Math.round((lo + (hi - lo) * rnd()) * 100) / 100;
  const out: SatelliteSample[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      satellite: `sat${i % 100}`,
      timestamp_ns: 1_767_225_600_000_000_000n + BigInt(i) * 1_000n,
      temp_c: two(-100, 120),
      battery_charge_pct: two(0, 100),
      altitude: two(160, 2000),
      sensor1: two(-1, 1),
      sensor2: two(-1, 1),
      sensor3: two(-1, 1),
    });
  }
  return out;
}

/** The same events for JSON: bigints as decimal strings, so plain JSON.stringify/parse need no replacer or reviver. */
export function jsonCopies<T extends object>(events: readonly T[]): Record<string, unknown>[] {
  return events.map((e) => {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) copy[k] = typeof v === 'bigint' ? v.toString() : v;
    return copy;
  });
}
