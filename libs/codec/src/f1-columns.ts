/**
 * Column-wise F1 decode: events appended straight into typed arrays, no
 * per-event object. `decodeF1Into(bytes, columns)` accepts exactly what
 * `decode()` accepts and reports exactly its errors (a message is all or
 * nothing: a frame failing at event 57 appends none of its events), and
 * `columns.event(i)` rebuilds the object decode() would have returned.
 *
 * Layout: one entry per event in every column. Common fields are dense;
 * payload fields are dense too (the value is meaningful only where
 * `type[i]` is the field's event type, 0 elsewhere), numbers as float64
 * (exact for the u8/i8/u16 fields), booleans as 0/1, enum and string fields
 * as strings.
 */
import { F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, WIRE_SCHEMA_IDS, WIRE_SCHEMAS, type F1Event, type F1EventType, type WireSchema, type WireShape } from '@lakestream/schema';
import { decode } from './decode.js';
import type { CodecError } from './errors.js';
import { checkPayloadLength, readSchemaId } from './framing.js';
import { DecodeContext } from './v1/decode-context.js';
import { readF1EventInto, readF1FrameInto } from './v1/decode-f1-columns.js';

/** Payload fields stored as strings (enums and texts). */
export const F1_STRING_PAYLOAD_FIELDS = ['corner', 'compound', 'severity', 'flag', 'code', 'message'] as const;
const STRING_FIELDS: ReadonlySet<string> = new Set(F1_STRING_PAYLOAD_FIELDS);
/** Payload fields stored as float64 (numbers; booleans as 0/1), by event type. */
export const F1_NUMERIC_PAYLOAD_FIELDS: readonly string[] = F1_EVENT_TYPES.flatMap((t) => Object.keys(F1_PAYLOAD_FIELDS[t]).filter((f) => !STRING_FIELDS.has(f)));
/** Field names of each type's payload, in declaration order. */
export const F1_PAYLOAD_FIELD_NAMES: Readonly<Record<F1EventType, readonly string[]>> = Object.fromEntries(
  F1_EVENT_TYPES.map((t) => [t, Object.keys(F1_PAYLOAD_FIELDS[t])]),
) as unknown as Record<F1EventType, readonly string[]>;

export class F1EventColumns {
  /** Events held. */
  length = 0;
  private capacity = 0;
  /** Index into F1_EVENT_TYPES. */
  type = new Uint8Array(0);
  sessionId: string[] = [];
  carNumber = new Uint8Array(0);
  lap = new Uint16Array(0);
  eventId = new BigInt64Array(0);
  eventTimeNs = new BigInt64Array(0);
  /** Numeric payload fields by name (F1_NUMERIC_PAYLOAD_FIELDS). */
  readonly num: Record<string, Float64Array> = {};
  /** String payload fields by name (F1_STRING_PAYLOAD_FIELDS); '' where the event is of another type. */
  readonly str: Record<string, string[]> = {};
  /** Little-endian 32-bit halves of eventId / eventTimeNs (written without a bigint per event). */
  idWords = new Uint32Array(0);
  timeWords = new Uint32Array(0);

  constructor(capacity = 1024) {
    for (const f of F1_STRING_PAYLOAD_FIELDS) this.str[f] = [];
    this.grow(capacity);
  }

  /** Forget every event (keeps the storage). */
  clear(): void {
    this.length = 0;
    this.sessionId.length = 0;
    for (const f of F1_STRING_PAYLOAD_FIELDS) (this.str[f] as string[]).length = 0;
  }

  /** Drops events from `length` on (a message that failed half-way). */
  truncate(length: number): void {
    this.length = length;
    this.sessionId.length = length;
    for (const f of F1_STRING_PAYLOAD_FIELDS) (this.str[f] as string[]).length = length;
  }

  /** Makes room for `more` events. */
  reserve(more: number): void {
    if (this.length + more > this.capacity) this.grow(Math.max(this.length + more, this.capacity * 2));
  }

