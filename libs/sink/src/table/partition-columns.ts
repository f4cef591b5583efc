/**
 * What a table may be partitioned by, checked at create: each partition
 * column is a column of the schema (named in any case; the schema's
 * spelling is what gets logged), of a primitive type (the protocol has a
 * partition value serialization for primitives only), and at least one
 * column is left for the data files, as Spark requires.
 */
import { SinkError } from '../errors.js';
import { findColumn } from '../schema/column-names.js';
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
