/**
 * The data files of a write: cast to the table schema, split by partition
 * values and target size (`planWrite`, on the caller's thread), then each
 * file gathered, given its stats and Parquet-encoded (`encodeDataFiles`, on
 * the encoder threads). The caller stores `bytes` at `relativePath` and
 * logs `logPath` in `add.path`.
 */
import { availableParallelism } from 'node:os';
import * as arrow from 'apache-arrow';
import { deltaToArrowSchema, schemaToString, type DeltaStructType } from '../schema/delta-schema.js';
import { includesColumn, findColumn } from '../schema/column-names.js';
import { nullVector } from './arrow-columns.js';
import { castVector } from './cast.js';
import { packColumns } from './column-pack.js';
import { encodeFile, type EncodedFile, type RowSelection } from './encode-file.js';
import { sharedEncoderPool } from './encoder-pool.js';
import { DataSchemaMismatchError } from './errors.js';
import { groupByPartition } from './partition-groups.js';
import { encodeLogPath, partitionDirectory } from './partitions.js';
import type { DeltaStats } from './stats.js';

export interface DataFile {
  /** Path relative to the table root, not URI-encoded: where to store `bytes`. */
  readonly relativePath: string;
  /** `relativePath` URI-encoded, for `add.path`. */
  readonly logPath: string;
  readonly bytes: Uint8Array;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly numRecords: number;
  readonly stats: DeltaStats;
  /** `statsJson(stats)`, ready for `add.stats`. */
  readonly statsJson: string;
  /** `options.now()` when the file was planned (for `add.modificationTime`). */
  readonly modificationTime: number;
}

export interface PlanDataFilesOptions {
  readonly partitionColumns: readonly string[];
  /** Table schema (after any merge); data columns are cast to its Arrow types. */
  readonly schema: DeltaStructType;
  /** Bytes of in-memory Arrow data per file before splitting (default 128 MiB). */
  readonly targetFileSize?: number;
  /** Max rows per Parquet row group (default 131,072). */
  readonly rowGroupSize?: number;
  readonly now?: () => number;
  readonly fileId?: () => string;
}

export interface EncodeDataFilesOptions extends PlanDataFilesOptions {
  /**
   * Threads that encode files (0: the caller's thread). Default: one per
   * core up to 4, and the caller's thread for writes under 2,048 rows.
   */
  readonly encoderThreads?: number;
  /** Sees each file as soon as it is encoded (any order), e.g. to store it while others encode. */
  readonly onFile?: (file: DataFile) => void;
}

export const DEFAULT_TARGET_FILE_SIZE = 128 * 1024 * 1024;
export const DEFAULT_ROW_GROUP_SIZE = 128 * 1024;
/** Below this many rows a write encodes on the caller's thread unless threads are asked for. */
const MIN_ROWS_FOR_THREADS = 2048;

export function defaultEncoderThreads(): number {
  const cores = availableParallelism();
  return cores < 2 ? 0 : Math.min(4, cores);
}

export interface FilePlan {
  readonly relativePath: string;
  readonly logPath: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  /** The file holds rows `order[start .. end)` of the batch (rows start..end without an order). */
  readonly start: number;
  readonly end: number;
  readonly modificationTime: number;
}

export interface WritePlan {
  /** The data columns (table schema minus partition columns). */
  readonly schema: arrow.Schema;
  /** One single-chunk column per `schema` field, cast to its type. */
  readonly columns: readonly arrow.Data[];
  readonly files: readonly FilePlan[];
  /** The batch's rows grouped by partition; undefined: row order. */
  readonly order: Int32Array | undefined;
  readonly rowGroupSize: number;
  readonly numRows: number;
}

/** Casts, groups by partition and splits by target size; encodes nothing. */
export function planWrite(table: arrow.Table, options: PlanDataFilesOptions): WritePlan {
  const target = deltaToArrowSchema(options.schema);
  const partitionColumns = options.partitionColumns;
  const conformed = conformColumns(table, target);
  const now = options.now ?? Date.now;
  const fileId = options.fileId ?? (() => globalThis.crypto.randomUUID());
  const targetFileSize = Math.max(1, options.targetFileSize ?? DEFAULT_TARGET_FILE_SIZE);
  const rowGroupSize = Math.max(1, options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE);

  const dataFields = target.fields.filter((f) => !includesColumn(partitionColumns, f.name));
  const schema = new arrow.Schema(dataFields, target.metadata);
  const columns = dataFields.map((f) => (conformed.get(f.name) as arrow.Vector).data[0] as arrow.Data);
  const numRows = table.numRows;
  const bytesPerRow = numRows === 0 ? 1 : Math.max(1, rowBytes(columns) / numRows);
  const rowsPerFile = Math.max(1, Math.floor(targetFileSize / bytesPerRow));
  const files: FilePlan[] = [];
  let counter = 0;
  const { groups, order } = groupByPartition(conformed, target, partitionColumns, numRows);
  for (const group of groups) {
    const dir = partitionDirectory(partitionColumns, group.values);
    for (let at = 0; at < group.count || (group.count === 0 && at === 0); at += rowsPerFile) {
      const relativePath = `${dir}part-${String(counter++).padStart(5, '0')}-${fileId()}.c000.snappy.parquet`;
      files.push({
        relativePath,
        logPath: encodeLogPath(relativePath),
        partitionValues: { ...group.values },
        start: group.start + at,
        end: group.start + Math.min(group.count, at + rowsPerFile),
        modificationTime: now(),
      });
      if (group.count === 0) break;
    }
  }
  return { schema, columns, files, order, rowGroupSize, numRows };
}

