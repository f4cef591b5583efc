#!/usr/bin/env node
/** lakestream-gold entry: argv/env → command → exit code (dbt's: 0 ok, 1 a node failed, 2 usage or project error). */
import { ModelsError } from '@lakestream/models';
import { HELP, parseCli, type CliResult } from './cli.js';
import { runCommand } from './commands.js';
import { isGoldAppError, UsageError } from './errors.js';

async function main(): Promise<number> {
  let cli: CliResult;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nTry --help.\n`);
    return 2;
  }
  if (cli.command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  return runCommand(cli.config, { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) });
}

main().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    // A project that does not load, compile or select (bad YAML, template, unknown ref, cycle) is dbt's exit 2.
    if (error instanceof ModelsError || isGoldAppError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(isGoldAppError(error) ? error.exitCode : 2);
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
