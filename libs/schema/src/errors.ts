/** Base of every error @lakestream/schema throws: a stable `code`, whether a retry can help, and context. */
export class SchemaError extends Error {
  readonly retriable: boolean = false;
  constructor(
    readonly code: 'INCOMPATIBLE_SCHEMA' | 'UNKNOWN_SUBJECT' | 'UNKNOWN_VERSION' | 'UNKNOWN_SCHEMA_ID',
    message: string,
    readonly context: { subject?: string; version?: number; id?: number; field?: string; mode?: string } = {},
  ) {
    super(message);
    this.name = 'SchemaError';
  }
}

/** A new schema version breaks the subject's compatibility mode; `field` names the first offending field. */
export class IncompatibleSchemaError extends SchemaError {
  constructor(
    readonly subject: string,
    readonly mode: string,
    readonly field: string,
    readonly problem: string,
    againstVersion: number,
  ) {
    super('INCOMPATIBLE_SCHEMA', `schema for ${subject} is not ${mode} compatible with version ${againstVersion}: field '${field}' ${problem}`, {
      subject,
      version: againstVersion,
      field,
      mode,
    });
    this.name = 'IncompatibleSchemaError';
  }
}
