/** F1Event tables read straight into F1EventColumns (the column-wise twin of decode-f1.ts / decode-f1-payloads.ts). */
import type { F1EventColumns } from '../f1-columns.js';
import { f64, type DecodeContext } from './decode-context.js';
import { COMPOUNDS, CORNERS, FLAGS, SEVERITIES } from './enums.js';

/** Tag (1-based, F1_EVENT_TYPES order) → payload reader. */
type PayloadInto = (c: DecodeContext, p: number, out: F1EventColumns, i: number) => void;

function position(c: DecodeContext, p: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.position.at(r, p);
  const o = c.position.offsets;
  const v = r.view;
  const n = out.num;
  (n['x_m'] as Float64Array)[i] = f64(v, p, o[0] ?? 0);
  (n['y_m'] as Float64Array)[i] = f64(v, p, o[1] ?? 0);
  (n['z_m'] as Float64Array)[i] = f64(v, p, o[2] ?? 0);
  (n['lat_deg'] as Float64Array)[i] = f64(v, p, o[3] ?? 0);
  (n['lon_deg'] as Float64Array)[i] = f64(v, p, o[4] ?? 0);
  (n['speed_kph'] as Float64Array)[i] = f64(v, p, o[5] ?? 0);
  (n['heading_deg'] as Float64Array)[i] = f64(v, p, o[6] ?? 0);
  (n['lap_distance_m'] as Float64Array)[i] = f64(v, p, o[7] ?? 0);
  const sector = o[8] ?? 0;
  (n['sector'] as Float64Array)[i] = sector === 0 ? 0 : v.getUint8(p + sector);
}

function dynamics(c: DecodeContext, p: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.dynamics.at(r, p);
  const o = c.dynamics.offsets;
  const v = r.view;
  const n = out.num;
  (n['throttle_pct'] as Float64Array)[i] = f64(v, p, o[0] ?? 0);
  (n['brake_pct'] as Float64Array)[i] = f64(v, p, o[1] ?? 0);
  const gear = o[2] ?? 0;
  (n['gear'] as Float64Array)[i] = gear === 0 ? 0 : v.getInt8(p + gear);
  (n['steering_deg'] as Float64Array)[i] = f64(v, p, o[3] ?? 0);
  (n['lateral_g'] as Float64Array)[i] = f64(v, p, o[4] ?? 0);
  (n['longitudinal_g'] as Float64Array)[i] = f64(v, p, o[5] ?? 0);
}

function powerUnit(c: DecodeContext, p: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.powerUnit.at(r, p);
  const o = c.powerUnit.offsets;
  const v = r.view;
  const n = out.num;
  const rpm = o[0] ?? 0;
  (n['rpm'] as Float64Array)[i] = rpm === 0 ? 0 : v.getUint16(p + rpm, true);
  (n['ers_deploy_kw'] as Float64Array)[i] = f64(v, p, o[1] ?? 0);
  (n['ers_harvest_kw'] as Float64Array)[i] = f64(v, p, o[2] ?? 0);
  (n['ers_store_pct'] as Float64Array)[i] = f64(v, p, o[3] ?? 0);
  (n['oil_temp_c'] as Float64Array)[i] = f64(v, p, o[4] ?? 0);
  (n['water_temp_c'] as Float64Array)[i] = f64(v, p, o[5] ?? 0);
  (n['fuel_kg'] as Float64Array)[i] = f64(v, p, o[6] ?? 0);
  (n['fuel_flow_kg_h'] as Float64Array)[i] = f64(v, p, o[7] ?? 0);
}

function tire(c: DecodeContext, p: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.tire.at(r, p);
  const o = c.tire.offsets;
  const v = r.view;
  const n = out.num;
  (out.str['corner'] as string[])[i] = member(c, CORNERS, p, o[0] ?? 0, 'Tire.corner');
  (out.str['compound'] as string[])[i] = member(c, COMPOUNDS, p, o[1] ?? 0, 'Tire.compound');
  (n['pressure_psi'] as Float64Array)[i] = f64(v, p, o[2] ?? 0);
  (n['surface_temp_c'] as Float64Array)[i] = f64(v, p, o[3] ?? 0);
  (n['inner_temp_c'] as Float64Array)[i] = f64(v, p, o[4] ?? 0);
  (n['wear_pct'] as Float64Array)[i] = f64(v, p, o[5] ?? 0);
}

