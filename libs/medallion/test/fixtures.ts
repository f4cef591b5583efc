/** Hand-built events and records for the medallion specs (codec encoders, no sim). */
import type { F1Event, F1Session, SatelliteSample } from '@lakestream/schema';
import { DedupIndex, SessionDirectory, type LogicalTable, type SourceRecord, type TransformContext } from '../src/index.js';

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

export function position(eventId: number, over: Partial<F1Event> = {}): F1Event {
  return {
    type: 'position',
    session_id: SESSION.session_id,
    car_number: 44,
    lap: 3,
    event_id: BigInt(eventId),
    event_time_ns: BigInt(T0_MS + eventId * 100) * 1_000_000n,
    x_m: 10.5,
    y_m: -20.25,
    z_m: 1.5,
    lat_deg: 26.03,
    lon_deg: 50.51,
    speed_kph: 287.4,
    heading_deg: 90,
    lap_distance_m: 1200,
    sector: 1,
    ...over,
  } as F1Event;
}

export function power(eventId: number, over: Partial<F1Event> = {}): F1Event {
  return {
    type: 'power_unit',
    session_id: SESSION.session_id,
    car_number: 16,
    lap: 3,
    event_id: BigInt(eventId),
    event_time_ns: BigInt(T0_MS + eventId * 100) * 1_000_000n,
    rpm: 11_500,
    ers_deploy_kw: 80,
    ers_harvest_kw: 10,
    ers_store_pct: 55,
    oil_temp_c: 110,
    water_temp_c: 95,
    fuel_kg: 60,
    fuel_flow_kg_h: 98,
    ...over,
  } as F1Event;
}

export function sample(i: number, over: Partial<SatelliteSample> = {}): SatelliteSample {
  return {
    satellite: 'sat0',
    timestamp_ns: BigInt(T0_MS + i) * 1_000_000n,
    temp_c: 21.5,
    battery_charge_pct: 80,
    altitude: 550,
    sensor1: 0.1,
    sensor2: -0.2,
    sensor3: 0.3,
    ...over,
  };
}

export function record(value: Uint8Array | null, offset: number, over: Partial<SourceRecord> = {}): SourceRecord {
  const key = new TextEncoder().encode('44');
  return {
    topic: 'f1-telemetry',
    partition: 0,
    offset: BigInt(offset),
    timestamp: BigInt(T0_MS + 60_000),
    key,
    value,
    headers: {},
    size: key.length + (value?.length ?? 0),
    ...over,
  };
}

export type Versions = Partial<Record<LogicalTable, Map<number, bigint>>>;

export function context(over: Partial<TransformContext> & { versions?: Versions; sessions?: SessionDirectory | undefined } = {}): TransformContext {
  const sessions = 'sessions' in over ? over.sessions : withSession();
  const versions = over.versions ?? {};
  return {
    needs: (table, r) => r.offset > (versions[table]?.get(r.partition) ?? -1n),
    ingestedAt: new Date(T0_MS + 120_000),
    batchId: 1,
    runId: 'test batch 1',
    dedup: new DedupIndex(),
    ...over,
    ...(sessions ? { sessions } : {}),
  };
}

export function withSession(): SessionDirectory {
  const s = new SessionDirectory();
  s.set(SESSION);
  return s;
}

export const utf8 = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));
