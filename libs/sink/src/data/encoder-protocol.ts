/**
 * Messages between the write path (encoder-pool.ts) and an encoder thread
 * (encoder-worker.ts). Structured-clone friendly: plain objects, typed
 * arrays, a SharedArrayBuffer; Parquet bytes come back transferred.
 */
import type { PackedColumns } from './column-pack.js';
import type { EncodedFile, RowSelection } from './encode-file.js';

export interface EncodeRequest {
  readonly id: number;
  /** Delta schema JSON of the data columns (partition columns excluded), in `columns` order. */
  readonly schemaJson: string;
  readonly packed: PackedColumns;
  readonly rowGroupSize: number;
  readonly files: readonly { readonly index: number; readonly rows: RowSelection; readonly file: string }[];
}

/** Asks a thread to answer once it has loaded (parquet-wasm compiled): start-up paid before the first write. */
export interface WarmRequest {
  readonly id: number;
  readonly warm: true;
}

export interface SerializedError {
  /** The SinkError subclass name (ParquetError, SchemaMismatchError…). */
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly context: Readonly<Record<string, unknown>>;
}

export type EncodeResponse =
  | { readonly id: number; readonly index: number; readonly file: EncodedFile }
  | { readonly id: number; readonly ready: true }
  | { readonly id: number; readonly error: SerializedError };
