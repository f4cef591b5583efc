/**
 * Child processes of the consumer bench: the embedded broker app, the
 * producer and consumer apps (through @lakestream/testing's spawnApp), a
 * /proc sampler for peak RSS, and every child killed when the bench exits.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnApp, type AppProcess, type SpawnAppOptions } from '@lakestream/testing';
import { parseBatchLine } from './parse.js';

export const ROOT = process.cwd();
export const BROKER_MAIN = join(ROOT, 'apps/broker/dist/main.js');
export const PRODUCER_MAIN = join(ROOT, 'apps/producer/dist/main.js');
export const CONSUMER_MAIN = join(ROOT, 'apps/consumer/dist/main.js');
export const SIM_CLI = join(ROOT, 'libs/sim/dist/cli.js');

const live = new Set<AppProcess>();
let hooked = false;

/** spawnApp, remembered so that an exit of the bench (normal, error or signal) SIGKILLs it. */
export function start(script: string, args: readonly string[], options: SpawnAppOptions = {}): AppProcess {
  if (!hooked) {
    hooked = true;
    process.on('exit', killAll);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.on(sig, () => {
        killAll();
        process.exit(130);
      });
    }
  }
  const app = spawnApp(script, args, { cwd: ROOT, ...options, env: { KAFKA_BROKERS: undefined, ...options.env } });
  live.add(app);
  void app.exited.then(() => live.delete(app));
  return app;
}

export function killAll(): void {
  for (const app of live) app.kill('SIGKILL');
}

export interface Broker {
  readonly app: AppProcess;
  readonly bootstrap: string;
}

export async function startBroker(dir: string): Promise<Broker> {
  const app = start(BROKER_MAIN, ['--port', '0', '--dir', dir], { name: 'broker' });
  const m = await app.waitForLine(/^lakestream broker listening on (\S+):(\d+)/, 30_000, 'stdout');
  return { app, bootstrap: `${m[1]}:${m[2]}` };
}

/** Runs an app to completion; throws with its output on a non-zero exit or after the timeout. */
export async function runToEnd(app: AppProcess, timeoutMs: number): Promise<AppProcess> {
  const exit = await app.waitForExit(timeoutMs);
  if (exit.code !== 0) throw new Error(`${app.name} failed\n${app.describe()}`);
  return app;
}

export interface Sampled {
  readonly app: AppProcess;
  readonly wallSeconds: number;
  /** VmHWM (peak RSS) in MiB, last sample before exit; VmRSS max as a floor. */
  readonly peakRssMb: number;
  /** Arrival time (ms, performance.now) of each batch line with its bronze rows. */
  readonly batches: readonly { readonly at: number; readonly bronze: number; readonly quarantine: number }[];
}

function readKib(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples /proc/<pid>/status every `everyMs` until the app exits (or `until`
 * resolves, then SIGTERMs it) and notes when each batch line arrives.
 */
export async function sampleUntilExit(app: AppProcess, timeoutMs: number, options: { readonly everyMs?: number; readonly until?: Promise<unknown> } = {}): Promise<Sampled> {
  const t0 = performance.now();
  let peakKib = 0;
  let seen = 0;
  const batches: { at: number; bronze: number; quarantine: number }[] = [];
  const poll = () => {
    peakKib = Math.max(peakKib, readKib(app.pid, 'VmHWM'), readKib(app.pid, 'VmRSS'));
    const now = performance.now();
    for (; seen < app.stdoutLines.length; seen++) {
      const b = parseBatchLine(app.stdoutLines[seen] as string);
      if (b) batches.push({ at: now, bronze: b.bronze, quarantine: b.quarantine });
    }
  };
  const timer = setInterval(poll, options.everyMs ?? 50);
  if (options.until) void options.until.then(() => app.kill('SIGTERM'));
  try {
    const exit = await app.waitForExit(timeoutMs);
    poll();
    if (exit.code !== 0) throw new Error(`${app.name} failed\n${app.describe()}`);
  } finally {
    clearInterval(timer);
  }
  return { app, wallSeconds: (performance.now() - t0) / 1000, peakRssMb: peakKib / 1024, batches };
}

/** Events/s over batches 2..n by arrival time of their lines (the first batch carries start-up and group join). */
export function sustainedRate(batches: Sampled['batches']): number | undefined {
  if (batches.length < 3) return undefined;
  const first = batches[0] as Sampled['batches'][number];
  const last = batches.at(-1) as Sampled['batches'][number];
  const events = batches.slice(1).reduce((n, b) => n + b.bronze + b.quarantine, 0);
  const seconds = (last.at - first.at) / 1000;
  return seconds > 0 ? events / seconds : undefined;
}

/** Runs a command to completion with optional stdin / stdout files; resolves with wall seconds and stderr. */
export function run(cmd: string, args: readonly string[], io: { readonly stdin?: string; readonly stdout?: string; readonly timeoutMs?: number } = {}): Promise<{ seconds: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const inFd = io.stdin ? openSync(io.stdin, 'r') : 'ignore';
    const outFd = io.stdout ? openSync(io.stdout, 'w') : 'ignore';
    const child = spawn(cmd, args, { stdio: [inFd, outFd, 'pipe'] });
    for (const fd of [inFd, outFd]) if (typeof fd === 'number') closeSync(fd);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), io.timeoutMs ?? 600_000);
    const killer = () => child.kill('SIGKILL');
    process.on('exit', killer);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', killer);
      if (code === 0) resolve({ seconds: (performance.now() - t0) / 1000, stderr });
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}: ${stderr.slice(-2000)}`));
    });
  });
}
