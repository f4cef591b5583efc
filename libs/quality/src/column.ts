/**
 * A table column as the kernels see it: its Arrow type and its chunks (one
 * `Data` per record batch), in row order. Row `base + i` of the table is row
 * `i` of the chunk that starts at `base`.
 */
import * as arrow from 'apache-arrow';

export interface Column {
  readonly name: string;
  readonly type: arrow.DataType;
  readonly chunks: readonly arrow.Data[];
  readonly length: number;
}

/** The column named `name` (exact field name), or undefined. */
export function findColumn(table: arrow.Table, name: string): Column | undefined {
  const index = table.schema.fields.findIndex((f) => f.name === name);
  const field = table.schema.fields[index];
  if (!field) return undefined;
  // Straight from the batches' data (no Vector built per lookup).
  const chunks: arrow.Data[] = [];
  for (const batch of table.data) {
    const child = batch.children[index];
    if (child) chunks.push(child);
  }
  return { name, type: field.type as arrow.DataType, chunks, length: table.numRows };
}

/** Columns of one table by name, each resolved once. */
export function columnIndex(table: arrow.Table): (name: string) => Column | undefined {
  const fields = table.schema.fields;
  const batches = table.batches;
  const length = table.numRows;
  const cache = new Map<string, Column | null>();
  return (name) => {
    let column = cache.get(name);
    if (column === undefined) {
      column = null;
      for (let index = 0; index < fields.length; index++) {
        const field = fields[index] as arrow.Field;
        if (field.name !== name) continue;
        const chunks: arrow.Data[] = [];
        for (const batch of batches) {
          const child = batch.data.children[index];
          if (child) chunks.push(child);
        }
        column = { name, type: field.type as arrow.DataType, chunks, length };
        break;
      }
      cache.set(name, column);
    }
    return column ?? undefined;
  };
}

/** A column made of a vector's chunks (a dictionary's values, for instance). */
export function vectorColumn(name: string, vector: arrow.Vector): Column {
  return { name, type: vector.type as arrow.DataType, chunks: vector.data as arrow.Data[], length: vector.length };
}

/** Row `i` of a chunk is valid (not null). Not for hot loops. */
export function isValidAt(data: arrow.Data, i: number): boolean {
  if (data.typeId === arrow.Type.Null) return false;
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return true;
  const bit = data.offset + i;
  return ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

/** The chunk holding table row `row` and the row's index in it. */
export function locate(column: Column, row: number): { readonly data: arrow.Data; readonly index: number } | undefined {
  let base = 0;
  for (const data of column.chunks) {
    if (row < base + data.length) return { data, index: row - base };
    base += data.length;
  }
  return undefined;
}

/** The Arrow type name as `expect_column_values_to_be_of_type` compares it. */
export function typeName(type: arrow.DataType): string {
  let name = typeNames.get(type);
  if (name === undefined) typeNames.set(type, (name = String(type)));
  return name;
}

/** Type objects are immutable; their text is computed once (it is compared per expectation and batch). */
const typeNames = new WeakMap<arrow.DataType, string>();
