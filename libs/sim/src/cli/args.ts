/** Flag parsing (node:util parseArgs) and validation (zod) shared by the commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';

/** A usage error: printed with a pointer to --help, exit code 2. */
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
/** Raw flag values; zod gives them their types (see validate). */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Parses `argv` for `command`; unknown flags and stray positionals are usage errors. */
export function parseFlags(command: string, argv: string[], options: Options): FlagValues {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, ''), command);
  }
}

/** An integer flag given as a string, within bounds. */
export const intFlag = (min: number, max: number) =>
  z
    .string()
    .regex(/^[+-]?\d+$/, 'expected an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Validates parsed flags with a zod schema, naming the offending flag. */
export function validate<T extends z.ZodType>(command: string, schema: T, values: unknown): z.output<T> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flag = issue?.path.length ? `--${String(issue.path[0])}` : 'arguments';
  const given = issue?.path.length ? (values as Record<string, unknown>)[String(issue.path[0])] : undefined;
  throw new UsageError(`${flag}: ${issue?.message ?? 'invalid'}${given === undefined ? '' : ` (got '${String(given)}')`}`, command);
}
