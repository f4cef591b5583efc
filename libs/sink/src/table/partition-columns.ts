/**
 * What a table may be partitioned by, checked at create: each partition
 * column is a column of the schema (named in any case; the schema's
 * spelling is what gets logged), of a primitive type (the protocol has a
 * partition value serialization for primitives only), and at least one
 * column is left for the data files, as Spark requires.
 */
import { SinkError } from '../errors.js';
import { findColumn, includesColumn } from '../schema/column-names.js';
import { deltaTypeName, type DeltaStructType } from '../schema/delta-schema.js';

/** The partition columns as the schema spells them; throws `INVALID_OPTIONS` naming the table otherwise. */
export function checkPartitionColumns(schema: DeltaStructType, partitionColumns: readonly string[], table: string): string[] {
  const resolved = partitionColumns.map((c) => schema.fields[findColumn(schema.fields, c)]);
  const missing = partitionColumns.filter((_, i) => resolved[i] === undefined);
  if (missing.length > 0) {
    throw new SinkError('INVALID_OPTIONS', `partition columns not in the schema: ${missing.join(', ')}`, { table, option: 'partitionColumns', columns: missing });
  }
  const fields = resolved.filter((f) => f !== undefined);
  const nested = fields.filter((f) => typeof f.type !== 'string');
  if (nested.length > 0) {
    throw new SinkError(
      'INVALID_OPTIONS',
      `partition columns must be of a primitive type: ${nested.map((f) => `${f.name} is ${deltaTypeName(f.type)}`).join(', ')}`,
      { table, option: 'partitionColumns', column: nested[0]?.name, columns: nested.map((f) => f.name) },
    );
  }
  const names = [...new Set(fields.map((f) => f.name))];
  if (schema.fields.length > 0 && names.length >= schema.fields.length) {
    throw new SinkError('INVALID_OPTIONS', 'cannot use all columns for partition columns: the data files would have no columns (Spark refuses it too)', {
      table,
      option: 'partitionColumns',
      columns: names,
    });
  }
  return names;
}

/** The `where` keys that name none of the partition columns (in any case). */
export function nonPartitionColumns(where: Readonly<Record<string, unknown>> | undefined, partitionColumns: readonly string[]): string[] {
  return Object.keys(where ?? {}).filter((c) => !includesColumn(partitionColumns, c));
}

/**
 * A partition filter (`overwrite`/`optimize` `where`) keyed by the partition
 * columns as the table spells them, so `{ DAY: 'a' }` selects the table's
 * `day` partitions. Throws `INVALID_OPTIONS` for a key that is no partition
 * column, or two keys naming the same column with different values.
 */
export function resolvePartitionFilter<V extends string | null>(
  where: Readonly<Record<string, V>>,
  partitionColumns: readonly string[],
  context: { readonly table: string; readonly version: number },
): Record<string, V> {
  const unknown = nonPartitionColumns(where, partitionColumns);
  if (unknown.length > 0) {
    throw new SinkError('INVALID_OPTIONS', `where names non-partition columns: ${unknown.join(', ')}`, { ...context, option: 'where', columns: unknown });
  }
  const resolved: Record<string, V> = {};
  const fields = partitionColumns.map((name) => ({ name }));
  for (const [key, value] of Object.entries(where)) {
    const column = partitionColumns[findColumn(fields, key)] as string;
    if (Object.hasOwn(resolved, column) && resolved[column] !== value) {
      throw new SinkError('INVALID_OPTIONS', `where gives partition column ${column} two values (${JSON.stringify(resolved[column])}, ${JSON.stringify(value)})`, { ...context, option: 'where', column });
    }
    resolved[column] = value;
  }
  return resolved;
}
