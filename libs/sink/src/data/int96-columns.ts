/**
 * INT96 timestamps (Spark's and Hive's default) read exactly. parquet-wasm
 * returns them as int64 nanoseconds, which wraps outside 1677–2262; so for a
 * file that has INT96 columns the footer is read here and:
 *
 * - a top-level INT96 column is decoded from its column chunks (see
 *   parquet-int96.ts) into exact microseconds, replacing parquet-wasm's;
 * - an INT96 leaf inside a struct/list/map is checked value by value: if any
 *   lies outside what int64 nanoseconds hold, the read fails with a typed
 *   error (never a wrong date);
 * - files Spark wrote with the legacy (Julian) calendar for INT96 are refused
 *   when a value falls before 1582-10-15, where that calendar differs.
 */
import * as arrow from 'apache-arrow';
import { ParquetError } from './errors.js';
import { ParquetFormatError, PhysicalType, readFooter, type LeafColumn, type ParquetFooter } from './parquet-footer.js';
import { decodeInt96Chunk } from './parquet-int96.js';

/** Microseconds that int64 nanoseconds can hold (1677-09-21 … 2262-04-11), with a margin of one. */
const NS_SAFE_MIN = -(2n ** 63n) / 1000n + 1n;
const NS_SAFE_MAX = (2n ** 63n - 1n) / 1000n - 1n;
/** 1582-10-15T00:00:00Z: before it, Spark's legacy INT96 calendar (Julian) differs from the proleptic Gregorian one. */
const GREGORIAN_START = -12_219_292_800_000_000n;

/**
 * Exact vectors for the top-level INT96 columns of a decoded file (by column
 * name), after checking its nested INT96 leaves; empty when the file has none.
 * `raw` is what parquet-wasm decoded (its columns tell which were read).
 */
export function exactInt96Columns(bytes: Uint8Array, raw: arrow.Table, context: { file?: string }): Map<string, arrow.Vector> {
  const out = new Map<string, arrow.Vector>();
  // parquet-wasm maps INT96 to nanosecond timestamps: no such column, no INT96 (and no footer to read).
  if (!raw.schema.fields.some((f) => hasNanos(f.type))) return out;
  const fail = (column: string, message: string, cause?: unknown): never => {
    throw new ParquetError('PARQUET_READ_FAILED', `INT96 column "${column}": ${message}`, { ...context, column }, cause === undefined ? undefined : { cause });
  };
  let footer: ParquetFooter;
  try {
    footer = readFooter(bytes);
  } catch (error) {
    if (error instanceof ParquetFormatError) return fail('?', error.message, error);
    throw error;
  }
  const read = new Set(raw.schema.fields.map((f) => f.name));
  const legacy = isLegacyCalendar(footer.metadata);
  footer.leaves.forEach((leaf, index) => {
    if (leaf.physicalType !== PhysicalType.INT96 || !read.has(leaf.path[0] ?? '')) return;
    const column = leaf.path.join('.');
    try {
      const chunks = footer.rowGroups.map((rg) => {
        const chunk = rg.columns[index];
        if (!chunk) throw new ParquetFormatError('a row group lacks the column');
        return decodeInt96Chunk(bytes, chunk, leaf);
      });
      for (const chunk of chunks) {
        for (const m of chunk.micros) {
          if (legacy && m < GREGORIAN_START) fail(column, 'written by Spark in the legacy (Julian) calendar with values before 1582-10-15, which would need rebasing (not supported)');
        }
      }
      if (leaf.path.length === 1 && leaf.maxRepetitionLevel === 0) {
        out.set(leaf.path[0] as string, topLevelVector(chunks, leaf, raw.numRows));
        return;
      }
      for (const chunk of chunks) {
        for (const m of chunk.micros) {
          if (m < NS_SAFE_MIN || m > NS_SAFE_MAX) fail(column, `value ${m} µs is outside 1677-09-21…2262-04-11, which nested INT96 columns are read in (not supported)`);
        }
      }
    } catch (error) {
      if (error instanceof ParquetFormatError) fail(column, error.message, error);
      throw error;
    }
  });
  return out;
}

function hasNanos(type: arrow.DataType): boolean {
  if (arrow.DataType.isTimestamp(type)) return type.unit === arrow.TimeUnit.NANOSECOND;
  return (type.children ?? []).some((c) => hasNanos(c.type));
}

/** Spark < 3 or `org.apache.spark.legacyINT96`: INT96 written in the hybrid Julian/Gregorian calendar. */
function isLegacyCalendar(metadata: ReadonlyMap<string, string>): boolean {
  if (metadata.has('org.apache.spark.legacyINT96')) return true;
  const version = metadata.get('org.apache.spark.version');
  return version !== undefined && Number.parseInt(version, 10) < 3;
}

function topLevelVector(chunks: ReturnType<typeof decodeInt96Chunk>[], leaf: LeafColumn, rows: number): arrow.Vector {
  const total = chunks.reduce((n, c) => n + c.definitionLevels.length, 0);
  if (total !== rows) throw new ParquetFormatError(`column chunks hold ${total} values, the file ${rows} rows`);
  const values = new BigInt64Array(rows);
  const validity = new Uint8Array((rows + 7) >> 3);
  let row = 0;
  let nulls = 0;
  for (const chunk of chunks) {
    let v = 0;
    for (const d of chunk.definitionLevels) {
      if (d === leaf.maxDefinitionLevel) {
        values[row] = chunk.micros[v++] as bigint;
        validity[row >> 3] = (validity[row >> 3] as number) | (1 << (row & 7));
      } else {
        nulls++;
      }
      row++;
    }
  }
  const type = new arrow.TimestampMicrosecond();
  return arrow.makeVector(arrow.makeData({ type, length: rows, nullCount: nulls, nullBitmap: nulls > 0 ? validity : null, data: values }));
}
