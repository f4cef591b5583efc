/**
 * Simulator output as the silver tables hold it, for the default-suite tests:
 * F1 events flattened into `TABLES.f1Silver` rows (session context
 * denormalized, Kafka coordinates and ingest time as the consumer would
 * stamp them) and satellite samples as `TABLES.satelliteSilver` rows. Columns
 * are built from typed arrays and null bitmaps in the schema's own types.
 */
import * as arrow from 'apache-arrow';
import { TABLES, type F1Event, type F1Session, type SatelliteSample } from '@lakestream/schema';

export type Row = Record<string, unknown>;

const PARTITIONS = 12;
const INGEST_LAG_US = 250_000n;

/** Silver rows of F1 events (one per event, in the order given). */
export function f1SilverRows(events: Iterable<F1Event>, session: F1Session): Row[] {
  const sessionDay = Math.floor(Date.parse(`${session.session_date}T00:00:00Z`) / 86_400_000);
  const offsets = new Array<bigint>(PARTITIONS).fill(0n);
  const rows: Row[] = [];
  for (const e of events) {
    const { type, ...fields } = e;
    const partition = e.car_number % PARTITIONS;
    const offset = offsets[partition] ?? 0n;
    offsets[partition] = offset + 1n;
    const eventUs = e.event_time_ns / 1000n;
    rows.push({
      ...fields,
      event_time: eventUs,
      event_type: type,
      session_type: session.session_type,
      track: session.track,
      session_date: sessionDay,
      kafka_partition: partition,
      kafka_offset: offset,
      ingested_at: eventUs + INGEST_LAG_US,
    });
  }
  return rows;
}

/** Silver rows of satellite samples, one Kafka partition per satellite name hash. */
export function satelliteSilverRows(samples: Iterable<SatelliteSample>): Row[] {
  const offsets = new Array<bigint>(PARTITIONS).fill(0n);
  const rows: Row[] = [];
  for (const s of samples) {
    const partition = Number(s.satellite.replace(/\D/g, '') || 0) % PARTITIONS;
    const offset = offsets[partition] ?? 0n;
    offsets[partition] = offset + 1n;
    const us = s.timestamp_ns / 1000n;
    rows.push({ ...s, event_time: us, kafka_timestamp: us + 1_000n, kafka_partition: partition, kafka_offset: offset, ingested_at: us + INGEST_LAG_US });
  }
  return rows;
}

export const f1SilverTable = (rows: readonly Row[]): arrow.Table => tableOf(TABLES.f1Silver.schema, rows);
export const satelliteSilverTable = (rows: readonly Row[]): arrow.Table => tableOf(TABLES.satelliteSilver.schema, rows);

/** An Arrow table of `schema` from rows (a missing or undefined cell is null). */
export function tableOf(schema: arrow.Schema, rows: readonly Row[]): arrow.Table {
  const n = rows.length;
  const columns = schema.fields.map((field) => {
    const values = rows.map((r) => r[field.name] ?? null);
    const t = field.type;
    if (arrow.DataType.isUtf8(t) || arrow.DataType.isBool(t)) return arrow.vectorFromArray(values, t).data[0] as arrow.Data;
    const Ctor = (t as { ArrayType: new (n: number) => ArrayLike<unknown> }).ArrayType as unknown as { new (n: number): Int8Array | Int16Array | Int32Array | Float64Array | BigInt64Array };
    const data = new Ctor(n);
    const bits = new Uint8Array(Math.ceil(n / 8));
    let nulls = 0;
    const big = data instanceof BigInt64Array;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null) {
        nulls++;
        continue;
      }
      bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
      if (big) (data as BigInt64Array)[i] = typeof v === 'bigint' ? v : BigInt(v as number);
      else (data as Float64Array)[i] = Number(v);
    }
    return arrow.makeData({ type: t, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bits : null, data } as never) as arrow.Data;
  });
  const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children: columns }));
  return new arrow.Table(schema, [batch]);
}
