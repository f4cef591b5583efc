/**
 * Arrow tables built column by column into typed arrays: one pass per column
 * over the row indices, no row objects and no arrow builders. A column is a
 * getter `(k) => value` for row k; `null`/`undefined` is a null cell.
 */
import * as arrow from 'apache-arrow';

/** A cell as getters return it: int64/timestamp as bigint (timestamps in µs), dates in days since the epoch. */
export type Cell = number | bigint | string | boolean | Uint8Array | null | undefined;
export type Getter = (k: number) => Cell;

const encoder = new TextEncoder();

/** A table of `n` rows with `schema`, column `f` from `getters[f.name]`. A missing getter is a bug: it throws. */
export function buildTable(schema: arrow.Schema, n: number, getters: Readonly<Record<string, Getter>>): arrow.Table {
  const children = schema.fields.map((field) => {
    const get = getters[field.name];
    if (!get) throw new Error(`medallion bug: no getter for column ${field.name}`);
    return column(field, n, get);
  });
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children });
  return new arrow.Table([new arrow.RecordBatch(schema, data)]);
}

function column(field: arrow.Field, n: number, get: Getter): arrow.Data {
  const type = field.type as arrow.DataType;
  let validity: Uint8Array | null = null;
  let nulls = 0;
  const markNull = (k: number): void => {
    if (!validity) validity = new Uint8Array(Math.ceil(n / 8)).fill(0xff);
    validity[k >> 3] = (validity[k >> 3] as number) & ~(1 << (k & 7));
    nulls++;
  };
  const base = (props: Record<string, unknown>): arrow.Data =>
    // makeData's overloads are per type; the props below match `type` by construction.
    arrow.makeData({ type, length: n, nullCount: nulls, nullBitmap: validity, ...props } as never) as arrow.Data;

  if (arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) {
    const offsets = new Int32Array(n + 1);
    let bytes: Uint8Array = new Uint8Array(Math.max(64, n * 16));
    let at = 0;
    for (let k = 0; k < n; k++) {
      const v = get(k);
      if (v === null || v === undefined) markNull(k);
      else if (typeof v === 'string') {
        const max = v.length * 3;
        if (at + max > bytes.length) bytes = grow(bytes, at + max);
        at += encoder.encodeInto(v, bytes.subarray(at)).written;
      } else if (v instanceof Uint8Array) {
        if (at + v.length > bytes.length) bytes = grow(bytes, at + v.length);
        bytes.set(v, at);
        at += v.length;
      } else throw new Error(`medallion bug: column ${field.name} got ${typeof v}`);
      offsets[k + 1] = at;
    }
    return base({ valueOffsets: offsets, data: bytes.subarray(0, at) });
  }
  if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array(Math.ceil(n / 8));
    for (let k = 0; k < n; k++) {
      const v = get(k);
      if (v === null || v === undefined) markNull(k);
      else if (v) bits[k >> 3] = (bits[k >> 3] as number) | (1 << (k & 7));
    }
    return base({ data: bits });
  }
  const values = new (type.ArrayType as new (n: number) => Float64Array | Int32Array | Int16Array | Int8Array | BigInt64Array)(n);
  const big = values instanceof BigInt64Array;
  for (let k = 0; k < n; k++) {
    const v = get(k);
    if (v === null || v === undefined) markNull(k);
    else if (big) (values as BigInt64Array)[k] = typeof v === 'bigint' ? v : BigInt(v as number);
    else (values as Float64Array)[k] = typeof v === 'bigint' ? Number(v) : (v as number);
  }
  return base({ data: values });
}

function grow(bytes: Uint8Array, need: number): Uint8Array {
  const next = new Uint8Array(Math.max(need, bytes.length * 2));
  next.set(bytes);
  return next;
}

/** Epoch days of a UTC instant in ms. */
export const daysOf = (ms: number): number => Math.floor(ms / 86_400_000);
/** Epoch µs from epoch ns. */
export const microsOfNanos = (ns: bigint): bigint => ns / 1000n;
/** Epoch µs from epoch ms. */
export const microsOfMillis = (ms: bigint | number): bigint => BigInt(ms) * 1000n;
