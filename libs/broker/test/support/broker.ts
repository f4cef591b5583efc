/** An in-process broker on an ephemeral port over a temp data dir, and kafkajs clients for it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { Broker, type BrokerLogger, type BrokerOptions, type LogFields } from '../../src/index.js';

export interface TestBroker {
  readonly broker: Broker;
  readonly dir: string;
  readonly logs: RecordingLogger;
  /** Closes the broker (if still open) and removes the data dir. */
  cleanup(): Promise<void>;
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

export class RecordingLogger implements BrokerLogger {
  readonly lines: LogLine[] = [];
  info(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

export async function tempDir(prefix = 'lakestream-broker-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startTestBroker(options: Partial<BrokerOptions> = {}): Promise<TestBroker> {
  const dir = options.dir ?? (await tempDir());
  const logs = new RecordingLogger();
  const broker = await Broker.start({ port: 0, groupMinSessionTimeoutMs: 1000, ...options, dir, logger: options.logger ?? logs });
  return {
    broker,
    dir,
    logs,
    cleanup: async () => {
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function kafkaFor(bootstrap: string, config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ clientId: 'broker-test', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 }, ...config });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
