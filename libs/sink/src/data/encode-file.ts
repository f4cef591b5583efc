/**
 * One data file of a write plan: its rows gathered from the batch's columns,
 * Delta stats computed, Parquet encoded. Pure and synchronous; it runs on
 * an encoder thread (encoder-worker.ts) or on the caller's thread.
 */
import * as arrow from 'apache-arrow';
import { SinkError } from '../errors.js';
import { takeVector } from './arrow-columns.js';
import { ParquetError } from './errors.js';
import { encodeParquet } from './parquet.js';
import { computeStats, statsJson, type DeltaStats } from './stats.js';

/** Rows of a file: positions in the batch, or a contiguous range [start, end). */
export type RowSelection = Int32Array | { readonly start: number; readonly end: number };

export interface EncodedFile {
  readonly bytes: Uint8Array;
  readonly numRecords: number;
  readonly stats: DeltaStats;
  readonly statsJson: string;
}

export interface EncodeFileOptions {
  readonly rowGroupSize: number;
  /** Path of the file, for error messages. */
  readonly file: string;
}

/** Failures are SinkErrors naming the file: anything else thrown on the way becomes a `PARQUET_WRITE_FAILED`. */
export function encodeFile(schema: arrow.Schema, columns: readonly arrow.Data[], rows: RowSelection, options: EncodeFileOptions): EncodedFile {
  try {
    return encodeRows(schema, columns, rows, options);
  } catch (error) {
    if (error instanceof SinkError) throw error;
    throw new ParquetError('PARQUET_WRITE_FAILED', `cannot write data file: ${String(error)}`, { file: options.file }, { cause: error });
  }
}

function encodeRows(schema: arrow.Schema, columns: readonly arrow.Data[], rows: RowSelection, options: EncodeFileOptions): EncodedFile {
  const table = selectRows(schema, columns, rows);
  const stats = computeStats(table, []);
  return {
    bytes: encodeParquet(table, { rowGroupSize: options.rowGroupSize, file: options.file }),
    numRecords: table.numRows,
    stats,
    statsJson: statsJson(stats),
  };
}

function selectRows(schema: arrow.Schema, columns: readonly arrow.Data[], rows: RowSelection): arrow.Table {
  if (rows instanceof Int32Array) {
    const taken = columns.map((d) => takeVector(arrow.makeVector(d), rows).data[0] as arrow.Data);
    return makeTable(schema, taken, rows.length);
  }
  const whole = columns.length > 0 && rows.start === 0 && rows.end === (columns[0] as arrow.Data).length;
  const sliced = whole ? columns : columns.map((d) => d.slice(rows.start, rows.end - rows.start));
  return makeTable(schema, sliced, rows.end - rows.start);
}

function makeTable(schema: arrow.Schema, children: readonly arrow.Data[], rows: number): arrow.Table {
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: rows, nullCount: 0, children } as never);
  return new arrow.Table([new arrow.RecordBatch(schema, data as unknown as arrow.Data<arrow.Struct>)]);
}
