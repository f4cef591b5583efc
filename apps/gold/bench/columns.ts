/**
 * Arrow columns from typed arrays for the bench's generated silver tables:
 * fixed-width values with an optional validity bitmap, UTF-8 from a small
 * dictionary of codes (each distinct string encoded once), packed booleans.
 * No per-value objects, so 1M-row chunks build in tens of milliseconds.
 */
import * as arrow from 'apache-arrow';

export type Fixed = Int8Array | Int16Array | Int32Array | Float64Array | BigInt64Array;

/** Validity bitmap: bit i set iff `valid(i)`; returns the bitmap and the null count. */
export function bitmap(n: number, valid: (i: number) => boolean): { bits: Uint8Array; nulls: number } {
  const bits = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid(i)) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
    else nulls++;
  }
  return { bits, nulls };
}

export interface Validity {
  readonly bits: Uint8Array;
  readonly nulls: number;
}

export function fixed(type: arrow.DataType, data: Fixed, validity?: Validity): arrow.Data {
  const nulls = validity?.nulls ?? 0;
  return arrow.makeData({ type, length: data.length, nullCount: nulls, nullBitmap: nulls > 0 ? validity?.bits : null, data } as never) as arrow.Data;
}

/** UTF-8 column: row i is `dict[codes[i]]`, null where the validity bit is clear. */
export function utf8(codes: Uint8Array | Uint16Array, dict: readonly string[], validity?: Validity): arrow.Data {
  const enc = new TextEncoder();
  const bytes = dict.map((s) => enc.encode(s));
  const n = codes.length;
  const isValid = (i: number): boolean => validity === undefined || validity.nulls === 0 || (((validity.bits[i >> 3] as number) >> (i & 7)) & 1) === 1;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(i)) total += (bytes[codes[i] as number] as Uint8Array).length;
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const start = offsets[i] as number;
    if ((offsets[i + 1] as number) > start) data.set(bytes[codes[i] as number] as Uint8Array, start);
  }
  const nulls = validity?.nulls ?? 0;
  return arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: nulls, nullBitmap: nulls > 0 ? validity?.bits : null, valueOffsets: offsets, data } as never) as arrow.Data;
}

/** Strings given one by one (small tables: validation results, quarantine). */
export function strings(values: readonly (string | null)[]): arrow.Data {
  return arrow.vectorFromArray(values as (string | null)[], new arrow.Utf8()).data[0] as arrow.Data;
}

export function binary(values: readonly Uint8Array[]): arrow.Data {
  const offsets = new Int32Array(values.length + 1);
  values.forEach((v, i) => (offsets[i + 1] = (offsets[i] as number) + v.length));
  const data = new Uint8Array(offsets[values.length] as number);
  values.forEach((v, i) => data.set(v, offsets[i] as number));
  return arrow.makeData({ type: new arrow.Binary(), length: values.length, nullCount: 0, valueOffsets: offsets, data } as never) as arrow.Data;
}

/** Packed booleans: value bit i = `value(i)`. */
export function bools(n: number, value: (i: number) => boolean, validity?: Validity): arrow.Data {
  const data = bitmap(n, value).bits;
  const nulls = validity?.nulls ?? 0;
  return arrow.makeData({ type: new arrow.Bool(), length: n, nullCount: nulls, nullBitmap: nulls > 0 ? validity?.bits : null, data } as never) as arrow.Data;
}

/** One Arrow table from columns in schema order (every field must be given). */
export function tableOf(schema: arrow.Schema, columns: Readonly<Record<string, arrow.Data>>, length: number): arrow.Table {
  const children = schema.fields.map((f) => {
    const c = columns[f.name];
    if (c === undefined) throw new Error(`bench generator: no column ${f.name}`);
    if (c.length !== length) throw new Error(`bench generator: column ${f.name} has ${c.length} rows, expected ${length}`);
    return c;
  });
  const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children }));
  return new arrow.Table(schema, [batch]);
}

/** Deterministic PRNG (mulberry32) in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
