#!/usr/bin/env node
/** Entry point of the `delta` bin (package.json `bin`); the command itself is `runDelta` in run.ts. */
import { runDelta } from './run.js';

// `delta cat t | head` closes the pipe early: that is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await runDelta(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
