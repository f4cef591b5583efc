#!/usr/bin/env node
/** lakestream-producer entry: flags/env → config, signals → graceful stop, run, exit code. */
import { HELP, parseCli } from './cli.js';
import { UsageError } from './errors.js';
import { run } from './run.js';

async function main(): Promise<number> {
  let cli;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
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
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      process.stderr.write(`${signal} again: exiting without waiting for the flush\n`);
      process.exit(130);
    }
    process.stderr.write(`${signal}: stopping, flushing in-flight batches (again to exit at once)\n`);
    stop.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return run(cli.config, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    signal: stop.signal,
  });
}

main().then(
  (code) => {
    // kafkajs may keep sockets or retry timers around for a while after close; do not wait for them.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
