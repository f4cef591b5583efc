/**
 * F1 Arrow tables straight from the decoded columns (codec F1EventColumns):
 * one typed loop per column over the table's rows, no event objects, no
 * per-cell getters. Text cells that repeat (session ids, event types, topics,
 * session context, enum payloads) are UTF-8 encoded once per distinct value.
 */
import { F1_PAYLOAD_FIELD_NAMES, F1_STRING_PAYLOAD_FIELDS, type F1EventColumns } from '@lakestream/codec';
import { F1_EVENT_TYPES, type F1EventType, type F1Session } from '@lakestream/schema';
import * as arrow from 'apache-arrow';
import { daysOf, microsOfMillis } from './columns.js';
import type { EventRows } from './pipeline.js';
import type { SourceRecord, TransformContext } from './types.js';

const encoder = new TextEncoder();
const STRING_PAYLOAD: ReadonlySet<string> = new Set(F1_STRING_PAYLOAD_FIELDS);
/** Payload field → index of its event type in F1_EVENT_TYPES. */
const OWNER: ReadonlyMap<string, number> = new Map(F1_EVENT_TYPES.flatMap((t, k) => F1_PAYLOAD_FIELD_NAMES[t].map((f) => [f, k] as const)));

/** UTF-8 of short repeating texts, by value (bounded: cleared when full). */
const utf8Cache = new Map<string, Uint8Array>();
function utf8(s: string): Uint8Array {
  let b = utf8Cache.get(s);
  if (b === undefined) {
    if (utf8Cache.size >= 4096) utf8Cache.clear();
    utf8Cache.set(s, (b = encoder.encode(s)));
  }
  return b;
}

/** Null bitmap built lazily (all valid until the first null). */
class Validity {
  bits: Uint8Array | null = null;
  nulls = 0;
  constructor(private readonly n: number) {}
  mark(k: number): void {
    if (!this.bits) this.bits = new Uint8Array(Math.ceil(this.n / 8)).fill(0xff);
    this.bits[k >> 3] = (this.bits[k >> 3] as number) & ~(1 << (k & 7));
    this.nulls++;
  }
}

function data(type: arrow.DataType, n: number, v: Validity, props: Record<string, unknown>): arrow.Data {
  // makeData's overloads are per type; the props passed match `type` by construction.
  return arrow.makeData({ type, length: n, nullCount: v.nulls, nullBitmap: v.bits, ...props } as never) as arrow.Data;
}

/** Numbers per event → the field's type; rows whose event type is not `owner` (when ≥ 0) are null. */
function numbers(field: arrow.Field, rows: Int32Array, src: ArrayLike<number>, types: Uint8Array, owner: number): arrow.Data {
  const n = rows.length;
  const type = field.type as arrow.DataType;
  const v = new Validity(n);
  if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array(Math.ceil(n / 8));
    for (let k = 0; k < n; k++) {
      const i = rows[k] as number;
      if (owner >= 0 && types[i] !== owner) v.mark(k);
      else if (src[i]) bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
    }
    return data(type, n, v, { data: bits });
  }
  const values = new (type.ArrayType as new (n: number) => Float64Array | Int32Array | Int16Array | Int8Array)(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    if (owner >= 0 && types[i] !== owner) v.mark(k);
    else values[k] = src[i] as number;
  }
  return data(type, n, v, { data: values });
}

/** int64 per event from its 32-bit little-endian words (no bigint per cell). */
function words(field: arrow.Field, rows: Int32Array, src: Uint32Array): arrow.Data {
  const n = rows.length;
  const out = new Uint32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    out[2 * k] = src[2 * i] as number;
    out[2 * k + 1] = src[2 * i + 1] as number;
  }
  return data(field.type as arrow.DataType, n, new Validity(n), { data: new BigInt64Array(out.buffer) });
}

