/** The `delta` command line: dispatch, help and error reporting. */
import { isSinkError, type SinkError } from '../errors.js';
import { UsageError } from './args.js';
import { CAT_HELP, catCommand } from './cat.js';
import { HISTORY_HELP, historyCommand } from './history.js';
import { INSPECT_HELP, inspectCommand } from './inspect.js';
import type { CliIo } from './io.js';
import { CHECKPOINT_HELP, checkpointCommand, OPTIMIZE_HELP, optimizeCommand, VACUUM_HELP, vacuumCommand } from './maintenance-commands.js';

export const DELTA_HELP = `Usage: delta <command> <table> [options]

Look at and maintain Delta Lake tables (ours, Spark's, delta-rs's) on local disk.

Commands:
  inspect <table>      version, protocol, schema, partitioning, files, txn app ids, properties
  history <table>      commits, newest first
  cat <table>          rows as JSON lines or CSV (time travel with --version / --timestamp)
  optimize <table>     compact small files (one dataChange=false commit)
  vacuum <table>       delete files no longer referenced and older than the retention
  checkpoint <table>   write a checkpoint at the latest version

Run 'delta <command> --help' for a command's options.
Exit codes: 0 ok, 1 the table could not be read or changed, 2 usage error.
`;

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, { run: Command; help: string }>> = {
  inspect: { run: inspectCommand, help: INSPECT_HELP },
  history: { run: historyCommand, help: HISTORY_HELP },
  cat: { run: catCommand, help: CAT_HELP },
  optimize: { run: optimizeCommand, help: OPTIMIZE_HELP },
  vacuum: { run: vacuumCommand, help: VACUUM_HELP },
  checkpoint: { run: checkpointCommand, help: CHECKPOINT_HELP },
};

/** Runs `delta`; resolves to the exit code (0 ok, 1 failure, 2 usage error). */
export async function runDelta(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    (name === undefined ? io.stderr : io.stdout).write(topic?.help ?? DELTA_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`delta: unknown command '${name}'\n\n${DELTA_HELP}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return report(error, name, rest, io);
  }
}

function report(error: unknown, command: string, argv: readonly string[], io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`delta ${command}: ${error.message}\nRun 'delta ${command} --help' for usage.\n`);
    return 2;
  }
  if (isSinkError(error)) {
    io.stderr.write(`delta ${command}: ${describe(error, argv)}\n`);
    return 1;
  }
  io.stderr.write(`delta ${command}: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}

/**
 * `table <root> at version 3, file part-….parquet: <what went wrong> [CODE]`.
 * Errors raised before a table was resolved still name the path given.
 */
function describe(error: SinkError, argv: readonly string[]): string {
  const c = error.context;
  const table = c.table ?? argv.find((a) => !a.startsWith('-'));
  const where = [
    table === undefined ? undefined : `table ${table}`,
    c.version === undefined ? undefined : `version ${c.version}`,
    c.file === undefined ? undefined : `file ${c.file}${c.line === undefined ? '' : `:${c.line}`}`,
  ].filter((p) => p !== undefined);
  const extra = [c.column === undefined ? undefined : `column ${c.column}`, c.columns?.length ? `columns ${c.columns.join(', ')}` : undefined, c.option === undefined ? undefined : `option ${c.option}`]
    .filter((p) => p !== undefined);
  return `${where.join(', ')}: ${error.detail}${extra.length > 0 ? ` (${extra.join('; ')})` : ''} [${error.code}]`;
}
