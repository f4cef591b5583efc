/** Messages between the satellite source (main thread) and its CSV reader workers. */
import type { CsvRowError } from '@lakestream/sim';

export interface SatelliteFile {
  /** Index into the source's file list; rows carry it instead of the name. */
  readonly id: number;
  readonly path: string;
  readonly satellite: string;
}

export interface WorkerInput {
  readonly files: readonly SatelliteFile[];
  /** Per-satellite random sleep between events; undefined = none. */
  readonly sleep: { readonly minMs: number; readonly maxMs: number } | undefined;
  readonly seed: number;
  /** Rows the worker may send before the main thread grants more (flow control). */
  readonly initialCredit: number;
  /** Rows per message at most. */
  readonly chunkRows: number;
}

/** Values per row, in SATELLITE_CSV_COLUMNS order. */
export const ROW_WIDTH = 6;

export type WorkerMessage =
  /** `ids[i]` is the file of row i; its values are `values[i*6 .. i*6+5]`. Buffers are transferred. */
  | { readonly type: 'rows'; readonly ids: Int32Array; readonly values: Float64Array }
  | { readonly type: 'bad-row'; readonly error: CsvRowError }
  | { readonly type: 'file-done'; readonly id: number; readonly rows: number; readonly badRows: number }
  | { readonly type: 'failed'; readonly path: string; readonly message: string }
  | { readonly type: 'done' };

export type MainMessage = { readonly type: 'credit'; readonly rows: number } | { readonly type: 'stop' };
