/**
 * Deterministic benchmark input for the medallion transforms (fixed-seed
 * PRNG, codec encoders, no libs/sim): one micro-batch of Kafka records as the
 * engine hands it over. F1: 5 cars of one race at the nominal rate mix
 * (power_unit 50 Hz, dynamics 20, tire 4×5, position 10, aerodynamics 10,
 * system rare), one event per message or frames of 100; satellite: frames of
 * 100 samples or one per message. With `faultRate`, about that share of
 * events is bad: out of range (EXPECTATION_FAILED), unknown session,
 * duplicate of an earlier event, or (single-event messages only) a truncated
 * message (a codec error).
 */
import { encodeF1Event, encodeF1Frame, encodeSatelliteFrame, encodeSatelliteSample } from '@lakestream/codec';
import { CORNERS, F1_EVENT_TYPES, type F1Event, type F1EventType, type F1Session, type SatelliteSample } from '@lakestream/schema';
import { DedupIndex, SessionDirectory, type SourceRecord, type TransformContext } from '../src/index.js';

export const T0_MS = Date.parse('2026-03-08T15:00:00Z');
export const SESSION: F1Session = {
  session_id: '2026-bahrain-race',
  session_type: 'RACE',
  session_date: '2026-03-08',
  track: 'Bahrain International Circuit',
  lap_length_m: 5412,
  total_laps: 57,
  start_time_ns: BigInt(T0_MS) * 1_000_000n,
};

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0; // mulberry32
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTS: Record<F1EventType, number> = { power_unit: 50, dynamics: 20, tire: 20, position: 10, aerodynamics: 10, system: 0.5 };
const CARS = [1, 16, 44, 55, 81];

type Common = Pick<F1Event, 'session_id' | 'car_number' | 'lap' | 'event_id' | 'event_time_ns'>;
type Fault = 'range' | 'session' | 'duplicate' | 'corrupt';

function f1Event(type: F1EventType, c: Common, x: (lo: number, hi: number) => number, rnd: () => number): F1Event {
  switch (type) {
    case 'position':
      return { type, ...c, x_m: x(-2000, 2000), y_m: x(-2000, 2000), z_m: x(-5, 20), lat_deg: x(26.02, 26.04), lon_deg: x(50.5, 50.52), speed_kph: x(80, 330), heading_deg: x(0, 359), lap_distance_m: x(0, 5412), sector: 1 + Math.floor(rnd() * 3) };
    case 'dynamics':
      return { type, ...c, throttle_pct: x(0, 100), brake_pct: x(0, 100), gear: 1 + Math.floor(rnd() * 8), steering_deg: x(-180, 180), lateral_g: x(-5, 5), longitudinal_g: x(-5, 3) };
    case 'power_unit':
      return { type, ...c, rpm: Math.floor(x(9000, 15000)), ers_deploy_kw: x(0, 120), ers_harvest_kw: x(0, 120), ers_store_pct: x(0, 100), oil_temp_c: x(90, 130), water_temp_c: x(80, 120), fuel_kg: x(0, 110), fuel_flow_kg_h: x(0, 100) };
    case 'tire':
      return { type, ...c, corner: CORNERS[Math.floor(rnd() * 4)] ?? 'FL', compound: 'MEDIUM', pressure_psi: x(21, 24), surface_temp_c: x(80, 100), inner_temp_c: x(90, 100), wear_pct: x(0, 60) };
    case 'aerodynamics':
      return { type, ...c, drs_open: rnd() < 0.2, front_wing_deg: x(5, 30), rear_wing_deg: x(5, 30), brake_balance_pct: x(54, 60), downforce_n: x(5000, 25000) };
    case 'system':
      return { type, ...c, code: 'ERS_OVERHEAT', severity: 'WARNING', message: 'ERS temperature above limit', flag: 'GREEN' };
  }
}

export interface Batch {
  readonly records: SourceRecord[];
  readonly events: number;
}

