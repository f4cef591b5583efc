/**
 * The rows of a batch grouped by partition values: each distinct value of a
 * partition column is serialized once (Delta's partition value text), rows
 * get a group by their tuple of value codes, and a counting sort lists the
 * rows group after group (stable within a group).
 */
import * as arrow from 'apache-arrow';
import { findColumn } from '../schema/column-names.js';
import { DataSchemaMismatchError } from './errors.js';
import { serializePartitionValue } from './partitions.js';

export interface PartitionGroup {
  /** Serialized Delta partition values, by column. */
  readonly values: Readonly<Record<string, string | null>>;
  /** This group's rows are `order[start .. start + count)`. */
  readonly start: number;
  readonly count: number;
}

export interface PartitionGroups {
  readonly groups: readonly PartitionGroup[];
  /** The batch's rows, group after group; undefined when there is one group in row order. */
  readonly order: Int32Array | undefined;
}

type PartitionType = Parameters<typeof serializePartitionValue>[1];

export function groupByPartition(
  columns: ReadonlyMap<string, arrow.Vector>,
  target: arrow.Schema,
  partitionColumns: readonly string[],
  numRows: number,
): PartitionGroups {
  if (partitionColumns.length === 0) return { groups: [{ values: {}, start: 0, count: numRows }], order: undefined };
  const coded = partitionColumns.map((name) => {
    const field = target.fields[findColumn(target.fields, name)];
    const vector = field && columns.get(field.name);
    if (!field || !vector) throw new DataSchemaMismatchError(`partition column "${name}" is not in the table schema`, { column: name });
    return { name, ...valueCodes(vector, deltaTypeOfPartition(field.type), name, numRows) };
  });

  // Row → group: the tuple of codes (mixed radix), groups deduplicated by their serialized values.
  const groupOf = new Int32Array(numRows);
  const byTuple = new Map<number | string, number>();
  const byValues = new Map<string, number>();
  const groupValues: Record<string, string | null>[] = [];
  const radixFits = coded.reduce((p, c) => p * Math.max(1, c.serialized.length), 1) <= Number.MAX_SAFE_INTEGER;
  for (let row = 0; row < numRows; row++) {
    let tuple: number | string = 0;
    if (radixFits) {
      for (const c of coded) tuple = (tuple as number) * c.serialized.length + (c.codes[row] as number);
    } else {
      tuple = coded.map((c) => c.codes[row]).join(',');
    }
    let g = byTuple.get(tuple);
    if (g === undefined) {
      const values: Record<string, string | null> = {};
      for (const c of coded) values[c.name] = c.serialized[c.codes[row] as number] ?? null;
      const key = JSON.stringify(coded.map((c) => values[c.name]));
      g = byValues.get(key);
      if (g === undefined) {
        g = groupValues.length;
        groupValues.push(values);
        byValues.set(key, g);
      }
      byTuple.set(tuple, g);
    }
    groupOf[row] = g;
  }
  if (groupValues.length === 1) return { groups: [{ values: groupValues[0] as Record<string, string | null>, start: 0, count: numRows }], order: undefined };

  const counts = new Int32Array(groupValues.length);
  for (let row = 0; row < numRows; row++) counts[groupOf[row] as number] = (counts[groupOf[row] as number] as number) + 1;
  const next = new Int32Array(groupValues.length);
  const groups: PartitionGroup[] = [];
  let at = 0;
  groupValues.forEach((values, g) => {
    next[g] = at;
    groups.push({ values, start: at, count: counts[g] as number });
    at += counts[g] as number;
  });
  const order = new Int32Array(numRows);
  for (let row = 0; row < numRows; row++) {
    const g = groupOf[row] as number;
    order[next[g] as number] = row;
    next[g] = (next[g] as number) + 1;
  }
  return { groups, order };
}

/**
 * A code per row (index into `serialized`) for one partition column. Each
 * distinct value is serialized once, in row order, so the first bad value
 * throws as a row-by-row pass would. Small integers and day dates are read
 * off their typed array; other types through the arrow-js getter.
 */
