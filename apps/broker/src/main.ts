#!/usr/bin/env node
/** lakestream-broker entry: flags → options, signals → graceful shutdown, exit code. */
import { HELP, parseCli } from './cli.js';
import { UsageError } from './errors.js';
import { serve } from './serve.js';

async function main(): Promise<number> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nTry --help.\n`);
    return error.exitCode;
  }
  if (cli.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      process.stderr.write(`${signal} again: exiting without waiting for in-flight requests\n`);
      process.exit(130);
    }
    process.stderr.write(`${signal}: shutting down (again to exit at once)\n`);
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return serve(cli.options, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), signal: stop.signal });
}

main().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
