import type {
  AerodynamicsEvent,
  DynamicsEvent,
  PositionEvent,
  PowerUnitEvent,
  SystemEvent,
  TireEvent,
} from '@lakestream/schema';
import { f64, type DecodeContext } from './decode-context.js';
import { COMPOUNDS, CORNERS, FLAGS, SEVERITIES } from './enums.js';

/** Fields every F1 event carries, read from the F1Event table. */
export interface Common {
  readonly session_id: string;
  readonly car_number: number;
  readonly lap: number;
  readonly event_id: bigint;
  readonly event_time_ns: bigint;
}

/*
 * One reader per F1Event.payload union member. Each builds its event in a
 * single object literal with the zod key order, so all events of a type share
 * one hidden class. Absent fields take their FlatBuffers default.
 */

export function readPosition(c: DecodeContext, p: number, k: Common): PositionEvent {
  const r = c.r;
  c.position.at(r, p);
  const o = c.position.offsets;
  const v = r.view;
  const sector = o[8] ?? 0;
  return {
    type: 'position',
    session_id: k.session_id,
    car_number: k.car_number,
    lap: k.lap,
    event_id: k.event_id,
    event_time_ns: k.event_time_ns,
    x_m: f64(v, p, o[0] ?? 0),
    y_m: f64(v, p, o[1] ?? 0),
    z_m: f64(v, p, o[2] ?? 0),
    lat_deg: f64(v, p, o[3] ?? 0),
    lon_deg: f64(v, p, o[4] ?? 0),
    speed_kph: f64(v, p, o[5] ?? 0),
    heading_deg: f64(v, p, o[6] ?? 0),
    lap_distance_m: f64(v, p, o[7] ?? 0),
    sector: sector === 0 ? 0 : v.getUint8(p + sector),
  };
}

export function readDynamics(c: DecodeContext, p: number, k: Common): DynamicsEvent {
  const r = c.r;
  c.dynamics.at(r, p);
  const o = c.dynamics.offsets;
  const v = r.view;
  const gear = o[2] ?? 0;
  return {
    type: 'dynamics',
    session_id: k.session_id,
    car_number: k.car_number,
    lap: k.lap,
    event_id: k.event_id,
    event_time_ns: k.event_time_ns,
    throttle_pct: f64(v, p, o[0] ?? 0),
    brake_pct: f64(v, p, o[1] ?? 0),
    gear: gear === 0 ? 0 : v.getInt8(p + gear),
    steering_deg: f64(v, p, o[3] ?? 0),
    lateral_g: f64(v, p, o[4] ?? 0),
    longitudinal_g: f64(v, p, o[5] ?? 0),
  };
}

export function readPowerUnit(c: DecodeContext, p: number, k: Common): PowerUnitEvent {
  const r = c.r;
  c.powerUnit.at(r, p);
  const o = c.powerUnit.offsets;
  const v = r.view;
  const rpm = o[0] ?? 0;
  return {
    type: 'power_unit',
    session_id: k.session_id,
    car_number: k.car_number,
    lap: k.lap,
    event_id: k.event_id,
    event_time_ns: k.event_time_ns,
    rpm: rpm === 0 ? 0 : v.getUint16(p + rpm, true),
    ers_deploy_kw: f64(v, p, o[1] ?? 0),
    ers_harvest_kw: f64(v, p, o[2] ?? 0),
    ers_store_pct: f64(v, p, o[3] ?? 0),
    oil_temp_c: f64(v, p, o[4] ?? 0),
    water_temp_c: f64(v, p, o[5] ?? 0),
    fuel_kg: f64(v, p, o[6] ?? 0),
    fuel_flow_kg_h: f64(v, p, o[7] ?? 0),
  };
}

export function readTire(c: DecodeContext, p: number, k: Common): TireEvent {
  const r = c.r;
  c.tire.at(r, p);
  const o = c.tire.offsets;
  const v = r.view;
  const corner = member(c, CORNERS, p, o[0] ?? 0, 'Tire.corner');
  const compound = member(c, COMPOUNDS, p, o[1] ?? 0, 'Tire.compound');
  return {
    type: 'tire',
    session_id: k.session_id,
    car_number: k.car_number,
    lap: k.lap,
    event_id: k.event_id,
    event_time_ns: k.event_time_ns,
    corner,
    compound,
    pressure_psi: f64(v, p, o[2] ?? 0),
    surface_temp_c: f64(v, p, o[3] ?? 0),
    inner_temp_c: f64(v, p, o[4] ?? 0),
    wear_pct: f64(v, p, o[5] ?? 0),
  };
}

export function readAerodynamics(c: DecodeContext, p: number, k: Common): AerodynamicsEvent {
  const r = c.r;
  c.aerodynamics.at(r, p);
  const o = c.aerodynamics.offsets;
  const v = r.view;
  const drs = o[0] ?? 0;
  return {
    type: 'aerodynamics',
    session_id: k.session_id,
    car_number: k.car_number,
    lap: k.lap,
    event_id: k.event_id,
    event_time_ns: k.event_time_ns,
    drs_open: drs === 0 ? false : v.getUint8(p + drs) !== 0,
    front_wing_deg: f64(v, p, o[1] ?? 0),
    rear_wing_deg: f64(v, p, o[2] ?? 0),
    brake_balance_pct: f64(v, p, o[3] ?? 0),
    downforce_n: f64(v, p, o[4] ?? 0),
  };
}

export function readSystemStatus(c: DecodeContext, p: number, k: Common): SystemEvent {
  const r = c.r;
  c.systemStatus.at(r, p);
  const o = c.systemStatus.offsets;
  const codeAt = o[0] ?? 0;
  const messageAt = o[2] ?? 0;
  if (codeAt === 0) r.fail('SystemStatus.code is missing', p);
  if (messageAt === 0) r.fail('SystemStatus.message is missing', p);
  const severity = member(c, SEVERITIES, p, o[1] ?? 0, 'SystemStatus.severity');
  const flag = member(c, FLAGS, p, o[3] ?? 0, 'SystemStatus.flag');
  return {
    type: 'system',
    session_id: k.session_id,
    car_number: k.car_number,
    lap: k.lap,
    event_id: k.event_id,
    event_time_ns: k.event_time_ns,
    code: r.string(p + codeAt, 'system.code', c.strings),
    severity,
    message: r.string(p + messageAt, 'system.message', c.strings),
    flag,
  };
}

/** The enum member stored as a ubyte index at field offset `off` of table `p` (absent = first member). */
function member<const V extends readonly string[]>(c: DecodeContext, values: V, p: number, off: number, what: string): V[number] {
  const index = off === 0 ? 0 : c.r.view.getUint8(p + off);
  const value = values[index];
  if (value === undefined) return c.r.fail(`${what} ${index} is out of range (${values.length} members)`, p + off);
  return value;
}