function valueCodes(vector: arrow.Vector, type: PartitionType, name: string, n: number): { codes: Int32Array; serialized: (string | null)[] } {
  const codes = new Int32Array(n);
  const serialized: (string | null)[] = [];
  const known = new Map<unknown, number>();
  const codeOf = (cell: unknown): number => {
    const cacheable = cell === null || (typeof cell !== 'object' && typeof cell !== 'function');
    const key = Object.is(cell, -0) ? NEGATIVE_ZERO : cell; // a Map keys -0 as 0; Spark's partition is `-0.0`
    let code = cacheable ? known.get(key) : undefined;
    if (code === undefined) {
      code = serialized.length;
      serialized.push(serializePartitionValue(cell, type, name));
      if (cacheable) known.set(key, code);
    }
    return code;
  };
  const data = vector.data.length === 1 ? (vector.data[0] as arrow.Data) : undefined;
  const raw = data && (type === 'integer' || type === 'date') && data.stride === 1 ? data.values : undefined;
  if (data && (raw instanceof Int8Array || raw instanceof Int16Array || raw instanceof Int32Array || raw instanceof Uint8Array || raw instanceof Uint16Array)) {
    // Day dates are stored as days since the epoch, the form serializePartitionValue takes.
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let row = 0; row < n; row++) {
      const pos = data.offset + row;
      const valid = !bitmap || (((bitmap[pos >> 3] as number) >> (pos & 7)) & 1) === 1;
      codes[row] = codeOf(valid ? (raw[row] as number) : null);
    }
    return { codes, serialized };
  }
  for (let row = 0; row < n; row++) codes[row] = codeOf(partitionCell(vector, row, type));
  return { codes, serialized };
}

const NEGATIVE_ZERO = Symbol('-0');

function deltaTypeOfPartition(t: arrow.DataType): PartitionType {
  if (arrow.DataType.isTimestamp(t)) return t.timezone ? 'timestamp' : 'timestamp_ntz';
  if (arrow.DataType.isDate(t)) return 'date';
  if (arrow.DataType.isInt(t)) return t.bitWidth === 64 ? 'long' : 'integer';
  if (arrow.DataType.isFloat(t)) return t.precision === arrow.Precision.SINGLE ? 'float' : 'double'; // Float.toString differs
  if (arrow.DataType.isBool(t)) return 'boolean';
  if (arrow.DataType.isBinary(t)) return 'binary';
  if (arrow.DataType.isDecimal(t)) return `decimal(${t.precision},${t.scale})`;
  return 'string';
}

/** A decimal cell as its plain text with all its scale digits (as Spark writes decimal partition values: `12.300`, `-0.05`). */
function decimalText(data: arrow.Data<arrow.Decimal>, row: number): string {
  const words = data.values as Uint32Array;
  const per = data.type.bitWidth / 32;
  let unscaled = 0n;
  for (let k = per - 1; k >= 0; k--) unscaled = (unscaled << 32n) | BigInt(words[row * per + k] as number);
  unscaled = BigInt.asIntN(data.type.bitWidth, unscaled);
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(data.type.scale + 1, '0');
  const scale = data.type.scale;
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return unscaled < 0n ? `-${text}` : text;
}

/** One partition cell in the form serializePartitionValue takes (exact micros for timestamps). */
function partitionCell(vector: arrow.Vector, row: number, type: PartitionType): unknown {
  if (!vector.isValid(row)) return null;
  if ((type === 'timestamp' || type === 'timestamp_ntz') && vector.data.length === 1) {
    // Columns are cast to microseconds already; read the raw int64.
    const values = vector.data[0]?.values as BigInt64Array | undefined;
    if (values) return values[row];
  }
  if (type === 'date') return Math.floor((vector.get(row) as number) / 86_400_000);
  if (arrow.DataType.isDecimal(vector.type) && vector.data.length === 1) return decimalText(vector.data[0] as arrow.Data<arrow.Decimal>, row);
  if (type === 'double' && arrow.DataType.isFloat(vector.type) && vector.type.precision === arrow.Precision.SINGLE) {
    return vector.get(row) as number;
  }
  return vector.get(row) as unknown;
}
