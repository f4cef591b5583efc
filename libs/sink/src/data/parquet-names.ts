/**
 * Parquet's MAP logical type is a repeated group named `key_value` holding
 * `key` and `value` (parquet-format LogicalTypes.md; Spark, Hive and DuckDB
 * write it so). parquet-wasm takes the group's name from the Arrow map's
 * child field, which arrow-js and other producers name `entries`; so maps are
 * renamed here, at any depth, before a table is handed to parquet-wasm
 * (arrow-js itself forces `entries` on every map it constructs).
 * Readers match map children by position, so files with either name read.
 */
import * as arrow from 'apache-arrow';

const MAP_GROUP = 'key_value';

/** `table` with every map's entries named `key_value`/`key`/`value`; the same table when nothing needs renaming. */
export function withParquetMapNames(table: arrow.Table): arrow.Table {
  const fields = table.schema.fields.map((f) => renameField(f));
  if (fields.every((f, i) => f === table.schema.fields[i])) return table;
  const schema = new arrow.Schema(fields, table.schema.metadata);
  const struct = new arrow.Struct(fields);
  const batches = table.batches.map((batch) => new arrow.RecordBatch(schema, retype(batch.data, struct) as arrow.Data<arrow.Struct>, batch.metadata));
  return new arrow.Table(schema, batches);
}

function renameField(field: arrow.Field, name?: string): arrow.Field {
  const type = renameType(field.type);
  const wanted = name ?? field.name;
  return type === field.type && wanted === field.name ? field : new arrow.Field(wanted, type, field.nullable, field.metadata);
}

/** The same DataType object when nothing inside it changes (keeps the IPC schema cache warm). */
function renameType(type: arrow.DataType): arrow.DataType {
  if (arrow.DataType.isMap(type)) {
    const entries = type.children[0];
    const entryType = entries?.type as arrow.Struct | undefined;
    const [key, value] = entryType?.children ?? [];
    if (!entries || !entryType || !key || !value) return type;
    const children = [renameField(key, 'key'), renameField(value, 'value')] as const;
    if (entries.name === MAP_GROUP && children[0] === key && children[1] === value) return type;
    const group = new arrow.Struct<{ key: arrow.DataType; value: arrow.DataType }>([...children]);
    const map = new arrow.Map_(new arrow.Field(MAP_GROUP, group, entries.nullable, entries.metadata), type.keysSorted);
    // arrow-js's constructor renames every map's entries field to `entries` (ARROW-8716); set ours after it.
    (map as unknown as { children: arrow.Field[] }).children = [new arrow.Field(MAP_GROUP, group, entries.nullable, entries.metadata)];
    return map;
  }
  if (arrow.DataType.isStruct(type)) {
    const children = type.children.map((f) => renameField(f));
    return children.every((f, i) => f === type.children[i]) ? type : new arrow.Struct(children);
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type)) {
    const child = type.children[0];
    if (!child) return type;
    const renamed = renameField(child);
    if (renamed === child) return type;
    return arrow.DataType.isList(type) ? new arrow.List(renamed) : new arrow.FixedSizeList(type.listSize, renamed);
  }
  return type;
}

/** `data` with `type` (same layout, renamed fields), its children retyped likewise. */
function retype(data: arrow.Data, type: arrow.DataType): arrow.Data {
  if (data.type === type) return data;
  const children = data.children.map((child, i) => retype(child, type.children[i]?.type ?? child.type));
  return data.clone(type, data.offset, data.length, data.nullCount, undefined, children);
}
