/**
 * The built apps as child processes for the consumer's cross-process tests:
 * the embedded broker (`apps/broker/dist/main.js`), the producer
 * (`apps/producer/dist/main.js`) and the consumer (`apps/consumer/dist/main.js`),
 * each through `spawnApp` from @lakestream/testing (captured output, waits with
 * timeouts, the output tails in every error).
 *
 * Building: `nx run e2e:test` builds the apps first (tools/e2e/package.json
 * `nx.targets.test.dependsOn` lists `broker:build`, `producer:build`,
 * `consumer:build`). Running vitest directly in tools/e2e does not: build with
 * `npx nx run-many -t build -p broker producer consumer` first. A missing
 * `dist/main.js` fails with APP_START_FAILED naming the build command.
 *
 * Any Kafka: with `KAFKA_BROKERS=host:port[,host:port]` in the environment,
 * `startKafka()` starts no embedded broker and the tests use that cluster
 * (topics must be auto-created or exist; give each test run fresh topic /
 * group names — `uniqueName()` — because nothing is wiped between runs).
 * Tests that restart the broker (`kafka.restart`) are skipped there:
 * `kafka.restartable` is false. CI uses the embedded broker.
 *
 * Set LAKESTREAM_E2E_ECHO=1 to stream every child's output to the test's stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcessError, spawnApp, type AppExit, type AppProcess, type SpawnAppOptions } from '@lakestream/testing';
import { inWorkspace, WORKSPACE_ROOT } from '../workspace.js';

export const BROKER_MAIN = inWorkspace('apps', 'broker', 'dist', 'main.js');
export const PRODUCER_MAIN = inWorkspace('apps', 'producer', 'dist', 'main.js');
export const CONSUMER_MAIN = inWorkspace('apps', 'consumer', 'dist', 'main.js');

const LISTENING = /^lakestream broker listening on (\S+):(\d+) \(data: (.*)\)$/;

/** A temporary directory removed by `cleanup()`. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `lakestream-e2e-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A name unique to this test run (topics, group ids) so runs against a shared KAFKA_BROKERS do not collide. */
export function uniqueName(base: string): string {
  return `${base}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface BrokerApp {
  readonly app: AppProcess;
  readonly host: string;
  readonly port: number;
  /** `host:port` for kafkajs, kcat and the apps' `--brokers`. */
  readonly bootstrap: string;
  readonly dir: string;
}

export interface StartBrokerOptions {
  /** Data directory (kept across restarts). */
  readonly dir: string;
  /** Port; 0 (default) picks a free one. Restarts reuse the first port so clients reconnect. */
  readonly port?: number;
  /** Extra flags, e.g. ['--partitions', '4', '--flush', 'always']. */
  readonly args?: readonly string[];
  readonly startTimeoutMs?: number;
}

/** Starts the embedded broker app and waits for its listening line. */
export async function startBrokerApp(options: StartBrokerOptions): Promise<BrokerApp> {
  const { dir, port = 0, args = [], startTimeoutMs = 30_000 } = options;
  const app = spawnApp(BROKER_MAIN, ['--port', String(port), '--dir', dir, ...args], { name: 'broker', cwd: WORKSPACE_ROOT });
  try {
    const m = await app.waitForLine(LISTENING, startTimeoutMs, 'stdout');
    const host = m[1] as string;
    const boundPort = Number(m[2]);
    return { app, host, port: boundPort, bootstrap: `${host}:${boundPort}`, dir };
  } catch (error) {
    await app.kill9();
    throw error;
  }
}

/** The Kafka the tests talk to: the embedded broker app, or the cluster named by KAFKA_BROKERS. */
export interface KafkaUnderTest {
  readonly bootstrap: string;
  /** False for KAFKA_BROKERS: the tests cannot restart someone else's cluster. */
  readonly restartable: boolean;
  /** The broker process (embedded only; changes after each restart). */
  broker(): BrokerApp | undefined;
  /** kill -9 the broker and start it again on the same port and data directory. */
  restart(options?: { readonly downMs?: number }): Promise<void>;
  /** Stops the broker (SIGTERM, then SIGKILL) and removes its temporary directory. */
  stop(): Promise<void>;
}

export async function startKafka(options: { readonly env?: NodeJS.ProcessEnv; readonly args?: readonly string[] } = {}): Promise<KafkaUnderTest> {
  const external = (options.env ?? process.env)['KAFKA_BROKERS']?.trim();
  if (external) {
    return {
      bootstrap: external,
      restartable: false,
      broker: () => undefined,
      restart: () => Promise.reject(new AppProcessError('APP_START_FAILED', `cannot restart the external Kafka at KAFKA_BROKERS=${external}`, {})),
      stop: () => Promise.resolve(),
    };
  }
  const { dir, cleanup } = await tempDir('broker');
  let current = await startBrokerApp({ dir, args: options.args ?? [] });
  const port = current.port;
  return {
    bootstrap: current.bootstrap,
    restartable: true,
    broker: () => current,
    async restart({ downMs = 0 } = {}) {
      await current.app.kill9();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      current = await startBrokerApp({ dir, port, args: options.args ?? [] });
    },
    async stop() {
      try {
        await current.app.stop('SIGTERM', 15_000).catch(() => undefined);
      } finally {
        await cleanup();
      }
    },
  };
}

/** The apps take their brokers from `--brokers`; drop an inherited KAFKA_BROKERS so only the flag counts. */
function appEnv(env: SpawnAppOptions['env']): Record<string, string | undefined> {
  return { KAFKA_BROKERS: undefined, ...env };
}

/** Starts the producer app (`--brokers <bootstrap>` plus `args`); it exits by itself in bounded modes. */
export function spawnProducer(bootstrap: string, args: readonly string[], options: SpawnAppOptions = {}): AppProcess {
  return spawnApp(PRODUCER_MAIN, ['--brokers', bootstrap, ...args], { name: 'producer', cwd: WORKSPACE_ROOT, ...options, env: appEnv(options.env) });
}

/** Runs the producer to completion; rejects (with its output) on a non-zero exit or after `timeoutMs`. */
export async function runProducer(bootstrap: string, args: readonly string[], timeoutMs = 120_000, options: SpawnAppOptions = {}): Promise<AppProcess> {
  const app = spawnProducer(bootstrap, args, options);
  const exit = await app.waitForExit(timeoutMs);
  if (exit.code !== 0) throw new AppProcessError('APP_EXITED', `producer failed\n${app.describe()}`, { exit });
  return app;
}

/** Starts the consumer app (`--brokers <bootstrap>` plus `args`, e.g. `--group`, `--tables`, `--once`). */
export function spawnConsumer(bootstrap: string, args: readonly string[], options: SpawnAppOptions = {}): AppProcess {
  return spawnApp(CONSUMER_MAIN, ['--brokers', bootstrap, ...args], { name: 'consumer', cwd: WORKSPACE_ROOT, ...options, env: appEnv(options.env) });
}

/** Runs the consumer to completion (`--once` mode); rejects (with its output) on a non-zero exit or after `timeoutMs`. */
export async function runConsumerOnce(bootstrap: string, args: readonly string[], timeoutMs = 180_000, options: SpawnAppOptions = {}): Promise<AppProcess> {
  const app = spawnConsumer(bootstrap, [...args, '--once'], options);
  const exit = await app.waitForExit(timeoutMs);
  if (exit.code !== 0) throw new AppProcessError('APP_EXITED', `consumer --once failed\n${app.describe()}`, { exit });
  return app;
}

/**
 * A process that gets kill -9'd and restarted with the same arguments: the
 * chaos tests' consumer. `current()` is the live process; `history` keeps every
 * earlier one (their output stays readable for failure messages).
 */
export interface Restartable {
  current(): AppProcess;
  readonly history: readonly AppProcess[];
  /** kill -9 the current process, then start a new one (after `downMs`). */
  kill9AndRestart(downMs?: number): Promise<AppProcess>;
  /** Graceful stop of the current process (SIGTERM; SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<AppExit>;
  /** Every process's output tails, for an assertion message. */
  describe(): string;
}

export function restartable(start: () => AppProcess): Restartable {
  const history: AppProcess[] = [];
  let current = start();
  return {
    current: () => current,
    history,
    async kill9AndRestart(downMs = 0) {
      await current.kill9();
      history.push(current);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      current = start();
      return current;
    },
    stop: (timeoutMs = 30_000) => current.stop('SIGTERM', timeoutMs),
    describe: () => [...history, current].map((p, i) => `#${i} ${p.describe()}`).join('\n\n'),
  };
}

/** kill -9 a process (any AppProcess) and wait until it is gone. */
export function kill9(app: AppProcess): Promise<AppExit> {
  return app.kill9();
}
