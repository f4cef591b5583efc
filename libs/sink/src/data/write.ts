/**
 * Plans the data files of a write: cast to the table schema, split by
 * partition values and target size, encode Parquet, compute stats. Pure: the
 * caller stores `bytes` at `relativePath` and logs `logPath` in `add.path`.
 */
import * as arrow from 'apache-arrow';
import { deltaToArrowSchema, type DeltaStructType } from '../schema/delta-schema.js';
import { castVector, nullVector, takeVector } from './arrow-columns.js';
import { DataSchemaMismatchError } from './errors.js';
import { encodeParquet } from './parquet.js';
import { encodeLogPath, partitionDirectory, serializePartitionValue } from './partitions.js';
import { computeStats, statsJson, type DeltaStats } from './stats.js';

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

export const DEFAULT_TARGET_FILE_SIZE = 128 * 1024 * 1024;
export const DEFAULT_ROW_GROUP_SIZE = 128 * 1024;

export function planDataFiles(table: arrow.Table, options: PlanDataFilesOptions): DataFile[] {
  const target = deltaToArrowSchema(options.schema);
  const partitionColumns = options.partitionColumns;
  const columns = conformColumns(table, target);
  const now = options.now ?? Date.now;
  const fileId = options.fileId ?? (() => globalThis.crypto.randomUUID());
  const targetFileSize = Math.max(1, options.targetFileSize ?? DEFAULT_TARGET_FILE_SIZE);
  const rowGroupSize = Math.max(1, options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE);

  const dataFields = target.fields.filter((f) => !partitionColumns.includes(f.name));
  const dataSchema = new arrow.Schema(dataFields, target.metadata);
  const files: DataFile[] = [];
  let counter = 0;

  for (const group of groupByPartition(columns, target, partitionColumns, table.numRows)) {
    const vectors = dataFields.map((f) => {
      const v = columns.get(f.name) as arrow.Vector;
      return group.indices ? takeVector(v, group.indices) : v;
    });
    const rows = group.indices ? group.indices.length : table.numRows;
    const groupTable = makeTable(dataSchema, vectors, rows);
    const bytesPerRow = rows === 0 ? 1 : Math.max(1, estimateBytes(groupTable) / rows);
    const rowsPerFile = Math.max(1, Math.floor(targetFileSize / bytesPerRow));
    const dir = partitionDirectory(partitionColumns, group.values);
    for (let start = 0; start < rows || (rows === 0 && start === 0); start += rowsPerFile) {
      const slice = rows === 0 ? groupTable : groupTable.slice(start, Math.min(rows, start + rowsPerFile));
      const relativePath = `${dir}part-${String(counter++).padStart(5, '0')}-${fileId()}.c000.snappy.parquet`;
      const bytes = encodeParquet(slice, { rowGroupSize, file: relativePath });
      const stats = computeStats(slice, []);
      files.push({
        relativePath,
        logPath: encodeLogPath(relativePath),
        bytes,
        partitionValues: { ...group.values },
        numRecords: slice.numRows,
        stats,
        statsJson: statsJson(stats),
        modificationTime: now(),
      });
      if (rows === 0) break;
    }
  }
  return files;
}

