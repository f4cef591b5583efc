/** The F1 transform: `f1-telemetry` records → bronze/telemetry_events, silver/telemetry_enriched, quarantine/f1, enriched re-stream. */
import { encodeF1Event } from '@lakestream/codec';
import { f1EventSuite, type Suite } from '@lakestream/quality';
import { F1_COMMON_FIELDS, F1_EVENT_TYPES, F1_PAYLOAD_FIELDS, TABLES, type F1Event, type F1EventType, type F1Session } from '@lakestream/schema';
import { Schema, type Field } from 'apache-arrow';
import { buildTable, daysOf, microsOfMillis, microsOfNanos, type Getter } from './columns.js';
import { runTransform, type EventRows, type SourceSpec, type ValidationGroup } from './pipeline.js';
import type { SourceRecord, TransformContext, TransformResult } from './types.js';

/** Dedup key columns of F1 silver (`DedupIndex.seed`). */
export const F1_KEY_COLUMNS = ['session_id', 'car_number', 'event_id'] as const;

const COMMON = Object.keys(F1_COMMON_FIELDS) as (keyof typeof F1_COMMON_FIELDS)[];
const PAYLOAD: Record<F1EventType, readonly string[]> = Object.fromEntries(F1_EVENT_TYPES.map((t) => [t, Object.keys(F1_PAYLOAD_FIELDS[t])])) as Record<F1EventType, string[]>;
const PAYLOAD_TYPE_OF: ReadonlyMap<string, F1EventType> = new Map(F1_EVENT_TYPES.flatMap((t) => PAYLOAD[t].map((f) => [f, t] as const)));

const suites = new Map<F1EventType, Suite>();
const suiteOf = (type: F1EventType): Suite => {
  let s = suites.get(type);
  if (!s) suites.set(type, (s = f1EventSuite(type)));
  return s;
};

/** Per event type: common fields, event_type and that type's payload fields, typed as in silver. */
const silverField = (name: string): Field => TABLES.f1Silver.schema.fields.find((f) => f.name === name) as Field;
const TYPE_SCHEMAS: ReadonlyMap<F1EventType, Schema> = new Map(
  F1_EVENT_TYPES.map((t) => [t, new Schema([...COMMON, 'event_type', ...PAYLOAD[t]].map(silverField))]),
);

/** The event key text: `session_id/car_number/event_id` (what enriched messages carry as their key). */
export const f1EventKey = (e: Pick<F1Event, 'session_id' | 'car_number' | 'event_id'>): string => `${e.session_id}/${e.car_number}/${e.event_id}`;

const eventTimeMs = (e: F1Event): number => Number(e.event_time_ns / 1_000_000n);
const field = (e: F1Event, name: string): unknown => (e as unknown as Record<string, unknown>)[name];

function payloadJson(e: F1Event): string {
  const out: Record<string, unknown> = {};
  for (const name of PAYLOAD[e.type]) out[name] = field(e, name);
  return JSON.stringify(out);
}

const sessionDays = new Map<string, number>();
function sessionDay(s: F1Session): number {
  let d = sessionDays.get(s.session_date);
  if (d === undefined) sessionDays.set(s.session_date, (d = daysOf(Date.parse(`${s.session_date}T00:00:00Z`))));
  return d;
}

function getters(ev: EventRows<F1Event>, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Record<string, Getter> {
  const e = (k: number): F1Event => ev.events[rows[k] as number] as F1Event;
  const rec = (k: number): SourceRecord => records[ev.record[rows[k] as number] as number] as SourceRecord;
  const session = (k: number): F1Session | undefined => ctx.sessions?.get(e(k).session_id);
  const ingestedAtUs = microsOfMillis(ctx.ingestedAt.getTime());
  const out: Record<string, Getter> = {
    event_time: (k) => microsOfNanos(e(k).event_time_ns),
    event_type: (k) => e(k).type,
    payload: (k) => payloadJson(e(k)),
    schema_id: (k) => ev.schemaId[rows[k] as number] as number,
    kafka_topic: (k) => rec(k).topic,
    kafka_partition: (k) => rec(k).partition,
    kafka_offset: (k) => rec(k).offset,
    kafka_timestamp: (k) => microsOfMillis(rec(k).timestamp),
    ingested_at: () => ingestedAtUs,
    session_type: (k) => session(k)?.session_type,
    track: (k) => session(k)?.track,
  };
  for (const name of COMMON) out[name] = (k) => e(k)[name];
  for (const [name, type] of PAYLOAD_TYPE_OF) out[name] = (k) => (e(k).type === type ? (field(e(k), name) as number | string | boolean) : null);
  return out;
}

const spec: SourceSpec<F1Event> = {
  source: 'f1',
  accept: (d) => (d.source === 'f1' ? (d.events as F1Event[]) : `schema id ${d.schemaId} carries ${d.source} events, not F1 events`),
  key: f1EventKey,
  eventTimeMs,
  groups: (ev, records, ctx) => {
    const byType = new Map<F1EventType, number[]>();
    ev.events.forEach((e, i) => {
      const list = byType.get(e.type);
      if (list) list.push(i);
      else byType.set(e.type, [i]);
    });
    const groups: ValidationGroup[] = [];
    for (const type of F1_EVENT_TYPES) {
      const list = byType.get(type);
      if (!list) continue;
      const schema = TYPE_SCHEMAS.get(type) as Schema;
      groups.push({ suite: suiteOf(type), rows: Int32Array.from(list), table: (rows) => buildTable(schema, rows.length, getters(ev, rows, records, ctx)) });
    }
    return groups;
  },
  gate: (e, ctx) => (ctx.sessions?.has(e.session_id) ? undefined : { code: 'UNKNOWN_SESSION', reason: `session ${e.session_id} is not in f1-sessions` }),
  encodeSingle: encodeF1Event,
  bronze: (ev, rows, records, ctx) => {
    const g = getters(ev, rows, records, ctx);
    g['session_date'] = (k) => daysOf(eventTimeMs(ev.events[rows[k] as number] as F1Event));
    return buildTable(TABLES.f1Bronze.schema, rows.length, g);
  },
  silver: (ev, rows, records, ctx) => {
    const g = getters(ev, rows, records, ctx);
    g['session_date'] = (k) => {
      const e = ev.events[rows[k] as number] as F1Event;
      const s = ctx.sessions?.get(e.session_id);
      return s ? sessionDay(s) : daysOf(eventTimeMs(e));
    };
    return buildTable(TABLES.f1Silver.schema, rows.length, g);
  },
  enriched: (e, key) => ({ key: new TextEncoder().encode(key), value: encodeF1Event(e) }),
};

/**
 * One micro-batch of `f1-telemetry` records. Silver verdict: the row-local
 * `error` expectations of `f1EventSuite(type)` per event type and freshness
 * of `event_time_ns` against the record's Kafka timestamp, then the session
 * must be in `ctx.sessions`, then dedup on (session_id, car_number, event_id).
 */
export function transformF1(records: readonly SourceRecord[], ctx: TransformContext): TransformResult {
  return runTransform(records, ctx, spec);
}
