#!/usr/bin/env node
/** lakestream-consumer entry: flags/env → command, signals → graceful stop, run, exit code. */
import { HELP, parseCli, type CliResult } from './cli.js';
import { generateDocs } from './docs.js';
import { isConsumerAppError, UsageError } from './errors.js';
import { formatOptimizeResults, optimizeTables } from './optimize.js';
import { run } from './run.js';

async function main(): Promise<number> {
  let cli: CliResult;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nTry --help.\n`);
    return error.exitCode;
  }
  switch (cli.command) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'docs': {
      const r = await generateDocs(cli.config);
      for (const bad of r.invalid) process.stderr.write(`warning: skipped validation result row ${bad.row}: ${bad.message}\n`);
      if (!r.tableFound) process.stderr.write(`note: no validation results table at ${r.table} yet; the page is empty\n`);
      process.stdout.write(`data docs: ${r.results} result(s) from ${r.table} (version ${r.version ?? '-'}) -> ${r.out}\n`);
      return 0;
    }
    case 'optimize':
      process.stdout.write(formatOptimizeResults(await optimizeTables(cli.config)));
      return 0;
    case 'run': {
      const stop = new AbortController();
      const abandon = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => {
        if (stop.signal.aborted) {
          process.stderr.write(`${signal} again: abandoning the batch in flight (it is replayed on the next start)\n`);
          abandon.abort(signal);
          return;
        }
        process.stderr.write(`${signal}: finishing the batch in flight, then committing and leaving the group (again to abandon it)\n`);
        stop.abort(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return run(cli.config, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        signal: stop.signal,
        abandon: abandon.signal,
      });
    }
  }
}

main().then(
  (code) => {
    // kafkajs may keep sockets or retry timers around for a while after close; do not wait for them.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    if (isConsumerAppError(error)) {
      process.stderr.write(`error: ${error.message} (${error.code})\n`);
      process.exit(error.exitCode);
    }
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
