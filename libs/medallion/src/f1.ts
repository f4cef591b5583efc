/** The F1 transform: `f1-telemetry` records → bronze/telemetry_events, silver/telemetry_enriched, quarantine/f1, enriched re-stream. */
import { decodeF1Into, encodeF1Event, encodeF1Frame, F1EventColumns, F1_PAYLOAD_FIELD_NAMES } from '@lakestream/codec';
import { f1EventSuite, type Suite } from '@lakestream/quality';
import { F1_COMMON_FIELDS, F1_EVENT_TYPES, TABLES, type F1Event, type F1EventType } from '@lakestream/schema';
import { Schema, type Field } from 'apache-arrow';
import { f1Table, type F1TableInput } from './f1-tables.js';
import { runTransform, type Decoded, type EventRows, type SourceSpec, type ValidationGroup } from './pipeline.js';
import type { EnrichedMessage, SourceRecord, TransformContext, TransformResult } from './types.js';

/** Dedup key columns of F1 silver (`DedupIndex.seed`). */
export const F1_KEY_COLUMNS = ['session_id', 'car_number', 'event_id'] as const;

const COMMON = Object.keys(F1_COMMON_FIELDS);

const suites = new Map<F1EventType, Suite>();
const suiteOf = (type: F1EventType): Suite => {
  let s = suites.get(type);
  if (!s) suites.set(type, (s = f1EventSuite(type)));
  return s;
};

/** Per event type: common fields, event_type and that type's payload fields, typed as in silver. */
const silverField = (name: string): Field => TABLES.f1Silver.schema.fields.find((f) => f.name === name) as Field;
const TYPE_SCHEMAS: readonly Schema[] = F1_EVENT_TYPES.map((t) => new Schema([...COMMON, 'event_type', ...F1_PAYLOAD_FIELD_NAMES[t]].map(silverField)));

/** The event key text: `session_id/car_number/event_id` (what enriched messages carry as their key). */
export const f1EventKey = (e: Pick<F1Event, 'session_id' | 'car_number' | 'event_id'>): string => `${e.session_id}/${e.car_number}/${e.event_id}`;

function decodeInto(bytes: Uint8Array, c: F1EventColumns): Decoded {
  const result = decodeF1Into(bytes, c);
  if (!result.ok) return { code: result.error.code, reason: result.error.message };
  if (result.source !== 'f1') return { code: 'UNKNOWN_SCHEMA', reason: `schema id ${result.schemaId} carries ${result.source} events, not F1 events` };
  return { count: result.count, framed: result.shape === 'frame', schemaId: result.schemaId };
}

const textEncoder = new TextEncoder();
/** UTF-8 of an event key: ASCII (the usual case) copied directly, anything else through TextEncoder. */
function keyBytes(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let x = 0; x < key.length; x++) {
    const ch = key.charCodeAt(x);
    if (ch >= 0x80) return textEncoder.encode(key);
    out[x] = ch;
  }
  return out;
}

/** `f1EventKey` of decoded event i, read from the columns. */
const eventKeyAt = (c: F1EventColumns, i: number): string => `${c.sessionId[i]}/${c.carNumber[i]}/${c.eventId[i]}`;

const spec: SourceSpec<F1EventColumns> = {
  source: 'f1',
  store: () => new F1EventColumns(),
  decodeInto,
  key: eventKeyAt,
  eventTimeMs: (c, i) => Number((c.eventTimeNs[i] as bigint) / 1_000_000n),
  groups: (c, ev, records, ctx) => {
    const byType: number[][] = F1_EVENT_TYPES.map(() => []);
    for (let i = 0; i < ev.n; i++) (byType[c.type[i] as number] as number[]).push(i);
    const input: F1TableInput = { c, ev, records, ctx, sessionDate: 'event' };
    const groups: ValidationGroup[] = [];
    F1_EVENT_TYPES.forEach((type, k) => {
      const list = byType[k] as number[];
      if (list.length === 0) return;
      const schema = TYPE_SCHEMAS[k] as Schema;
      groups.push({ suite: suiteOf(type), rows: Int32Array.from(list), table: (rows) => f1Table(schema, rows, input) });
    });
    return groups;
  },
  gate: (c, i, ctx) => {
    const id = c.sessionId[i] as string;
    return ctx.sessions?.has(id) ? undefined : { code: 'UNKNOWN_SESSION', reason: `session ${id} is not in f1-sessions` };
  },
  encodeSingle: (c, i) => encodeF1Event(c.event(i)),
  bronze: (c, ev, rows, records, ctx) => f1Table(TABLES.f1Bronze.schema, rows, { c, ev, records, ctx, sessionDate: 'event' }),
  silver: (c, ev, rows, records, ctx) => f1Table(TABLES.f1Silver.schema, rows, { c, ev, records, ctx, sessionDate: 'session' }),
  enriched: (c, ev, rows, records) => enrichedMessages(c, ev, rows, records),
};

/**
 * One message per input record: a single-event record's own bytes (the silver
 * event is the decoded one, unchanged), a frame re-framed with its silver events.
 * Keyed by the event key of its (first) event.
 */
function enrichedMessages(c: F1EventColumns, ev: EventRows, rows: readonly number[], records: readonly SourceRecord[]): EnrichedMessage[] {
  const out: EnrichedMessage[] = [];
  for (let k = 0; k < rows.length; ) {
    const first = rows[k] as number;
    const record = ev.record[first] as number;
    let end = k + 1;
    while (end < rows.length && ev.record[rows[end] as number] === record) end++;
    const key = keyBytes(eventKeyAt(c, first));
    const value = (records[record] as SourceRecord).value;
    if (ev.framed[first] !== true && value !== null) out.push({ key, value });
    else out.push({ key, value: encodeF1Frame(rows.slice(k, end).map((i) => c.event(i))) });
    k = end;
  }
  return out;
}

/**
 * One micro-batch of `f1-telemetry` records. Silver verdict: the row-local
 * `error` expectations of `f1EventSuite(type)` per event type and freshness
 * of `event_time_ns` against the record's Kafka timestamp, then the session
 * must be in `ctx.sessions`, then dedup on (session_id, car_number, event_id).
 * Decoded column-wise (codec `decodeF1Into`): no object per event.
 */
export function transformF1(records: readonly SourceRecord[], ctx: TransformContext): TransformResult {
  return runTransform(records, ctx, spec);
}
