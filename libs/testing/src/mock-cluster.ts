import { spawn, type ChildProcess } from 'node:child_process';
import { MockClusterError } from './errors.js';
import { KCAT } from './kcat.js';
import { startMetadataProxy, type MetadataProxy } from './metadata-proxy.js';

export interface MockClusterOptions {
  /** Number of mock brokers (`test.mock.num.brokers`). Default 1. */
  readonly brokers?: number;
  /** Fail when no bootstrap address was logged within this time. Default 10 s. */
  readonly startTimeoutMs?: number;
  /**
   * Put the controller-fixing metadata proxy in front (see metadata-proxy.ts)
   * so kafkajs's idempotent producer works. Default true.
   */
  readonly fixController?: boolean;
  /** The kcat executable. Default `kcat` on the PATH. */
  readonly kcat?: string;
}

/**
 * librdkafka's in-process mock Kafka cluster, hosted by a kcat process.
 * Topics are auto-created on first use with 4 partitions; each partition keeps
 * only its newest ~40k messages, so keep test volumes below that.
 */
export interface MockCluster {
  /** Bootstrap list for kafkajs (through the metadata proxy unless fixController is false). */
  readonly bootstrap: string;
  /** The mock's own listeners, for librdkafka clients such as kcat. */
  readonly directBootstrap: string;
  readonly pid: number;
  /** Kills the kcat process group and closes the proxy. Idempotent. */
  stop(): Promise<void>;
}

/** Topic the hosting kcat consumes so it stays up; tests should not use it. */
export const MOCK_KEEPALIVE_TOPIC = '__lakestream_mock_keepalive';

const ADDRESS_PATTERNS = [/bootstrap\.servers=(\S+)/, /replaced with (\S+)/];
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts `kcat -b x:1 -X test.mock.num.brokers=N -C -t <keepalive>` in its own
 * process group and resolves once it has logged its bootstrap address.
 */
export async function startMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  const { brokers = 1, startTimeoutMs = 10_000, fixController = true, kcat = KCAT } = options;
  installExitHook();
  const args = ['-b', 'x:1', '-X', `test.mock.num.brokers=${brokers}`, '-C', '-t', MOCK_KEEPALIVE_TOPIC, '-o', 'end'];
  const child = spawn(kcat, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  const command = `${kcat} ${args.join(' ')}`;

  let directBootstrap: string;
  try {
    directBootstrap = await waitForAddress(child, startTimeoutMs, command);
  } catch (error) {
    killGroup(child);
    running.delete(child);
    throw error;
  }

  let proxy: MetadataProxy | undefined;
  try {
    proxy = fixController ? await startMetadataProxy(directBootstrap.split(',')) : undefined;
  } catch (cause) {
    killGroup(child);
    running.delete(child);
    throw new MockClusterError('MOCK_CLUSTER_START_FAILED', `could not start the metadata proxy: ${String(cause)}`, { command }, { cause });
  }

  let stopped: Promise<void> | undefined;
  return {
    bootstrap: proxy?.bootstrap ?? directBootstrap,
    directBootstrap,
    pid: child.pid ?? -1,
    stop() {
      stopped ??= (async () => {
        await proxy?.close();
        await terminate(child);
        running.delete(child);
      })();
      return stopped;
    },
  };
}

function waitForAddress(child: ChildProcess, timeoutMs: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () => settle(() => reject(new MockClusterError('MOCK_CLUSTER_TIMEOUT', `kcat mock cluster logged no bootstrap address within ${timeoutMs} ms; stderr: ${stderr.trim() || '(empty)'}`, { command, stderr }))),
      timeoutMs,
    );
    // Keep draining stderr for the process's whole life so it never blocks on a full pipe.
    child.stderr?.on('data', (chunk: Buffer) => {
      if (settled) return;
      stderr += chunk.toString('utf8');
      for (const pattern of ADDRESS_PATTERNS) {
        const match = pattern.exec(stderr);
        if (match?.[1]) {
          const address = match[1];
          settle(() => resolve(address));
          return;
        }
      }
    });
    child.once('error', (cause) =>
      settle(() => reject(new MockClusterError('MOCK_CLUSTER_START_FAILED', `could not run ${command}: ${cause.message} (apt-get install kcat)`, { command }, { cause }))),
    );
    child.once('exit', (code, signal) =>
      settle(() => reject(new MockClusterError('MOCK_CLUSTER_START_FAILED', `kcat mock cluster exited with ${code ?? signal} before logging its address; stderr: ${stderr.trim()}`, { command, stderr }))),
    );
  });
}

/** SIGKILL: the mock keeps everything in memory, so there is nothing to shut down gracefully (SIGTERM costs ~1 s). */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGKILL');
  await exited;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** A detached kcat would outlive a crashed test runner; kill what is still running on exit. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child);
  });
}
