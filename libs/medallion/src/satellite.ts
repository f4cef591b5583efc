/** The satellite transform: `sat-data` records → satellite-data-raw, silver/satellite_samples, quarantine/satellite. */
import { encodeSatelliteSample } from '@lakestream/codec';
import { satelliteSuite, type Suite } from '@lakestream/quality';
import { SatelliteSample, TABLES } from '@lakestream/schema';
import { buildTable, microsOfMillis, microsOfNanos, type Getter } from './columns.js';
import { runTransform, type EventRows, type SourceSpec } from './pipeline.js';
import type { SourceRecord, TransformContext, TransformResult } from './types.js';

/** Dedup key columns of satellite silver (`DedupIndex.seed`). */
export const SATELLITE_KEY_COLUMNS = ['satellite', 'timestamp_ns'] as const;

let suite: Suite | undefined;
const silverSuite = (): Suite => (suite ??= satelliteSuite());

const SAMPLE_FIELDS = Object.keys(SatelliteSample.shape) as (keyof SatelliteSample)[];

function getters(ev: EventRows<SatelliteSample>, rows: Int32Array, records: readonly SourceRecord[], ctx: TransformContext): Record<string, Getter> {
  const e = (k: number): SatelliteSample => ev.events[rows[k] as number] as SatelliteSample;
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

const spec: SourceSpec<SatelliteSample> = {
  source: 'satellite',
  accept: (d) => (d.source === 'satellite' ? (d.events as SatelliteSample[]) : `schema id ${d.schemaId} carries ${d.source} events, not satellite samples`),
  key: (e) => `${e.satellite}/${e.timestamp_ns}`,
  eventTimeMs: (e) => Number(e.timestamp_ns / 1_000_000n),
  groups: (ev, records, ctx) => {
    const all = Int32Array.from(ev.events.keys());
    return [{ suite: silverSuite(), rows: all, table: (rows) => buildTable(TABLES.satelliteSilver.schema, rows.length, getters(ev, rows, records, ctx)) }];
  },
  encodeSingle: encodeSatelliteSample,
  bronze: (ev, rows, records, ctx) => buildTable(TABLES.satelliteRaw.schema, rows.length, getters(ev, rows, records, ctx)),
  silver: (ev, rows, records, ctx) => buildTable(TABLES.satelliteSilver.schema, rows.length, getters(ev, rows, records, ctx)),
};

/**
 * One micro-batch of `sat-data` records. Silver verdict: the row-local
 * `error` expectations of `satelliteSuite()` and freshness of `timestamp_ns`
 * against the record's Kafka timestamp; dedup on (satellite, timestamp_ns).
 */
export function transformSatellite(records: readonly SourceRecord[], ctx: TransformContext): TransformResult {
  return runTransform(records, ctx, spec);
}
