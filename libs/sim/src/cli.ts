#!/usr/bin/env node
/** Entry point of the `lakestream-sim` bin. */
import { main } from './cli/main.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }, controller.signal);
