/**
 * Typed errors of the sink's data layer (schema mapping, partition values,
 * Parquet encode/decode). They are `SinkError`s (see `../errors.ts`), so
 * callers branch on `code` and `isSinkError()` holds for them.
 */
import { SchemaMismatchError, SinkError, type SinkErrorCode, type SinkErrorContext } from '../errors.js';

/** `SinkErrorContext` plus data-layer details (e.g. `type`), which the message lists too. */
export interface DataErrorContext extends SinkErrorContext {
  readonly [key: string]: unknown;
}

export type DataErrorCode = Extract<
  SinkErrorCode,
  'UNSUPPORTED_TYPE' | 'INVALID_SCHEMA' | 'INVALID_PARTITION_VALUE' | 'PARQUET_WRITE_FAILED' | 'PARQUET_READ_FAILED' | 'SCHEMA_MISMATCH' | 'INVALID_PREDICATE'
>;

export class DeltaDataError extends SinkError {
  override readonly name: string = 'DeltaDataError';
  declare readonly code: DataErrorCode;
  declare readonly context: DataErrorContext;

  constructor(code: DataErrorCode, message: string, context: DataErrorContext = {}, options?: { cause?: unknown }) {
    super(code, message, context, options);
  }
}

/** An Arrow or Delta type the data layer cannot map; names the column. */
export class UnsupportedTypeError extends DeltaDataError {
  override readonly name = 'UnsupportedTypeError';
  constructor(column: string, typeName: string, context: DataErrorContext = {}) {
    super('UNSUPPORTED_TYPE', `column "${column}": type ${typeName} is not supported by Delta Lake`, {
      ...context,
      column,
      type: typeName,
    });
  }
}

/** A `schemaString` (or schema object) that is not a valid Delta schema. */
export class InvalidSchemaError extends DeltaDataError {
  override readonly name = 'InvalidSchemaError';
  constructor(message: string, context: DataErrorContext = {}, options?: { cause?: unknown }) {
    super('INVALID_SCHEMA', message, context, options);
  }
}

/** A partition value that cannot be serialized or parsed for its type. */
export class InvalidPartitionValueError extends DeltaDataError {
  override readonly name = 'InvalidPartitionValueError';
  constructor(column: string, message: string, context: DataErrorContext = {}) {
    super('INVALID_PARTITION_VALUE', `partition column "${column}": ${message}`, { ...context, column });
  }
}

/** parquet-wasm failed to encode or decode a file. */
export class ParquetError extends DeltaDataError {
  override readonly name = 'ParquetError';
  constructor(
    code: 'PARQUET_WRITE_FAILED' | 'PARQUET_READ_FAILED',
    message: string,
    context: DataErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}

/**
 * Data that does not fit the table schema (missing non-nullable column, nulls in a non-nullable column…).
 * @deprecated The lib-wide `SchemaMismatchError` (code `SCHEMA_MISMATCH`); this name is kept as an alias.
 */
export const DataSchemaMismatchError = SchemaMismatchError;
export type DataSchemaMismatchError = SchemaMismatchError;