function bigints(field: arrow.Field, rows: Int32Array, get: (i: number) => bigint): arrow.Data {
  const n = rows.length;
  const out = new BigInt64Array(n);
  for (let k = 0; k < n; k++) out[k] = get(rows[k] as number);
  return data(field.type as arrow.DataType, n, new Validity(n), { data: out });
}

function ints(field: arrow.Field, rows: Int32Array, get: (i: number) => number): arrow.Data {
  const n = rows.length;
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = get(rows[k] as number);
  return data(field.type as arrow.DataType, n, new Validity(n), { data: out });
}

/** UTF-8 cells of repeating texts `textOf(i)` (encoded once per value; the last value memoized); null = null cell. */
function texts(field: arrow.Field, rows: Int32Array, textOf: (i: number) => string | null | undefined): arrow.Data {
  const n = rows.length;
  const v = new Validity(n);
  const offsets = new Int32Array(n + 1);
  let bytes: Uint8Array = new Uint8Array(Math.max(64, n * 24));
  let last: string | null | undefined = null;
  let lastBytes: Uint8Array | null = null;
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    const s = textOf(i);
    if (s !== last) {
      last = s;
      lastBytes = s === null || s === undefined ? null : utf8(s);
    }
    const b = lastBytes;
    if (b === null) v.mark(k);
    else {
      if (at + b.length > bytes.length) bytes = grow(bytes, at + b.length);
      for (let x = 0; x < b.length; x++) bytes[at + x] = b[x] as number;
      at += b.length;
    }
    offsets[k + 1] = at;
  }
  return data(field.type as arrow.DataType, n, v, { valueOffsets: offsets, data: bytes.subarray(0, at) });
}

function grow(bytes: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, bytes.length * 2));
  next.set(bytes);
  return next;
}

/** Per event type: the UTF-8 of `{"name":` / `,"name":` before each payload field. */
const KEY_BYTES: readonly (readonly Uint8Array[])[] = F1_EVENT_TYPES.map((t) => F1_PAYLOAD_FIELD_NAMES[t].map((name, f) => encoder.encode(`${f === 0 ? '{' : ','}${JSON.stringify(name)}:`)));
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE = 0x5d;
const BRACE = 0x7d;

/**
 * The bronze `payload` column: per event, the JSON of its type's payload
 * fields in declaration order, byte for byte what JSON.stringify writes for
 * the decoded event's payload object. Number → text is the costly part
 * (shortest round-trip doubles), so every value of the column goes through
 * ONE JSON.stringify of a flat array; the values' texts are then cut out of
 * its UTF-8 (strings by their quotes, other values by the next `,` or `]`)
 * and framed with each field's key.
 */
function payloads(field: arrow.Field, rows: Int32Array, c: F1EventColumns): arrow.Data {
  const n = rows.length;
  const values: (number | string | boolean)[] = [];
  let keyBytes = 0;
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    const t = c.type[i] as number;
    const names = F1_PAYLOAD_FIELD_NAMES[F1_EVENT_TYPES[t] as F1EventType];
    for (let f = 0; f < names.length; f++) {
      const name = names[f] as string;
      if (STRING_PAYLOAD.has(name)) values.push((c.str[name] as string[])[i] as string);
      else if (name === 'drs_open') values.push((c.num[name] as Float64Array)[i] === 1);
      else values.push((c.num[name] as Float64Array)[i] as number);
      keyBytes += (KEY_BYTES[t]?.[f] as Uint8Array).length;
    }
  }
  const src = encoder.encode(JSON.stringify(values));
  const out = new Uint8Array(src.length + keyBytes + n);
  const offsets = new Int32Array(n + 1);
  let at = 0;
  let p = 1; // past '['
  for (let k = 0; k < n; k++) {
    const keys = KEY_BYTES[c.type[rows[k] as number] as number] as readonly Uint8Array[];
    for (let f = 0; f < keys.length; f++) {
      const key = keys[f] as Uint8Array;
      out.set(key, at);
      at += key.length;
      let q = p;
      if (src[p] === QUOTE) {
        q++;
        while (src[q] !== QUOTE) q += src[q] === BACKSLASH ? 2 : 1;
        q++;
      } else while (src[q] !== COMMA && src[q] !== CLOSE) q++;
      for (let b = p; b < q; b++) out[at++] = src[b] as number;
      p = q + 1;
    }
    out[at++] = BRACE;
    offsets[k + 1] = at;
  }
  return data(field.type as arrow.DataType, n, new Validity(n), { valueOffsets: offsets, data: out.subarray(0, at) });
}

