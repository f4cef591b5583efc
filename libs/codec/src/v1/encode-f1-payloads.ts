import type {
  AerodynamicsEvent,
  DynamicsEvent,
  PositionEvent,
  PowerUnitEvent,
  SystemEvent,
  TireEvent,
} from '@lakestream/schema';
import type { ByteWriter } from '../writer.js';
import { bool, enumIndex, f64, i8, u16, u8 } from './checks.js';
import { COMPOUND_INDEX, COMPOUNDS, CORNER_INDEX, CORNERS, FLAG_INDEX, FLAGS, SEVERITIES, SEVERITY_INDEX } from './enums.js';
import { AERODYNAMICS, DYNAMICS, POSITION, POWER_UNIT, SYSTEM_STATUS, TIRE } from './layout.js';

/*
 * One writer per F1Event.payload union member; offsets are layout.ts's `at`.
 * Small fields are stored as one little-endian u32 together with the padding
 * after them, so no byte of the reused buffer is left stale.
 */

export function writePosition(w: ByteWriter, e: PositionEvent): number {
  const sector = u8(e.sector, 'position.sector');
  const x = f64(e.x_m, 'position.x_m');
  const y = f64(e.y_m, 'position.y_m');
  const z = f64(e.z_m, 'position.z_m');
  const lat = f64(e.lat_deg, 'position.lat_deg');
  const lon = f64(e.lon_deg, 'position.lon_deg');
  const speed = f64(e.speed_kph, 'position.speed_kph');
  const heading = f64(e.heading_deg, 'position.heading_deg');
  const dist = f64(e.lap_distance_m, 'position.lap_distance_m');
  const t = w.table(POSITION);
  const v = w.view;
  v.setUint32(t + 4, sector, true);
  v.setFloat64(t + 8, x, true);
  v.setFloat64(t + 16, y, true);
  v.setFloat64(t + 24, z, true);
  v.setFloat64(t + 32, lat, true);
  v.setFloat64(t + 40, lon, true);
  v.setFloat64(t + 48, speed, true);
  v.setFloat64(t + 56, heading, true);
  v.setFloat64(t + 64, dist, true);
  return w.buf.length - t;
}

export function writeDynamics(w: ByteWriter, e: DynamicsEvent): number {
  const gear = i8(e.gear, 'dynamics.gear');
  const throttle = f64(e.throttle_pct, 'dynamics.throttle_pct');
  const brake = f64(e.brake_pct, 'dynamics.brake_pct');
  const steering = f64(e.steering_deg, 'dynamics.steering_deg');
  const lateral = f64(e.lateral_g, 'dynamics.lateral_g');
  const longitudinal = f64(e.longitudinal_g, 'dynamics.longitudinal_g');
  const t = w.table(DYNAMICS);
  const v = w.view;
  v.setUint32(t + 4, gear & 0xff, true);
  v.setFloat64(t + 8, throttle, true);
  v.setFloat64(t + 16, brake, true);
  v.setFloat64(t + 24, steering, true);
  v.setFloat64(t + 32, lateral, true);
  v.setFloat64(t + 40, longitudinal, true);
  return w.buf.length - t;
}

export function writePowerUnit(w: ByteWriter, e: PowerUnitEvent): number {
  const rpm = u16(e.rpm, 'power_unit.rpm');
  const deploy = f64(e.ers_deploy_kw, 'power_unit.ers_deploy_kw');
  const harvest = f64(e.ers_harvest_kw, 'power_unit.ers_harvest_kw');
  const store = f64(e.ers_store_pct, 'power_unit.ers_store_pct');
  const oil = f64(e.oil_temp_c, 'power_unit.oil_temp_c');
  const water = f64(e.water_temp_c, 'power_unit.water_temp_c');
  const fuel = f64(e.fuel_kg, 'power_unit.fuel_kg');
  const flow = f64(e.fuel_flow_kg_h, 'power_unit.fuel_flow_kg_h');
  const t = w.table(POWER_UNIT);
  const v = w.view;
  v.setUint32(t + 4, rpm, true);
  v.setFloat64(t + 8, deploy, true);
  v.setFloat64(t + 16, harvest, true);
  v.setFloat64(t + 24, store, true);
  v.setFloat64(t + 32, oil, true);
  v.setFloat64(t + 40, water, true);
  v.setFloat64(t + 48, fuel, true);
  v.setFloat64(t + 56, flow, true);
  return w.buf.length - t;
}

export function writeTire(w: ByteWriter, e: TireEvent): number {
  const corner = enumIndex(CORNER_INDEX, e.corner, 'tire.corner', CORNERS);
  const compound = enumIndex(COMPOUND_INDEX, e.compound, 'tire.compound', COMPOUNDS);
  const pressure = f64(e.pressure_psi, 'tire.pressure_psi');
  const surface = f64(e.surface_temp_c, 'tire.surface_temp_c');
  const inner = f64(e.inner_temp_c, 'tire.inner_temp_c');
  const wear = f64(e.wear_pct, 'tire.wear_pct');
  const t = w.table(TIRE);
  const v = w.view;
  v.setUint32(t + 4, corner | (compound << 8), true);
  v.setFloat64(t + 8, pressure, true);
  v.setFloat64(t + 16, surface, true);
  v.setFloat64(t + 24, inner, true);
  v.setFloat64(t + 32, wear, true);
  return w.buf.length - t;
}

export function writeAerodynamics(w: ByteWriter, e: AerodynamicsEvent): number {
  const drs = bool(e.drs_open, 'aerodynamics.drs_open');
  const front = f64(e.front_wing_deg, 'aerodynamics.front_wing_deg');
  const rear = f64(e.rear_wing_deg, 'aerodynamics.rear_wing_deg');
  const balance = f64(e.brake_balance_pct, 'aerodynamics.brake_balance_pct');
  const downforce = f64(e.downforce_n, 'aerodynamics.downforce_n');
  const t = w.table(AERODYNAMICS);
  const v = w.view;
  v.setUint32(t + 4, drs, true);
  v.setFloat64(t + 8, front, true);
  v.setFloat64(t + 16, rear, true);
  v.setFloat64(t + 24, balance, true);
  v.setFloat64(t + 32, downforce, true);
  return w.buf.length - t;
}

export function writeSystemStatus(w: ByteWriter, e: SystemEvent): number {
  const severity = enumIndex(SEVERITY_INDEX, e.severity, 'system.severity', SEVERITIES);
  const flag = enumIndex(FLAG_INDEX, e.flag, 'system.flag', FLAGS);
  const code = w.string(e.code, 'system.code');
  const message = w.string(e.message, 'system.message');
  const t = w.table(SYSTEM_STATUS);
  w.setOffset(t + 4, code);
  w.setOffset(t + 8, message);
  w.view.setUint32(t + 12, severity | (flag << 8), true);
  return w.buf.length - t;
}