/**
 * Starts the process's encoder threads ahead of the first write that uses
 * them (each compiles parquet-wasm when it starts: a few hundred ms that would
 * otherwise land on the first large commit). Nothing to do on one core.
 */
export async function warmEncoderThreads(threads: number = defaultEncoderThreads()): Promise<void> {
  if (threads > 0) await sharedEncoderPool(threads).warm();
}

/** `planWrite`, then every file encoded (on encoder threads when it pays). */
export async function encodeDataFiles(table: arrow.Table, options: EncodeDataFilesOptions): Promise<DataFile[]> {
  const plan = planWrite(table, options);
  const threads = options.encoderThreads ?? (plan.numRows < MIN_ROWS_FOR_THREADS ? 0 : defaultEncoderThreads());
  const done = (index: number, encoded: EncodedFile): DataFile => {
    const f = plan.files[index] as FilePlan;
    const file: DataFile = { relativePath: f.relativePath, logPath: f.logPath, partitionValues: f.partitionValues, modificationTime: f.modificationTime, ...encoded };
    options.onFile?.(file);
    return file;
  };
  // The pool gets the columns packed in partition order, so every file is a range of rows.
  const packed = threads > 0 && plan.files.length > 0 ? packColumns(plan.columns, plan.order) : undefined;
  if (!packed) {
    return plan.files.map((f, i) => {
      const rows: RowSelection = plan.order ? plan.order.subarray(f.start, f.end) : { start: f.start, end: f.end };
      return done(i, encodeFile(plan.schema, plan.columns, rows, { rowGroupSize: plan.rowGroupSize, file: f.relativePath }));
    });
  }
  const schemaJson = schemaToString({ type: 'struct', fields: options.schema.fields.filter((f) => !includesColumn(options.partitionColumns, f.name)) });
  const out: DataFile[] = new Array(plan.files.length);
  await sharedEncoderPool(threads).encode(
    schemaJson,
    packed,
    plan.files.map((f) => ({ rows: { start: f.start, end: f.end }, file: f.relativePath })),
    plan.rowGroupSize,
    (index, encoded) => (out[index] = done(index, encoded)),
  );
  return out;
}

/** Each target column (names resolved case-insensitively), cast to its target type as one chunk; missing nullable columns become nulls. */
function conformColumns(table: arrow.Table, target: arrow.Schema): Map<string, arrow.Vector> {
  const out = new Map<string, arrow.Vector>();
  const missing: string[] = [];
  for (const field of target.fields) {
    const idx = findColumn(table.schema.fields, field.name);
    const vector = idx >= 0 ? table.getChildAt(idx) : null;
    if (!vector) {
      if (!field.nullable) missing.push(field.name);
      out.set(field.name, nullVector(field.type, table.numRows));
      continue;
    }
    if (!field.nullable && vector.nullCount > 0) {
      throw new DataSchemaMismatchError(`column "${field.name}" is not nullable but has ${vector.nullCount} null values`, {
        column: field.name,
      });
    }
    out.set(field.name, castVector(vector as arrow.Vector, field.type));
  }
  if (missing.length > 0) {
    throw new DataSchemaMismatchError(`non-nullable columns missing from the data: ${missing.join(', ')}`, {
      column: missing[0],
      columns: missing,
    });
  }
  return out;
}

/** In-memory bytes of the rows of single-chunk columns (slices count only their own rows). */
function rowBytes(columns: readonly arrow.Data[]): number {
  let total = 0;
  const visit = (d: arrow.Data): void => {
    const offsets = d.valueOffsets as Int32Array | undefined;
    if (offsets instanceof Int32Array) total += 4 * (d.length + 1) + ((offsets[d.length] ?? 0) - (offsets[0] ?? 0));
    else if (d.values) total += arrow.DataType.isBool(d.type) ? Math.ceil(d.length / 8) : d.length * d.stride * (d.values as Uint8Array).BYTES_PER_ELEMENT;
    if (d.nullCount > 0) total += Math.ceil(d.length / 8);
    for (const c of d.children) visit(c);
  };
  for (const d of columns) visit(d);
  return total;
}

/** In-memory bytes of the table's rows: a cheap proxy for the Parquet size. */
export function estimateBytes(table: arrow.Table): number {
  return rowBytes(table.batches.flatMap((b) => b.data.children));
}