  private grow(capacity: number): void {
    const n = this.length;
    const copy = <T extends Uint8Array | Uint16Array | Float64Array | BigInt64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, n) as never);
      return b;
    };
    this.type = copy(this.type, (k) => new Uint8Array(k));
    this.carNumber = copy(this.carNumber, (k) => new Uint8Array(k));
    this.lap = copy(this.lap, (k) => new Uint16Array(k));
    this.eventId = copy(this.eventId, (k) => new BigInt64Array(k));
    this.eventTimeNs = copy(this.eventTimeNs, (k) => new BigInt64Array(k));
    this.idWords = new Uint32Array(this.eventId.buffer);
    this.timeWords = new Uint32Array(this.eventTimeNs.buffer);
    for (const f of F1_NUMERIC_PAYLOAD_FIELDS) this.num[f] = copy(this.num[f] ?? new Float64Array(0), (k) => new Float64Array(k));
    this.capacity = capacity;
  }

  /** Appends one event object (the slow path). */
  push(e: F1Event): void {
    this.reserve(1);
    const i = this.length++;
    const rec = e as unknown as Record<string, unknown>;
    this.type[i] = F1_EVENT_TYPES.indexOf(e.type);
    this.sessionId[i] = e.session_id;
    this.carNumber[i] = e.car_number;
    this.lap[i] = e.lap;
    this.eventId[i] = e.event_id;
    this.eventTimeNs[i] = e.event_time_ns;
    for (const f of F1_STRING_PAYLOAD_FIELDS) (this.str[f] as string[])[i] = '';
    for (const f of F1_PAYLOAD_FIELD_NAMES[e.type]) {
      const x = rec[f];
      if (STRING_FIELDS.has(f)) (this.str[f] as string[])[i] = x as string;
      else (this.num[f] as Float64Array)[i] = typeof x === 'boolean' ? (x ? 1 : 0) : (x as number);
    }
  }

  /** The event at `i` as decode() returns it (same fields, same key order). */
  event(i: number): F1Event {
    const type = F1_EVENT_TYPES[this.type[i] as number] as F1EventType;
    const out: Record<string, unknown> = {
      type,
      session_id: this.sessionId[i],
      car_number: this.carNumber[i],
      lap: this.lap[i],
      event_id: this.eventId[i],
      event_time_ns: this.eventTimeNs[i],
    };
    for (const f of F1_PAYLOAD_FIELD_NAMES[type]) {
      if (STRING_FIELDS.has(f)) out[f] = (this.str[f] as string[])[i];
      else if (f === 'drs_open') out[f] = (this.num[f] as Float64Array)[i] === 1;
      else out[f] = (this.num[f] as Float64Array)[i];
    }
    return out as unknown as F1Event;
  }
}

/**
 * Outcome of decodeF1Into: like decode(), a value. A message of another
 * source (a satellite schema id) is `ok` with `source: 'satellite'` and no
 * events appended, so callers can say what they refuse.
 */
export type DecodeIntoResult =
  | { readonly ok: true; readonly source: 'f1' | 'satellite'; readonly schemaId: number; readonly shape: WireShape; readonly count: number }
  | { readonly ok: false; readonly error: CodecError };

/** How often decodeF1Into fell back to decode() (tests check valid F1 input never does). Not exported from the package. */
export const slowPath = { calls: 0 };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const context = new DecodeContext();
const V1_IDS: readonly number[] = Object.values(WIRE_SCHEMA_IDS);
const READABLE: ReadonlyMap<number, WireSchema> = new Map(WIRE_SCHEMAS.filter((s) => V1_IDS.includes(s.id)).map((s) => [s.id, s]));

/**
 * Decodes one framed message, appending its F1 events to `out`. Accepts and
 * refuses exactly what decode() does, with the same CodecError; never throws.
 */
export function decodeF1Into(bytes: Uint8Array, out: F1EventColumns): DecodeIntoResult {
  const start = out.length;
  try {
    if (!(bytes instanceof Uint8Array) || !LITTLE_ENDIAN) return viaDecode(bytes, out, start);
    const schemaId = readSchemaId(bytes);
    const schema = READABLE.get(schemaId);
    if (!schema || schema.source !== 'f1') return viaDecode(bytes, out, start);
    checkPayloadLength(bytes, schemaId);
    const c = context;
    c.reset(bytes, schemaId);
    let count: number;
    if (schema.shape === 'frame') count = readF1FrameInto(c, out);
    else {
      out.reserve(1);
      readF1EventInto(c, c.root(), out, start);
      count = 1;
    }
    out.length = start + count;
    return { ok: true, source: 'f1', schemaId, shape: schema.shape, count };
  } catch {
    // Rare path: let decode() say what is wrong (the same CodecError, message and context).
    return viaDecode(bytes, out, start);
  }
}

/** decode() itself, its events appended one by one (other sources, failures, big-endian hosts). */
function viaDecode(bytes: Uint8Array, out: F1EventColumns, start: number): DecodeIntoResult {
  slowPath.calls++;
  out.truncate(start);
  const result = decode(bytes);
  if (!result.ok) return result;
  const m = result.value;
  if (m.source !== 'f1') return { ok: true, source: m.source, schemaId: m.schemaId, shape: m.shape, count: 0 };
  out.reserve(m.events.length);
  for (const e of m.events) out.push(e);
  return { ok: true, source: 'f1', schemaId: m.schemaId, shape: m.shape, count: m.events.length };
}
