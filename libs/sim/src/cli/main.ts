/** The lakestream-sim command line: dispatch, help and error reporting. */
import { OutputExistsError, SimError } from '../errors.js';
import { UsageError } from './args.js';
import { F1_HELP, f1Command } from './f1-command.js';
import type { CliIo } from './io.js';
import { SATELLITE_HELP, satelliteCommand } from './satellite-command.js';

export const MAIN_HELP = `Usage: lakestream-sim <command> [options]

Deterministic telemetry simulators for lakestream.

Commands:
  satellite   write satellite sample CSVs (default 1000 × 1000 rows into data/samples)
  f1          print simulated Formula 1 events (JSON lines)

Run 'lakestream-sim <command> --help' for a command's options.
`;

const COMMANDS: Record<string, { run: (argv: string[], io: CliIo, signal?: AbortSignal) => Promise<number>; help: string }> = {
  satellite: { run: satelliteCommand, help: SATELLITE_HELP },
  f1: { run: f1Command, help: F1_HELP },
};

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`lakestream-sim: unknown command '${name}'\n\n${MAIN_HELP}`);
    return 2;
  }
  try {
    return await command.run(rest, io, signal);
  } catch (error) {
    return report(error, name, io);
  }
}

function report(error: unknown, command: string, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`lakestream-sim ${command}: ${error.message}\nRun 'lakestream-sim ${command} --help' for usage.\n`);
    return 2;
  }
  if (error instanceof OutputExistsError) {
    io.stderr.write(
      `lakestream-sim ${command}: ${error.dir} already holds files.\n` +
        `Re-run with --force to replace them, or pass --out with another directory.\n`,
    );
    return 1;
  }
  if (error instanceof SimError) {
    io.stderr.write(`lakestream-sim ${command}: ${error.message} [${error.code}]\n`);
    return 1;
  }
  io.stderr.write(`lakestream-sim ${command}: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
