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

/** UTF-8 cells: `bytesOf(i)` for repeating texts, or `textOf(i)` for texts encoded in place; null/undefined = null cell. */
function texts(field: arrow.Field, rows: Int32Array, bytesOf: ((i: number) => Uint8Array | null | undefined) | null, textOf?: (i: number) => string): arrow.Data {
  const n = rows.length;
  const v = new Validity(n);
  const offsets = new Int32Array(n + 1);
  let bytes: Uint8Array = new Uint8Array(Math.max(64, n * (textOf ? 160 : 24)));
  let at = 0;
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    if (bytesOf) {
      const b = bytesOf(i);
      if (b === null || b === undefined) v.mark(k);
      else {
        if (at + b.length > bytes.length) bytes = grow(bytes, at + b.length);
        bytes.set(b, at);
        at += b.length;
      }
    } else if (textOf) {
      const s = textOf(i);
      if (at + s.length * 3 > bytes.length) bytes = grow(bytes, at + s.length * 3);
      at += encoder.encodeInto(s, bytes.subarray(at)).written;
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

/** JSON text of a number as JSON.stringify writes it. */
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/** The payload JSON of event i: its type's fields in declaration order (as JSON.stringify of the decoded object). */
function payloadJson(c: F1EventColumns, i: number): string {
  const names = F1_PAYLOAD_FIELD_NAMES[F1_EVENT_TYPES[c.type[i] as number] as F1EventType];
  let s = '{';
  for (let f = 0; f < names.length; f++) {
    const name = names[f] as string;
    if (f > 0) s += ',';
    s += `"${name}":`;
    if (STRING_PAYLOAD.has(name)) s += JSON.stringify((c.str[name] as string[])[i]);
    else if (name === 'drs_open') s += (c.num[name] as Float64Array)[i] === 1 ? 'true' : 'false';
    else s += num((c.num[name] as Float64Array)[i] as number);
  }
  return `${s}}`;
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
      case 'session_id': return texts(field, rows, (i) => utf8(c.sessionId[i] as string));
      case 'car_number': return numbers(field, rows, c.carNumber, c.type, -1);
      case 'lap': return numbers(field, rows, c.lap, c.type, -1);
      case 'event_id': return words(field, rows, c.idWords);
      case 'event_time_ns': return words(field, rows, c.timeWords);
      case 'event_time': return bigints(field, rows, (i) => (c.eventTimeNs[i] as bigint) / 1000n);
      case 'event_type': return texts(field, rows, (i) => utf8(F1_EVENT_TYPES[c.type[i] as number] as string));
      case 'payload': return texts(field, rows, null, (i) => payloadJson(c, i));
      case 'schema_id': return ints(field, rows, (i) => ev.schemaId[i] as number);
      case 'session_date': return ints(field, rows, input.sessionDate === 'event' ? (i) => daysOf(ev.eventMs[i] as number) : (i) => {
        const s = session(i);
        return s ? sessionDay(s) : daysOf(ev.eventMs[i] as number);
      });
      case 'kafka_topic': return texts(field, rows, (i) => utf8(rec(i).topic));
      case 'kafka_partition': return ints(field, rows, (i) => rec(i).partition);
      case 'kafka_offset': return bigints(field, rows, (i) => rec(i).offset);
      case 'kafka_timestamp': return bigints(field, rows, (i) => microsOfMillis(rec(i).timestamp));
      case 'ingested_at': {
        const us = microsOfMillis(ctx.ingestedAt.getTime());
        return bigints(field, rows, () => us);
      }
      case 'session_type': return texts(field, rows, (i) => { const s = session(i); return s ? utf8(s.session_type) : null; });
      case 'track': return texts(field, rows, (i) => { const s = session(i); return s ? utf8(s.track) : null; });
      default: {
        const owner = OWNER.get(name);
        if (owner === undefined) throw new Error(`medallion bug: no F1 column ${name}`);
        if (STRING_PAYLOAD.has(name)) {
          const values = c.str[name] as string[];
          return texts(field, rows, (i) => (c.type[i] === owner ? utf8(values[i] as string) : null));
        }
        return numbers(field, rows, c.num[name] as Float64Array, c.type, owner);
      }
    }
  });
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new arrow.Table([new arrow.RecordBatch(schema, struct)]);
}
