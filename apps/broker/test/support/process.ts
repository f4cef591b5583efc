/** The built broker app as a child process: start it, read its listening line, signal it, wait for its exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const LISTENING = /^lakestream broker listening on (\S+):(\d+) \(data: (.*)\)$/m;

export interface BrokerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly bootstrap: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | NodeJS.Signals>;
}

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lakestream-broker-app-'));
}

/** Runs main.js to completion (for --help, usage errors, port in use). */
export function runMain(args: readonly string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the broker app and resolves once it printed its listening line. */
export function startBrokerProcess(args: readonly string[], timeoutMs = 30_000): Promise<BrokerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | NodeJS.Signals>((r) => child.on('exit', (code, signal) => r(code ?? (signal as NodeJS.Signals))));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker did not start in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = LISTENING.exec(out);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[2]);
        resolve({ child, port, bootstrap: `127.0.0.1:${port}`, stdout: () => out, stderr: () => err, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited (${code}) before listening: ${err}`));
    });
  });
}

export function kafkaFor(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'broker-app-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } });
}
