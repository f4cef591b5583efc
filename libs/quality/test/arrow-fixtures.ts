/**
 * Tables for the quality tests, from plain values: numeric and temporal
 * columns built straight from typed arrays (bigints for 64-bit values, in
 * the type's unit), strings/bools/dictionaries with `vectorFromArray`.
 * `batches` splits the rows into record batches; `pad` builds each batch
 * with extra leading rows and slices them off (non-zero data.offset).
 */
import * as arrow from 'apache-arrow';

export type Value = number | bigint | string | boolean | null;

export interface ColumnSpec {
  readonly type: arrow.DataType;
  readonly values: readonly Value[];
}

export interface TableLayout {
  /** Sizes of the record batches (must sum to the row count); default one batch. */
  readonly batches?: readonly number[];
  /** Leading rows added then sliced off in each batch. */
  readonly pad?: number;
}

export function vectorOf(type: arrow.DataType, values: readonly Value[]): arrow.Vector {
  const Ctor = (type as { ArrayType?: unknown }).ArrayType;
  const numeric = arrow.DataType.isInt(type) || arrow.DataType.isFloat(type) || arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type);
  if (numeric && typeof Ctor === 'function') {
    const n = values.length;
    const wide = Ctor === BigInt64Array || Ctor === BigUint64Array;
    const data = new (Ctor as new (n: number) => ArrayLike<number | bigint> & { [i: number]: number | bigint })(n);
    const bitmap = new Uint8Array(Math.ceil(n / 8) || 1);
    let nulls = 0;
    values.forEach((v, i) => {
      if (v === null) {
        nulls++;
        return;
      }
      bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
      data[i] = wide ? BigInt(v as number | bigint) : Number(v);
    });
    return arrow.makeVector(arrow.makeData({ type, length: n, data: data as never, nullBitmap: nulls > 0 ? bitmap : undefined, nullCount: nulls } as never));
  }
  return arrow.vectorFromArray(values as unknown[], type as never);
}

export function makeTable(columns: Readonly<Record<string, ColumnSpec>>, layout: TableLayout = {}): arrow.Table {
  const names = Object.keys(columns);
  const rows = names.length > 0 ? (columns[names[0] as string] as ColumnSpec).values.length : 0;
  const sizes = layout.batches ?? [rows];
  const pad = layout.pad ?? 0;
  const batches: arrow.RecordBatch[] = [];
  let start = 0;
  for (const size of sizes) {
    const vectors: Record<string, arrow.Data> = {};
    for (const name of names) {
      const spec = columns[name] as ColumnSpec;
      const part = spec.values.slice(start, start + size);
      const padding = Array.from({ length: pad }, (_, k) => (k % 2 === 0 ? null : (spec.values.find((v) => v !== null) ?? null)));
      vectors[name] = vectorOf(spec.type, [...padding, ...part]).slice(pad).data[0] as arrow.Data;
    }
    batches.push(new arrow.RecordBatch(vectors));
    start += size;
  }
  return new arrow.Table(batches);
}

export const utf8Dictionary = (): arrow.Dictionary => new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