/** `events` F1 events of 5 cars (one partition per car), framed by `frame` (1 = single-event messages). */
export function f1Batch(events: number, frame: number, faultRate: number, seed = 7): Batch {
  const rnd = prng(seed);
  const total = F1_EVENT_TYPES.reduce((s, t) => s + WEIGHTS[t], 0);
  const x = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
  const perCar = CARS.map(() => [] as F1Event[]);
  const faults = CARS.map(() => [] as (Fault | undefined)[]);
  const kinds: Fault[] = frame === 1 ? ['range', 'session', 'duplicate', 'corrupt'] : ['range', 'session', 'duplicate'];
  for (let i = 0; i < events; i++) {
    const car = i % CARS.length;
    const list = perCar[car] as F1Event[];
    let pick = rnd() * total;
    const type = F1_EVENT_TYPES.find((t) => (pick -= WEIGHTS[t]) < 0) ?? 'power_unit';
    const fault = rnd() < faultRate ? kinds[Math.floor(rnd() * kinds.length)] : undefined;
    const id = fault === 'duplicate' && list.length > 0 ? list.length - 1 : list.length;
    const common: Common = {
      session_id: fault === 'session' ? '2026-unknown-session' : SESSION.session_id,
      car_number: CARS[car] as number,
      lap: fault === 'range' ? 900 : 1 + Math.floor(i / 20_000),
      event_id: BigInt(id),
      event_time_ns: BigInt(T0_MS) * 1_000_000n + BigInt(i) * 1_000_000n,
    };
    list.push(f1Event(type, common, x, rnd));
    (faults[car] as (Fault | undefined)[]).push(fault);
  }
  const records: SourceRecord[] = [];
  const key = (car: number): Uint8Array => new TextEncoder().encode(String(CARS[car]));
  perCar.forEach((list, car) => {
    for (let at = 0, offset = 0; at < list.length; at += frame, offset++) {
      const chunk = list.slice(at, at + frame);
      let value = frame === 1 ? encodeF1Event(chunk[0] as F1Event) : encodeF1Frame(chunk);
      if (faults[car]?.[at] === 'corrupt') value = value.subarray(0, value.length - 7);
      records.push(rec('f1-telemetry', car, offset, chunk[chunk.length - 1]?.event_time_ns ?? 0n, key(car), value));
    }
  });
  return { records, events };
}

/** `events` satellite samples of 100 satellites on 5 partitions, framed by `frame`. */
export function satelliteBatch(events: number, frame: number, faultRate: number, seed = 88): Batch {
  const rnd = prng(seed);
  const two = (lo: number, hi: number): number => Math.round((lo + (hi - lo) * rnd()) * 100) / 100;
  const perPartition: SatelliteSample[][] = [[], [], [], [], []];
  for (let i = 0; i < events; i++) {
    const bad = rnd() < faultRate;
    (perPartition[i % 5] as SatelliteSample[]).push({
      satellite: `sat${i % 100}`,
      timestamp_ns: BigInt(T0_MS) * 1_000_000n + BigInt(i) * 1_000n,
      temp_c: bad ? 9999 : two(-100, 120),
      battery_charge_pct: two(0, 100),
      altitude: two(160, 2000),
      sensor1: two(-1, 1),
      sensor2: two(-1, 1),
      sensor3: two(-1, 1),
    });
  }
  const records: SourceRecord[] = [];
  perPartition.forEach((list, p) => {
    for (let at = 0, offset = 0; at < list.length; at += frame, offset++) {
      const chunk = list.slice(at, at + frame);
      const value = frame === 1 ? encodeSatelliteSample(chunk[0] as SatelliteSample) : encodeSatelliteFrame(chunk);
      records.push(rec('sat-data', p, offset, chunk[chunk.length - 1]?.timestamp_ns ?? 0n, new TextEncoder().encode(chunk[0]?.satellite ?? ''), value));
    }
  });
  return { records, events };
}

function rec(topic: string, partition: number, offset: number, lastEventNs: bigint, key: Uint8Array, value: Uint8Array): SourceRecord {
  return { topic, partition, offset: BigInt(offset), timestamp: lastEventNs / 1_000_000n + 50n, key, value, headers: {}, size: key.length + value.length };
}

/** A fresh context per call (a new dedup index: every batch is first seen), as the consumer's first batch. */
export function benchContext(): TransformContext {
  const sessions = new SessionDirectory();
  sessions.set(SESSION);
  return { needs: () => true, ingestedAt: new Date(T0_MS + 600_000), batchId: 1, runId: 'bench batch 1', dedup: new DedupIndex(), sessions };
}
