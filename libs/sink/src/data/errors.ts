/**
 * Typed errors of the sink's data layer (schema mapping, partition values,
 * Parquet encode/decode). They share one base so callers can branch on
 * `code` instead of matching messages.
 *
 * NOTE for the lib's owner of `src/errors.ts`: these classes are meant to move
 * under the lib-wide base class once it exists; codes are stable.
 */
export interface DataErrorContext {
  readonly table?: string;
  readonly version?: number;
  readonly file?: string;
  readonly column?: string;
  readonly [key: string]: unknown;
}

export type DataErrorCode =
  | 'UNSUPPORTED_TYPE'
  | 'INVALID_SCHEMA'
  | 'INVALID_PARTITION_VALUE'
  | 'PARQUET_WRITE_FAILED'
  | 'PARQUET_READ_FAILED'
  | 'SCHEMA_MISMATCH'
  | 'INVALID_PREDICATE';

export class DeltaDataError extends Error {
  override readonly name: string = 'DeltaDataError';
  readonly code: DataErrorCode;
  readonly retriable: boolean = false;
  readonly context: DataErrorContext;

  constructor(code: DataErrorCode, message: string, context: DataErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.context = context;
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

/** Data that does not fit the table schema (missing non-nullable column, nulls in a non-nullable column…). */
export class DataSchemaMismatchError extends DeltaDataError {
  override readonly name = 'DataSchemaMismatchError';
  constructor(message: string, context: DataErrorContext = {}) {
    super('SCHEMA_MISMATCH', message, context);
  }
}
