import { F1_EVENT_TYPES, type F1Event, type F1EventType } from '@lakestream/schema';
import type { DecodeContext } from './decode-context.js';
import {
  readAerodynamics,
  readDynamics,
  readPosition,
  readPowerUnit,
  readSystemStatus,
  readTire,
  type Common,
} from './decode-f1-payloads.js';

type PayloadReader = (c: DecodeContext, p: number, common: Common) => F1Event;
const READERS: Record<F1EventType, PayloadReader> = {
  position: readPosition,
  dynamics: readDynamics,
  power_unit: readPowerUnit,
  tire: readTire,
  aerodynamics: readAerodynamics,
  system: readSystemStatus,
};
/** Union tag → reader, in the tag order the encoder uses (F1_EVENT_TYPES, tag = index + 1). */
const READER_BY_TAG: readonly (PayloadReader | undefined)[] = [undefined, ...F1_EVENT_TYPES.map((t) => READERS[t])];

/** Reads the F1Event table at `t` and its payload; absent scalars take their default (0). */
export function readF1Event(c: DecodeContext, t: number): F1Event {
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
  const common: Common = {
    session_id: r.string(t + session, 'session_id', c.strings),
    car_number: car === 0 ? 0 : v.getUint8(t + car),
    lap: lap === 0 ? 0 : v.getUint16(t + lap, true),
    event_id: id === 0 ? 0n : v.getBigInt64(t + id, true),
    event_time_ns: time === 0 ? 0n : v.getBigInt64(t + time, true),
  };
  const p = r.deref(t + payload, 'payload');
  const read = READER_BY_TAG[tag];
  if (!read) return r.fail(`F1Event.payload_type ${tag} is not a known event type`, t + type);
  return read(c, p, common);
}

/** Reads an F1Frame root; an absent events vector is an empty frame. */
export function readF1Frame(c: DecodeContext, out: F1Event[]): void {
  const r = c.r;
  const root = c.root();
  c.f1Frame.at(r, root);
  const field = c.f1Frame.offsets[0] ?? 0;
  if (field === 0) return;
  const vec = r.vector(root + field, 'events', 4);
  const n = r.view.getUint32(vec, true);
  for (let i = 0; i < n; i++) {
    r.eventIndex = i;
    out.push(readF1Event(c, r.deref(vec + 4 + 4 * i, 'events[i]')));
  }
}
