/** Flag parsing (node:util parseArgs) and validation (zod) shared by the `delta` subcommands. */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** A usage error: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand {
  /** The table root, resolved against the working directory. */
  readonly table: string;
  /** Raw flag values; a zod schema gives them their types (see `validateFlags`). */
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly help: boolean;
}

/** `<table> [flags]`: exactly one positional (the table), unknown flags are usage errors. */
export function parseCommand(command: string, argv: readonly string[], options: Options, cwd: string): ParsedCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, ''), command);
  }
  const { help, ...values } = parsed.values;
  if (help === true) return { table: '', values, help: true };
  const [table, ...extra] = parsed.positionals;
  if (table === undefined) throw new UsageError('missing <table> (a Delta table directory)', command);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (one table at a time)`, command);
  return { table: resolve(cwd, table), values, help: false };
}

/** A non-negative integer flag given as a string. */
export const intFlag = (min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a non-negative integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A number flag (hours may be fractional). */
export const numberFlag = (min = 0) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected a non-negative number')
    .transform(Number)
    .pipe(z.number().min(min));

/** ISO-8601 (a date, or a date-time; no zone means UTC) or epoch milliseconds. */
export const timestampFlag = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(/^\d{4}-\d{2}-\d{2}T[^Z+]*$/.test(text) && !/[+-]\d{2}:?\d{2}$/.test(text) ? `${text}Z` : text);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 timestamp or epoch milliseconds' });
    return z.NEVER;
  }
  return new Date(ms);
});

/** `a,b,c` → `['a','b','c']`, no empties. */
export const listFlag = z
  .string()
  .transform((s) => s.split(',').map((c) => c.trim()))
  .refine((cols) => cols.length > 0 && cols.every((c) => c.length > 0), 'expected a comma-separated list of names');

/** Validates parsed flags with a zod schema, naming the offending flag. */
export function validateFlags<T extends z.ZodType>(command: string, schema: T, values: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.length ? String(issue.path[0]) : undefined;
  const flag = key === undefined ? 'arguments' : `--${key}`;
  const given = key === undefined ? undefined : values[key];
  throw new UsageError(`${flag}: ${issue?.message ?? 'invalid'}${given === undefined ? '' : ` (got '${String(given)}')`}`, command);
}
