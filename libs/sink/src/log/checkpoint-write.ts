import { Bool, Field, Int32, Int64, List, Map_, Struct, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';
import { withParquetMapNames } from '../data/parquet-names.js';
import type { LogStore } from '../storage/log-store.js';
import { LOG_DIR, padVersion } from './commit-file.js';
import { HOUR_MS, parseInterval } from './interval.js';
import { writeLastCheckpoint } from './last-checkpoint.js';
import type { Snapshot } from './snapshot.js';

/**
 * Classic single-file checkpoints with the column layout Spark writes
 * (PROTOCOL.md "Checkpoint Schema"): one nullable struct column per action
 * kind, one action per row, `partitionValues`/`tags`/`configuration` as
 * map<string,string> (Parquet group `key_value`, as Spark writes), `stats` as a JSON string. Spark leaves commitInfo out,
 * and so do we.
 */
const str = (name: string): Field => new Field(name, new Utf8(), true);
const long = (name: string): Field => new Field(name, new Int64(), true);
const int = (name: string): Field => new Field(name, new Int32(), true);
const bool = (name: string): Field => new Field(name, new Bool(), true);
const stringMap = (name: string): Field =>
  new Field(name, new Map_(new Field('entries', new Struct<{ key: Utf8; value: Utf8 }>([new Field('key', new Utf8(), false), new Field('value', new Utf8(), true)]), false)), true);
const stringList = (name: string): Field => new Field(name, new List(new Field('element', new Utf8(), true)), true);

function checkpointTypes(withFeatures: boolean): Record<string, Struct> {
  return {
    txn: new Struct([str('appId'), long('version'), long('lastUpdated')]),
    add: new Struct([str('path'), stringMap('partitionValues'), long('size'), long('modificationTime'), bool('dataChange'), stringMap('tags'), str('stats')]),
    remove: new Struct([str('path'), long('deletionTimestamp'), bool('dataChange'), bool('extendedFileMetadata'), stringMap('partitionValues'), long('size'), stringMap('tags')]),
    metaData: new Struct([
      str('id'), str('name'), str('description'),
      new Field('format', new Struct([str('provider'), stringMap('options')]), true),
      str('schemaString'), stringList('partitionColumns'), stringMap('configuration'), long('createdTime'),
    ]),
    protocol: new Struct(withFeatures ? [int('minReaderVersion'), int('minWriterVersion'), stringList('readerFeatures'), stringList('writerFeatures')] : [int('minReaderVersion'), int('minWriterVersion')]),
  };
}

type Row = Partial<Record<'txn' | 'add' | 'remove' | 'metaData' | 'protocol', Record<string, unknown>>>;

const big = (n: number | null | undefined): bigint | null => (n === null || n === undefined ? null : BigInt(Math.trunc(n)));
const asMap = (m: Readonly<Record<string, string | null>> | null | undefined): Map<string, string | null> | null => (m ? new Map(Object.entries(m)) : null);

const DEFAULT_TOMBSTONE_RETENTION_MS = 168 * HOUR_MS;

/** `delta.deletedFileRetentionDuration` ("interval 1 week", the default, also when not understood) in ms. */
export function tombstoneRetentionMs(configuration: Readonly<Record<string, string | null>>): number {
  return parseInterval(configuration['delta.deletedFileRetentionDuration']) ?? DEFAULT_TOMBSTONE_RETENTION_MS;
}

/**
 * One row per action of the snapshot: protocol, metaData, txns, live adds,
 * and the tombstones younger than the retention (older ones are dropped, as
 * Spark does, so checkpoints of long-lived tables stay small).
 */
export function checkpointRows(snapshot: Snapshot, now: number = Date.now()): Row[] {
  const expiry = now - tombstoneRetentionMs(snapshot.configuration);
  const { protocol: p, metadata: m } = snapshot;
  const rows: Row[] = [
    { protocol: { minReaderVersion: p.minReaderVersion, minWriterVersion: p.minWriterVersion, readerFeatures: p.readerFeatures ?? null, writerFeatures: p.writerFeatures ?? null } },
    {
      metaData: {
        id: m.id, name: m.name ?? null, description: m.description ?? null,
        format: { provider: m.format.provider, options: asMap(m.format.options ?? {}) },
        schemaString: m.schemaString, partitionColumns: m.partitionColumns, configuration: asMap(m.configuration ?? {}), createdTime: big(m.createdTime),
      },
    },
  ];
  for (const t of snapshot.appTransactions.values()) rows.push({ txn: { appId: t.appId, version: big(t.version), lastUpdated: big(t.lastUpdated) } });
  for (const a of snapshot.files.values()) {
    rows.push({ add: { path: a.path, partitionValues: asMap(a.partitionValues), size: big(a.size), modificationTime: big(a.modificationTime), dataChange: false, tags: asMap(a.tags), stats: a.stats ?? null } });
  }
  for (const r of snapshot.tombstones.values()) {
    if ((r.deletionTimestamp ?? now) < expiry) continue;
    rows.push({
      remove: {
        path: r.path, deletionTimestamp: big(r.deletionTimestamp), dataChange: false, extendedFileMetadata: r.extendedFileMetadata ?? null,
        partitionValues: asMap(r.partitionValues), size: big(r.size), tags: asMap(r.tags),
      },
    });
  }
  return rows;
}

export function encodeCheckpoint(snapshot: Snapshot): { bytes: Uint8Array; rows: number; adds: number } {
  const rows = checkpointRows(snapshot);
  const withFeatures = snapshot.protocol.readerFeatures != null || snapshot.protocol.writerFeatures != null;
  const types = checkpointTypes(withFeatures);
  const columns: Record<string, Vector> = {};
  for (const [name, type] of Object.entries(types)) {
    columns[name] = vectorFromArray(rows.map((r) => r[name as keyof Row] ?? null), type as DataType);
  }
  const arrow = new Table(columns);
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(withParquetMapNames(arrow), 'stream')), props);
  return { bytes, rows: rows.length, adds: snapshot.files.size };
}

/** Write `<v>.checkpoint.parquet`, then point `_last_checkpoint` at it. */
export async function writeCheckpoint(store: LogStore, snapshot: Snapshot): Promise<{ path: string; rows: number }> {
  const { bytes, rows, adds } = encodeCheckpoint(snapshot);
  const path = `${LOG_DIR}/${padVersion(snapshot.version)}.checkpoint.parquet`;
  await store.write(path, bytes);
  await writeLastCheckpoint(store, { version: snapshot.version, size: rows, sizeInBytes: bytes.byteLength, numOfAddFiles: adds });
  return { path, rows };
}
