import { Bool, DateDay, Field, Float64, Int8, Int16, Int32, Int64, Binary, TimestampMicrosecond, Utf8, type DataType } from 'apache-arrow';
import type { z } from 'zod';
import { columnMeta, type ColumnType } from './columns.js';

/**
 * Arrow types for our column types. Delta has no unsigned integers, so
 * unsigned columns widen to the next signed type (uint8 → short, uint16 → integer).
 */
export function arrowType(type: ColumnType): DataType {
  switch (type) {
    case 'float64':
      return new Float64();
    case 'int8':
      return new Int8();
    case 'int16':
    case 'uint8':
      return new Int16();
    case 'int32':
    case 'uint16':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'bool':
      return new Bool();
    case 'string':
    case 'enum':
      return new Utf8();
  }
}

/** Arrow fields for the columns of a zod object shape declared with the column helpers. */
export function arrowFields(shape: Readonly<Record<string, z.ZodType>>, options: { nullable?: boolean; omit?: readonly string[] } = {}): Field[] {
  const omit = new Set(options.omit ?? []);
  return Object.entries(shape)
    .filter(([name]) => !omit.has(name))
    .map(([name, schema]) => {
      const meta = columnMeta(schema, name);
      const metadata = new Map<string, string>();
      if (schema.description) metadata.set('comment', schema.description);
      if (meta.unit) metadata.set('unit', meta.unit);
      return new Field(name, arrowType(meta.type), options.nullable ?? false, metadata);
    });
}

/** Column constructors for columns that are not event fields (lineage, derived times). */
export const col = {
  string: (name: string, nullable = false) => new Field(name, new Utf8(), nullable),
  binary: (name: string, nullable = false) => new Field(name, new Binary(), nullable),
  int16: (name: string, nullable = false) => new Field(name, new Int16(), nullable),
  int32: (name: string, nullable = false) => new Field(name, new Int32(), nullable),
  int64: (name: string, nullable = false) => new Field(name, new Int64(), nullable),
  /** Delta `timestamp`: microseconds since the epoch, UTC. */
  timestamp: (name: string, nullable = false) => new Field(name, new TimestampMicrosecond('UTC'), nullable),
  date: (name: string, nullable = false) => new Field(name, new DateDay(), nullable),
};