/** Each target column, cast to its target type; missing nullable columns become nulls. */
function conformColumns(table: arrow.Table, target: arrow.Schema): Map<string, arrow.Vector> {
  const out = new Map<string, arrow.Vector>();
  const missing: string[] = [];
  for (const field of target.fields) {
    const idx = table.schema.fields.findIndex((f) => f.name === field.name);
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

interface PartitionGroup {
  readonly values: Record<string, string | null>;
  /** Rows of this partition; undefined when the group is the whole table. */
  readonly indices: Int32Array | undefined;
}

function groupByPartition(
  columns: Map<string, arrow.Vector>,
  target: arrow.Schema,
  partitionColumns: readonly string[],
  numRows: number,
): PartitionGroup[] {
  if (partitionColumns.length === 0) return [{ values: {}, indices: undefined }];
  const parts = partitionColumns.map((name) => {
    const field = target.fields.find((f) => f.name === name);
    const vector = columns.get(name);
    if (!field || !vector) {
      throw new DataSchemaMismatchError(`partition column "${name}" is not in the table schema`, { column: name });
    }
    const deltaType = deltaTypeOfPartition(field.type);
    return { name, vector, deltaType };
  });
  const groups = new Map<string, { values: Record<string, string | null>; rows: number[] }>();
  // Serializing is per distinct cell (cached per column, in row order so the
  // first bad value throws where a row-by-row pass would); a row's group is
  // found from the tuple of its cells' codes.
  const caches = parts.map(() => ({ codes: new Map<unknown, number>(), serialized: [] as (string | null)[] }));
  const tupleGroups = new Map<string, { rows: number[] }>();
  const codes = new Array<number>(parts.length);
  for (let row = 0; row < numRows; row++) {
    for (let c = 0; c < parts.length; c++) {
      const p = parts[c] as (typeof parts)[number];
      const cache = caches[c] as (typeof caches)[number];
      const cell = partitionCell(p.vector, row, p.deltaType);
      const cacheable = cell === null || (typeof cell !== 'object' && typeof cell !== 'function');
      let code = cacheable ? cache.codes.get(cell) : undefined;
      if (code === undefined) {
        code = cache.serialized.length;
        cache.serialized.push(serializePartitionValue(cell, p.deltaType, p.name));
        if (cacheable) cache.codes.set(cell, code);
      }
      codes[c] = code;
    }
    const tuple = parts.length === 1 ? String(codes[0]) : codes.join(',');
    let g = tupleGroups.get(tuple);
    if (!g) {
      const serialized = parts.map((_, c) => (caches[c] as (typeof caches)[number]).serialized[codes[c] as number] ?? null);
      const key = JSON.stringify(serialized);
      let group = groups.get(key);
      if (!group) {
        const values: Record<string, string | null> = {};
        parts.forEach((p, i) => (values[p.name] = serialized[i] ?? null));
        group = { values, rows: [] };
        groups.set(key, group);
      }
      g = group;
      tupleGroups.set(tuple, g);
    }
    g.rows.push(row);
  }
  if (groups.size === 1) {
    const only = [...groups.values()][0];
    if (only) return [{ values: only.values, indices: undefined }];
  }
  return [...groups.values()].map((g) => ({ values: g.values, indices: Int32Array.from(g.rows) }));
}

function deltaTypeOfPartition(t: arrow.DataType): Parameters<typeof serializePartitionValue>[1] {
  if (arrow.DataType.isTimestamp(t)) return t.timezone ? 'timestamp' : 'timestamp_ntz';
  if (arrow.DataType.isDate(t)) return 'date';
  if (arrow.DataType.isInt(t)) return t.bitWidth === 64 ? 'long' : 'integer';
  if (arrow.DataType.isFloat(t)) return 'double';
  if (arrow.DataType.isBool(t)) return 'boolean';
  if (arrow.DataType.isBinary(t)) return 'binary';
  if (arrow.DataType.isDecimal(t)) return `decimal(${t.precision},${t.scale})`;
  return 'string';
}

/** One partition cell in the form serializePartitionValue takes (exact micros for timestamps). */
function partitionCell(vector: arrow.Vector, row: number, type: ReturnType<typeof deltaTypeOfPartition>): unknown {
  if (!vector.isValid(row)) return null;
  if ((type === 'timestamp' || type === 'timestamp_ntz') && vector.data.length === 1) {
    // Columns are cast to microseconds already; read the raw int64.
    const values = vector.data[0]?.values as BigInt64Array | undefined;
    if (values) return values[row];
  }
  if (type === 'date') return Math.floor((vector.get(row) as number) / 86_400_000);
  if (type === 'double' && arrow.DataType.isFloat(vector.type) && vector.type.precision === arrow.Precision.SINGLE) {
    return vector.get(row) as number;
  }
  return vector.get(row) as unknown;
}

function makeTable(schema: arrow.Schema, vectors: arrow.Vector[], rows: number): arrow.Table {
  const children = vectors.map((v) => v.data[0] ?? nullVector(v.type as arrow.DataType, rows).data[0]);
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: rows,
    nullCount: 0,
    children,
  } as never);
  return new arrow.Table([new arrow.RecordBatch(schema, data as unknown as arrow.Data<arrow.Struct>)]);
}

/** In-memory bytes of the table's buffers: a cheap proxy for the Parquet size. */
export function estimateBytes(table: arrow.Table): number {
  let total = 0;
  const visit = (d: arrow.Data): void => {
    total += d.values?.byteLength ?? 0;
    total += d.valueOffsets?.byteLength ?? 0;
    total += d.nullBitmap?.byteLength ?? 0;
    for (const c of d.children) visit(c);
  };
  for (const batch of table.batches) visit(batch.data);
  return total;
}