function aerodynamics(c: DecodeContext, p: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.aerodynamics.at(r, p);
  const o = c.aerodynamics.offsets;
  const v = r.view;
  const n = out.num;
  const drs = o[0] ?? 0;
  (n['drs_open'] as Float64Array)[i] = drs === 0 ? 0 : v.getUint8(p + drs) !== 0 ? 1 : 0;
  (n['front_wing_deg'] as Float64Array)[i] = f64(v, p, o[1] ?? 0);
  (n['rear_wing_deg'] as Float64Array)[i] = f64(v, p, o[2] ?? 0);
  (n['brake_balance_pct'] as Float64Array)[i] = f64(v, p, o[3] ?? 0);
  (n['downforce_n'] as Float64Array)[i] = f64(v, p, o[4] ?? 0);
}

function systemStatus(c: DecodeContext, p: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.systemStatus.at(r, p);
  const o = c.systemStatus.offsets;
  const codeAt = o[0] ?? 0;
  const messageAt = o[2] ?? 0;
  if (codeAt === 0) r.fail('SystemStatus.code is missing', p);
  if (messageAt === 0) r.fail('SystemStatus.message is missing', p);
  // Same read order as readSystemStatus, so a corrupt message reports the same error.
  const severity = member(c, SEVERITIES, p, o[1] ?? 0, 'SystemStatus.severity');
  const flag = member(c, FLAGS, p, o[3] ?? 0, 'SystemStatus.flag');
  (out.str['code'] as string[])[i] = r.string(p + codeAt, 'system.code', c.strings);
  (out.str['severity'] as string[])[i] = severity;
  (out.str['message'] as string[])[i] = r.string(p + messageAt, 'system.message', c.strings);
  (out.str['flag'] as string[])[i] = flag;
}

function member<const V extends readonly string[]>(c: DecodeContext, values: V, p: number, off: number, what: string): V[number] {
  const index = off === 0 ? 0 : c.r.view.getUint8(p + off);
  const value = values[index];
  if (value === undefined) return c.r.fail(`${what} ${index} is out of range (${values.length} members)`, p + off);
  return value;
}

const PAYLOAD_BY_TAG: readonly (PayloadInto | undefined)[] = [undefined, position, dynamics, powerUnit, tire, aerodynamics, systemStatus];
const STRING_FIELDS = ['corner', 'compound', 'severity', 'flag', 'code', 'message'] as const;

/** Reads the F1Event table at `t` into row `i` of `out` (which has room); same checks and order as readF1Event. */
export function readF1EventInto(c: DecodeContext, t: number, out: F1EventColumns, i: number): void {
  const r = c.r;
  c.f1Event.at(r, t);
  const o = c.f1Event.offsets;
  const v = r.view;
  const session = o[0] ?? 0;
  if (session === 0) r.fail('F1Event.session_id is missing', t);
  const car = o[1] ?? 0;
  const lap = o[2] ?? 0;
  const id = o[3] ?? 0;
  const time = o[4] ?? 0;
  const type = o[5] ?? 0;
  const payload = o[6] ?? 0;
  const tag = type === 0 ? 0 : v.getUint8(t + type);
  if (tag === 0 || payload === 0) r.fail('F1Event.payload is missing', t);
  out.sessionId[i] = r.string(t + session, 'session_id', c.strings);
  out.carNumber[i] = car === 0 ? 0 : v.getUint8(t + car);
  out.lap[i] = lap === 0 ? 0 : v.getUint16(t + lap, true);
  const idw = out.idWords;
  idw[2 * i] = id === 0 ? 0 : v.getUint32(t + id, true);
  idw[2 * i + 1] = id === 0 ? 0 : v.getUint32(t + id + 4, true);
  const tw = out.timeWords;
  tw[2 * i] = time === 0 ? 0 : v.getUint32(t + time, true);
  tw[2 * i + 1] = time === 0 ? 0 : v.getUint32(t + time + 4, true);
  const p = r.deref(t + payload, 'payload');
  const read = PAYLOAD_BY_TAG[tag];
  if (!read) return r.fail(`F1Event.payload_type ${tag} is not a known event type`, t + type);
  out.type[i] = tag - 1;
  for (const f of STRING_FIELDS) (out.str[f] as string[])[i] = '';
  read(c, p, out, i);
}

/** Reads an F1Frame root into `out` from row `out.length` on; returns the number of events. */
export function readF1FrameInto(c: DecodeContext, out: F1EventColumns): number {
  const r = c.r;
  const root = c.root();
  c.f1Frame.at(r, root);
  const field = c.f1Frame.offsets[0] ?? 0;
  if (field === 0) return 0;
  const vec = r.vector(root + field, 'events', 4);
  const n = r.view.getUint32(vec, true);
  out.reserve(n);
  const base = out.length;
  for (let i = 0; i < n; i++) {
    r.eventIndex = i;
    readF1EventInto(c, r.deref(vec + 4 + 4 * i, 'events[i]'), out, base + i);
  }
  return n;
}
