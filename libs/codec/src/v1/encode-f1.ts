import type { F1Event } from '@lakestream/schema';
import type { ByteWriter } from '../writer.js';
import { i64, invalid, u16, u8 } from './checks.js';
import { PAYLOAD_TAG } from './enums.js';
import {
  writeAerodynamics,
  writeDynamics,
  writePosition,
  writePowerUnit,
  writeSystemStatus,
  writeTire,
} from './encode-f1-payloads.js';
import { F1_EVENT } from './layout.js';

/** Writes one F1Event table and its payload table (layout.ts); returns its distance from the end. */
export function writeF1Event(w: ByteWriter, e: F1Event): number {
  const car = u8(e.car_number, 'car_number');
  const lap = u16(e.lap, 'lap');
  const id = i64(e.event_id, 'event_id');
  const time = i64(e.event_time_ns, 'event_time_ns');
  const session = w.string(e.session_id, 'session_id');
  const payload = writePayload(w, e);
  const tag = PAYLOAD_TAG[e.type] ?? 0; // writePayload threw for unknown types
  const t = w.table(F1_EVENT);
  const v = w.view;
  w.setOffset(t + 4, session);
  v.setBigInt64(t + 8, id, true);
  v.setBigInt64(t + 16, time, true);
  w.setOffset(t + 24, payload);
  // lap u16 @28, car_number u8 @30, payload_type u8 @31
  v.setUint32(t + 28, lap | (car << 16) | (tag << 24), true);
  return w.buf.length - t;
}

function writePayload(w: ByteWriter, e: F1Event): number {
  switch (e.type) {
    case 'position':
      return writePosition(w, e);
    case 'dynamics':
      return writeDynamics(w, e);
    case 'power_unit':
      return writePowerUnit(w, e);
    case 'tire':
      return writeTire(w, e);
    case 'aerodynamics':
      return writeAerodynamics(w, e);
    case 'system':
      return writeSystemStatus(w, e);
    default:
      throw invalid('type', (e as { type: unknown }).type, `one of ${Object.keys(PAYLOAD_TAG).join('|')}`);
  }
}
