/** Row objects → an Arrow table of exactly a catalog schema (types and nullability as declared). */
import { makeData, RecordBatch, Struct, Table, vectorFromArray, type Schema } from 'apache-arrow';

export type Row = Readonly<Record<string, unknown>>;

export function rowsToTable(schema: Schema, rows: readonly Row[]): Table {
  const children = schema.fields.map((field) => {
    const values = rows.map((row) => row[field.name] ?? null);
    const vector = vectorFromArray(values, field.type);
    return vector.data[0] ?? vectorFromArray([], field.type).data[0];
  });
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children: children as never });
  return new Table([new RecordBatch(schema, data)]);
}
