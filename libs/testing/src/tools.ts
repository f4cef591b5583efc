import { spawnSync } from 'node:child_process';
import { ToolMissingError } from './errors.js';

/** How to install each external tool the tests use (Debian packages; .ci/run installs them). */
const INSTALL_HINTS: Record<string, string> = {
  kcat: 'apt-get install kcat',
  flatc: 'apt-get install flatbuffers-compiler',
  '/usr/bin/python3': 'apt-get install python3-flatbuffers',
  promtool: 'apt-get install prometheus',
  chromium: 'apt-get install chromium',
  '/usr/bin/chromium': 'apt-get install chromium',
};

export interface ToolCheck {
  readonly available: boolean;
  readonly reason: string;
}

/** Runs `command ...probeArgs` once; available when it exits 0. */
export function probeTool(command: string, probeArgs: readonly string[] = ['--version']): ToolCheck {
  const result = spawnSync(command, probeArgs, { stdio: 'ignore', timeout: 10_000 });
  if (result.status === 0) return { available: true, reason: `${command} found` };
  const hint = INSTALL_HINTS[command] ?? `install ${command}`;
  const why = result.error ? (result.error as NodeJS.ErrnoException).code ?? String(result.error) : `exit ${result.status}`;
  return { available: false, reason: `${command} ${probeArgs.join(' ')} failed (${why}); ${hint}` };
}

/**
 * For tests that need an external tool: true when it is there. When it is not,
 * locally the test is skipped with a printed reason; under CI=true a missing
 * tool is a failure, never a silent skip.
 */
export function requireTool(command: string, probeArgs: readonly string[] = ['--version'], env: NodeJS.ProcessEnv = process.env): boolean {
  const check = probeTool(command, probeArgs);
  if (check.available) return true;
  if (env['CI'] === 'true' || env['CI'] === '1') {
    throw new ToolMissingError(`required test tool missing under CI: ${check.reason}`, { command });
  }
  console.warn(`[skip] ${check.reason}`);
  return false;
}

/** Debian's Chromium launcher, driven headless by npm `playwright-core`; `CHROMIUM_PATH` overrides it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * For browser tests: the Chromium executable to launch (`CHROMIUM_PATH`, else
 * Debian's `/usr/bin/chromium`) when it runs, else undefined — skipped locally
 * with a printed reason, a `ToolMissingError` under CI=true (as `requireTool`).
 */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const command = env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM;
  return requireTool(command, ['--version'], env) ? command : undefined;
}
