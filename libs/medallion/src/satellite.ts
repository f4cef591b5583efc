/** The satellite transform: `sat-data` records → satellite-data-raw, silver/satellite_samples, quarantine/satellite. */
import { decode, encodeSatelliteSample, type CodecError } from '@lakestream/codec';
import { satelliteSuite, type Suite } from '@lakestream/quality';
import { SatelliteSample, TABLES } from '@lakestream/schema';
import { buildTable, microsOfMillis, microsOfNanos, type Getter } from './columns.js';
import { runTransform, type Decoded, type EventRows, type SourceSpec } from './pipeline.js';
import type { SourceRecord, TransformContext, TransformResult } from './types.js';

/** Dedup key columns of satellite silver (`DedupIndex.seed`). */
export const SATELLITE_KEY_COLUMNS = ['satellite', 'timestamp_ns'] as const;

let suite: Suite | undefined;
const silverSuite = (): Suite => (suite ??= satelliteSuite());

const SAMPLE_FIELDS = Object.keys(SatelliteSample.shape) as (keyof SatelliteSample)[];

function getters(events: readonly SatelliteSample[], ev: EventRows, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Record<string, Getter> {
  const e = (k: number): SatelliteSample => events[rows[k] as number] as SatelliteSample;
  const rec = (k: number): SourceRecord => records[ev.record[rows[k] as number] as number] as SourceRecord;
  const ingestedAtUs = microsOfMillis(ctx.ingestedAt.getTime());
  const out: Record<string, Getter> = {
    event_time: (k) => microsOfNanos(e(k).timestamp_ns),
    kafka_topic: (k) => rec(k).topic,
    kafka_partition: (k) => rec(k).partition,
    kafka_offset: (k) => rec(k).offset,
    kafka_timestamp: (k) => microsOfMillis(rec(k).timestamp),
    ingested_at: () => ingestedAtUs,
  };
  for (const name of SAMPLE_FIELDS) out[name] = (k) => e(k)[name];
  return out;
}

function decodeInto(bytes: Uint8Array, store: SatelliteSample[]): Decoded {
  const result = decode(bytes);
  if (!result.ok) return { code: (result.error as CodecError).code, reason: result.error.message };
  const d = result.value;
  if (d.source !== 'satellite') return { code: 'UNKNOWN_SCHEMA', reason: `schema id ${d.schemaId} carries ${d.source} events, not satellite samples` };
  for (const e of d.events) store.push(e);
  return { count: d.events.length, framed: d.shape === 'frame', schemaId: d.schemaId };
}

const at = (s: readonly SatelliteSample[], i: number): SatelliteSample => s[i] as SatelliteSample;

const spec: SourceSpec<SatelliteSample[]> = {
  source: 'satellite',
  store: () => [],
  decodeInto,
  key: (s, i) => `${at(s, i).satellite}/${at(s, i).timestamp_ns}`,
  eventTimeMs: (s, i) => Number(at(s, i).timestamp_ns / 1_000_000n),
  groups: (s, ev, records, ctx) => {
    const all = Int32Array.from({ length: ev.n }, (_, i) => i);
    return [{ suite: silverSuite(), rows: all, table: (rows) => buildTable(TABLES.satelliteSilver.schema, rows.length, getters(s, ev, rows, records, ctx)) }];
  },
  encodeSingle: (s, i) => encodeSatelliteSample(at(s, i)),
  bronze: (s, ev, rows, records, ctx) => buildTable(TABLES.satelliteRaw.schema, rows.length, getters(s, ev, rows, records, ctx)),
  silver: (s, ev, rows, records, ctx) => buildTable(TABLES.satelliteSilver.schema, rows.length, getters(s, ev, rows, records, ctx)),
};

/**
 * One micro-batch of `sat-data` records. Silver verdict: the row-local
 * `error` expectations of `satelliteSuite()` and freshness of `timestamp_ns`
 * against the record's Kafka timestamp; dedup on (satellite, timestamp_ns).
 */
export function transformSatellite(records: readonly SourceRecord[], ctx: TransformContext): TransformResult {
  return runTransform(records, ctx, spec);
}