const sessionDays = new Map<string, number>();
function sessionDay(s: F1Session): number {
  let d = sessionDays.get(s.session_date);
  if (d === undefined) sessionDays.set(s.session_date, (d = daysOf(Date.parse(`${s.session_date}T00:00:00Z`))));
  return d;
}

export interface F1TableInput {
  readonly c: F1EventColumns;
  readonly ev: EventRows;
  readonly records: readonly SourceRecord[];
  readonly ctx: TransformContext;
  /** `session_date`: bronze = day of the event time; silver = the session's date when known. */
  readonly sessionDate: 'event' | 'session';
}

/** A table of `schema` over events `rows`. */
export function f1Table(schema: arrow.Schema, rows: Int32Array, input: F1TableInput): arrow.Table {
  const { c, ev, records, ctx } = input;
  const rec = (i: number): SourceRecord => records[ev.record[i] as number] as SourceRecord;
  const session = (i: number): F1Session | undefined => ctx.sessions?.get(c.sessionId[i] as string);
  const children = schema.fields.map((field): arrow.Data => {
    const name = field.name;
    switch (name) {
      case 'session_id': return texts(field, rows, (i) => c.sessionId[i]);
      case 'car_number': return numbers(field, rows, c.carNumber, c.type, -1);
      case 'lap': return numbers(field, rows, c.lap, c.type, -1);
      case 'event_id': return words(field, rows, c.idWords);
      case 'event_time_ns': return words(field, rows, c.timeWords);
      case 'event_time': return bigints(field, rows, (i) => (c.eventTimeNs[i] as bigint) / 1000n);
      case 'event_type': return texts(field, rows, (i) => F1_EVENT_TYPES[c.type[i] as number]);
      case 'payload': return payloads(field, rows, c);
      case 'schema_id': return ints(field, rows, (i) => ev.schemaId[i] as number);
      case 'session_date': return ints(field, rows, input.sessionDate === 'event' ? (i) => daysOf(ev.eventMs[i] as number) : (i) => {
        const s = session(i);
        return s ? sessionDay(s) : daysOf(ev.eventMs[i] as number);
      });
      case 'kafka_topic': return texts(field, rows, (i) => rec(i).topic);
      case 'kafka_partition': return ints(field, rows, (i) => rec(i).partition);
      case 'kafka_offset': return bigints(field, rows, (i) => rec(i).offset);
      case 'kafka_timestamp': return bigints(field, rows, (i) => microsOfMillis(rec(i).timestamp));
      case 'ingested_at': {
        const us = microsOfMillis(ctx.ingestedAt.getTime());
        return bigints(field, rows, () => us);
      }
      case 'session_type': return texts(field, rows, (i) => session(i)?.session_type);
      case 'track': return texts(field, rows, (i) => session(i)?.track);
      default: {
        const owner = OWNER.get(name);
        if (owner === undefined) throw new Error(`medallion bug: no F1 column ${name}`);
        if (STRING_PAYLOAD.has(name)) {
          const values = c.str[name] as string[];
          return texts(field, rows, (i) => (c.type[i] === owner ? values[i] : null));
        }
        return numbers(field, rows, c.num[name] as Float64Array, c.type, owner);
      }
    }
  });
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new arrow.Table([new arrow.RecordBatch(schema, struct)]);
}
