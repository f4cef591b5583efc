/**
 * Event construction: one object literal per event type, fields in schema
 * order so every event of a type shares one hidden class. No spreads, no
 * closures, strings shared: this is the hot path of the simulator.
 */
import { CORNERS, FLAGS, type F1EventOf, type SEVERITIES } from '@lakestream/schema';
import type { Car } from './car.js';
import type { Track } from './track.js';

export type Severity = (typeof SEVERITIES)[number];

const MS_TO_KPH = 3.6;

export function positionEvent(car: Car, track: Track, sessionId: string, time: bigint): F1EventOf<'position'> {
  const s = car.s;
  const i = track.index(s);
  const j = i + 1 === track.samples ? 0 : i + 1;
  const f = s / track.step - i;
  const x = track.x[i] as number;
  const y = track.y[i] as number;
  const z = track.z[i] as number;
  const lat = track.lat[i] as number;
  const lon = track.lon[i] as number;
  return {
    type: 'position',
    session_id: sessionId,
    car_number: car.carNumber,
    lap: car.lap,
    event_id: BigInt(car.nextEventId++),
    event_time_ns: time,
    x_m: x + ((track.x[j] as number) - x) * f,
    y_m: y + ((track.y[j] as number) - y) * f,
    z_m: z + ((track.z[j] as number) - z) * f,
    lat_deg: lat + ((track.lat[j] as number) - lat) * f,
    lon_deg: lon + ((track.lon[j] as number) - lon) * f,
    speed_kph: car.v * MS_TO_KPH,
    heading_deg: track.heading[i] as number,
    lap_distance_m: s,
    sector: track.sector(s),
  };
}

export function dynamicsEvent(car: Car, sessionId: string, time: bigint): F1EventOf<'dynamics'> {
  // Small steering corrections on top of the geometric angle.
  const steering = car.steeringDeg() + (car.rng.float() - 0.5) * 2;
  const lat = car.lateralG();
  const lon = car.accel / 9.80665;
  return {
    type: 'dynamics',
    session_id: sessionId,
    car_number: car.carNumber,
    lap: car.lap,
    event_id: BigInt(car.nextEventId++),
    event_time_ns: time,
    throttle_pct: car.throttle * 100,
    brake_pct: car.brake * 100,
    gear: car.gear,
    steering_deg: steering > 360 ? 360 : steering < -360 ? -360 : steering,
    lateral_g: lat > 8 ? 8 : lat < -8 ? -8 : lat,
    longitudinal_g: lon > 8 ? 8 : lon < -8 ? -8 : lon,
  };
}

export function powerUnitEvent(car: Car, sessionId: string, time: bigint): F1EventOf<'power_unit'> {
  return {
    type: 'power_unit',
    session_id: sessionId,
    car_number: car.carNumber,
    lap: car.lap,
    event_id: BigInt(car.nextEventId++),
    event_time_ns: time,
    rpm: Math.round(car.rpm),
    ers_deploy_kw: car.ersDeployW / 1000,
    ers_harvest_kw: car.ersHarvestW / 1000,
    ers_store_pct: car.ersStoreJ / 40_000,
    oil_temp_c: car.oilC,
    water_temp_c: car.waterC,
    fuel_kg: car.fuelKg,
    fuel_flow_kg_h: car.fuelFlowKgH,
  };
}

export function tireEvent(car: Car, corner: number, sessionId: string, time: bigint): F1EventOf<'tire'> {
  return {
    type: 'tire',
    session_id: sessionId,
    car_number: car.carNumber,
    lap: car.lap,
    event_id: BigInt(car.nextEventId++),
    event_time_ns: time,
    corner: CORNERS[corner] as (typeof CORNERS)[number],
    compound: car.setup.compound,
    pressure_psi: car.pressurePsi(corner),
    surface_temp_c: car.surfaceC[corner] as number,
    inner_temp_c: car.innerC[corner] as number,
    wear_pct: car.wear[corner] as number,
  };
}

export function aerodynamicsEvent(car: Car, sessionId: string, time: bigint): F1EventOf<'aerodynamics'> {
  return {
    type: 'aerodynamics',
    session_id: sessionId,
    car_number: car.carNumber,
    lap: car.lap,
    event_id: BigInt(car.nextEventId++),
    event_time_ns: time,
    drs_open: car.drsOpen,
    front_wing_deg: car.setup.frontWingDeg,
    // The DRS flap opens: the rear wing's angle of attack drops.
    rear_wing_deg: car.drsOpen ? car.setup.rearWingDeg - 14 : car.setup.rearWingDeg,
    brake_balance_pct: car.setup.brakeBalancePct,
    downforce_n: car.downforceN(),
  };
}

export function systemEvent(car: Car, sessionId: string, time: bigint, code: string, severity: Severity, message: string): F1EventOf<'system'> {
  return {
    type: 'system',
    session_id: sessionId,
    car_number: car.carNumber,
    lap: car.lap,
    event_id: BigInt(car.nextEventId++),
    event_time_ns: time,
    code,
    severity,
    message,
    flag: FLAGS[car.flag] as (typeof FLAGS)[number],
  };
}

