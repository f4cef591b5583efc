/**
 * Reads one data file into Arrow in the table's shape: partition columns
 * materialized from `partitionValues`, columns missing from older files as
 * nulls, every column cast to the table's Arrow type (ns / ms timestamps
 * from other writers become microseconds UTC; INT96 ones are decoded exactly
 * over their whole range, see int96-columns.ts), schema order.
 */
import * as arrow from 'apache-arrow';
import { arrowToDeltaSchema } from '../schema/delta-schema.js';
import { findColumn, includesColumn, sameColumnName } from '../schema/column-names.js';
import { constantVector, nullVector } from './arrow-columns.js';
import { castVector } from './cast.js';
import { DataSchemaMismatchError } from './errors.js';
import { exactInt96Columns } from './int96-columns.js';
import { decodeParquet } from './parquet.js';
import { ParquetFormatError, readFooter } from './parquet-footer.js';
import { parsePartitionValue } from './partitions.js';

export interface ReadDataFileOptions {
  /** Full table schema, partition columns included. */
  readonly schema: arrow.Schema;
  readonly partitionColumns: readonly string[];
  readonly partitionValues: Readonly<Record<string, string | null>>;
  /** Only these columns, in schema order (default: all). */
  readonly columns?: readonly string[];
  /** For error context. */
  readonly file?: string;
}

export function readDataFile(bytes: Uint8Array, options: ReadDataFileOptions): arrow.Table {
  const wanted = options.columns
    ? options.schema.fields.filter((f) => includesColumn(options.columns ?? [], f.name))
    : options.schema.fields;
  const isPartition = (name: string): boolean => includesColumn(options.partitionColumns, name);
  const fileOptions = options.file ? { file: options.file } : {};
  const available = fileColumnNames(bytes, fileOptions).map((name) => ({ name }));
  // Only ask parquet-wasm for columns the file has (by the file's spelling); projecting an absent one fails.
  const present = wanted
    .filter((f) => !isPartition(f.name))
    .map((f) => available[findColumn(available, f.name)]?.name)
    .filter((name): name is string => name !== undefined);
  const raw = decodeParquet(bytes, {
    ...(options.columns || present.length !== available.length ? { columns: present } : {}),
    ...fileOptions,
  });
  const rows = raw.numRows;
  const deltaSchema = arrowToDeltaSchema(new arrow.Schema(wanted));
  // INT96 columns, decoded exactly (parquet-wasm's int64 nanoseconds wrap outside 1677–2262).
  const int96 = exactInt96Columns(bytes, raw, fileOptions);

  const vectors = wanted.map((field, i) => {
    if (isPartition(field.name)) {
      const deltaType = deltaSchema.fields[i]?.type ?? 'string';
      const key = Object.keys(options.partitionValues).find((k) => sameColumnName(k, field.name)) ?? field.name;
      const value = parsePartitionValue(options.partitionValues[key] ?? null, deltaType, field.name);
      return constantVector(field.type, value, rows);
    }
    const idx = findColumn(raw.schema.fields, field.name);
    const v = idx >= 0 ? (int96.get(raw.schema.fields[idx]?.name ?? '') ?? raw.getChildAt(idx)) : null;
    if (!v) {
      if (!field.nullable) {
        throw new DataSchemaMismatchError(`non-nullable column "${field.name}" is missing from the data file`, {
          ...fileOptions,
          column: field.name,
        });
      }
      return nullVector(field.type, rows);
    }
    return castVector(v as arrow.Vector, field.type);
  });

  const schema = new arrow.Schema(wanted, options.schema.metadata);
  const data = arrow.makeData({
    type: new arrow.Struct(wanted),
    length: rows,
    nullCount: 0,
    children: vectors.map((v) => v.data[0]),
  } as never);
  return new arrow.Table([new arrow.RecordBatch(schema, data as unknown as arrow.Data<arrow.Struct>)]);
}

function fileColumnNames(bytes: Uint8Array, fileOptions: { file?: string }): string[] {
  // The top-level names of the footer's leaf paths, read in JS: decoding zero rows with parquet-wasm
  // (its readSchema has no JS-side export) copies the whole file into wasm, a third of a small file's read.
  try {
    const names: string[] = [];
    for (const leaf of readFooter(bytes).leaves) {
      const top = leaf.path[0];
      if (top !== undefined && !names.includes(top)) names.push(top);
    }
    return names;
  } catch (error) {
    if (!(error instanceof ParquetFormatError)) throw error;
    // Not a footer we can read: parquet-wasm names what is wrong with the file.
    return decodeParquet(bytes, { ...fileOptions, limit: 0 }).schema.fields.map((f) => f.name);
  }
}
