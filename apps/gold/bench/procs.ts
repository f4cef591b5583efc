/**
 * Child processes of the gold bench: spawned to completion with wall time,
 * stdout lines, and peak RSS from /proc/<pid>/status (VmHWM, sampled every
 * 20 ms until exit; VmRSS as a floor). A child still running when the bench
 * exits is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface Ran {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

function readKib(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Runs `node <args>` (cwd: the workspace root); rejects with its output on a non-zero exit or after `timeoutMs`. */
export function runNode(args: readonly string[], timeoutMs = 30 * 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    let err = '';
    let peak = 0;
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const pid = child.pid ?? 0;
    const poll = (): void => {
      peak = Math.max(peak, readKib(pid, 'VmHWM'), readKib(pid, 'VmRSS'));
    };
    const timer = setInterval(poll, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timer);
      clearTimeout(killer);
      live.delete(child);
      if (code === 0) resolve({ seconds, peakRssMb: peak / 1024, stdout: out, stderr: err });
      else reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}\n--- stdout (tail)\n${out.slice(-3000)}\n--- stderr\n${err.slice(-3000)}`));
    });
  });
}

/** 1-minute load average (other jobs on this 2-core VM skew wall times). */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}
