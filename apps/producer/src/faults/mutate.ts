/**
 * The faults themselves, as pure functions: an event in, the faulty event
 * out (still encodable: the codec's encoder checks wire types, not ranges);
 * encoded bytes in, bytes that decode() refuses out.
 */
import { HEADER_LENGTH } from '@lakestream/codec';
import type { F1Event, SatelliteSample } from '@lakestream/schema';
import type { Corruption } from './plan.js';

/**
 * How far in the past a `late` event is put: a day, four times libs/quality's
 * DEFAULT_MAX_AGE_MS (6 h), so the freshness expectation fails it whatever
 * the consumer's clock skew allowance.
 */
export const LATE_BY_NS = 24n * 3_600_000_000_000n;

/** Suffix of the session id an `unknown_session` event carries: never published to the sessions topic. */
export const UNKNOWN_SESSION_SUFFIX = '-unpublished';

/** One payload field per F1 event type pushed outside its declared range (the schema's bounds in comments). */
export function f1OutOfRange(event: F1Event): F1Event {
  switch (event.type) {
    case 'position':
      return { ...event, speed_kph: 999 }; // 0..400
    case 'dynamics':
      return { ...event, throttle_pct: 250 }; // 0..100
    case 'power_unit':
      return { ...event, oil_temp_c: 500 }; // 0..200
    case 'tire':
      return { ...event, surface_temp_c: 500 }; // 0..200
    case 'aerodynamics':
      return { ...event, downforce_n: 99_999 }; // 0..40000
    case 'system':
      return { ...event, lap: 9_999 }; // 0..500, still a uint16 on the wire
  }
}

export function satelliteOutOfRange(sample: SatelliteSample): SatelliteSample {
  return { ...sample, temp_c: 500 }; // -100..120
}

/**
 * `null_required` for F1: car_number (required, 1..99) absent. FlatBuffers
 * scalars cannot be null: an absent one reads as its default, 0, which the
 * range rejects. One event per message: encodeF1WithoutCar drops the field
 * from the table; in a frame (events share one vtable) the event carries 0,
 * which decodes identically.
 */
export function f1WithoutCar(event: F1Event): F1Event {
  return { ...event, car_number: 0 };
}

export function f1UnknownSession(event: F1Event): F1Event {
  return { ...event, session_id: `${event.session_id.slice(0, 64 - UNKNOWN_SESSION_SUFFIX.length)}${UNKNOWN_SESSION_SUFFIX}` };
}

export function f1Late(event: F1Event): F1Event {
  return { ...event, event_time_ns: lateTime(event.event_time_ns) };
}

export function satelliteLate(sample: SatelliteSample): SatelliteSample {
  return { ...sample, timestamp_ns: lateTime(sample.timestamp_ns) };
}

function lateTime(ns: bigint): bigint {
  return ns > LATE_BY_NS ? ns - LATE_BY_NS : 0n;
}

/** F1Event field index of car_number (schema order: session_id, car_number, lap, event_id, ...). */
const CAR_NUMBER_FIELD = 1;

/**
 * Marks car_number absent in a one-event F1 message: zeroes its vtable
 * entry (a valid FlatBuffer whose field is simply not there). Only for
 * single-event messages: in a frame the vtable is shared by every event.
 */
export function dropF1CarNumber(message: Uint8Array): Uint8Array {
  const out = Uint8Array.from(message);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const table = HEADER_LENGTH + view.getUint32(HEADER_LENGTH, true);
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const entry = vtable + 4 + 2 * CAR_NUMBER_FIELD;
  if (entry + 2 > vtable + vtableSize) return out; // already absent: nothing to drop
  view.setUint16(entry, 0, true);
  return out;
}

/** A copy of `message` that decode() refuses, in the chosen way. */
export function corruptMessage(message: Uint8Array, how: Corruption): Uint8Array {
  switch (how) {
    case 'bad_magic': {
      const out = Uint8Array.from(message);
      out[0] = 0xff; // magic must be 0 → BAD_MAGIC
      return out;
    }
    case 'unknown_schema': {
      const out = Uint8Array.from(message);
      out.set([0xff, 0xff, 0xff, 0xf0], 1); // no such schema id → UNKNOWN_SCHEMA
      return out;
    }
    case 'truncated':
      // Header and 3 payload bytes: shorter than any FlatBuffer → TRUNCATED.
      return message.slice(0, Math.min(message.length, HEADER_LENGTH + 3));
    case 'bad_root': {
      const out = Uint8Array.from(message);
      // Root offset far past the end → the verifier refuses the buffer (INVALID_BUFFER).
      new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(HEADER_LENGTH, 0x7fff_fff0, true);
      return out;
    }
  }
}
