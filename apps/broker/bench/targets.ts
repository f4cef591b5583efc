/**
 * The two brokers under test, each in its own process so its CPU and memory
 * are its own: our broker app (apps/broker/dist/main.js, fresh data dir,
 * default flush policy) and librdkafka's mock cluster hosted by kcat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kcatMetadata, startMockCluster } from '@lakestream/testing';
import { memory, type Memory } from './proc.js';

export const BROKER_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const LISTENING = /^lakestream broker listening on (\S+):(\d+) /m;

export type TargetKind = 'mock' | 'ours';

export interface PartitionOffsets {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

export interface Target {
  readonly kind: TargetKind;
  readonly bootstrap: string;
  /** The process doing the broker's work (CPU and memory are read from it). */
  readonly pid: number;
  /** Creates `topic` with `partitions` partitions, or fails when the broker cannot. */
  createTopic(topic: string, partitions: number): Promise<void>;
  offsets(topic: string): Promise<PartitionOffsets[]>;
  memory(): Memory | undefined;
  /** Stops the broker; resolves with its memory just before the stop. */
  stop(): Promise<Memory | undefined>;
}

function adminFor(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'lakestream-bench-admin', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } });
}

async function topicOffsets(admin: Admin, topic: string): Promise<PartitionOffsets[]> {
  const rows = await admin.fetchTopicOffsets(topic);
  return rows.map((r) => ({ partition: r.partition, low: Number(r.low), high: Number(r.high) })).sort((a, b) => a.partition - b.partition);
}

/**
 * The mock, reached directly (no metadata proxy): the proxy would run inside
 * this script's process and add a hop the other broker does not have. Only
 * idempotent kafkajs producers and admin calls to the controller need the
 * proxy, and the benchmark uses neither on the mock.
 */
export async function startMock(): Promise<Target> {
  const cluster = await startMockCluster({ brokers: 1, fixController: false });
  const admin = adminFor(cluster.directBootstrap).admin();
  await admin.connect();
  const pid = cluster.pid;
  return {
    kind: 'mock',
    bootstrap: cluster.directBootstrap,
    pid,
    async createTopic(topic, partitions) {
      // librdkafka 2.0.2's mock has no CreateTopics handler: Metadata auto-creates with its fixed default of 4.
      const meta = await kcatMetadata(cluster.directBootstrap, topic);
      const got = meta.topics.find((t) => t.topic === topic)?.partitions.length ?? 0;
      if (got !== partitions) throw new Error(`mock created ${topic} with ${got} partitions, not ${partitions}`);
    },
    offsets: (topic) => topicOffsets(admin, topic),
    memory: () => memory(pid),
    async stop() {
      const mem = memory(pid);
      await admin.disconnect();
      await cluster.stop();
      return mem;
    },
  };
}

export interface OursOptions {
  readonly dir: string;
  readonly defaultPartitions: number;
  /** Write a V8 CPU profile of the broker into this directory (on its clean exit). */
  readonly cpuProfileDir?: string;
}

/** Our broker app as a child process, started exactly as a user would (plus a free port and a temp dir). */
export async function startOurs(options: OursOptions): Promise<Target> {
  if (!existsSync(BROKER_MAIN)) throw new Error(`${BROKER_MAIN} is missing: run NX_DAEMON=false npx nx run broker:build`);
  const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const args = [...nodeArgs, BROKER_MAIN, '--port', '0', '--dir', options.dir, '--partitions', String(options.defaultPartitions)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = tail(child);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`broker printed no listening line in 30 s; stderr: ${stderr()}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = LISTENING.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[2]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited (${code}) before listening; stderr: ${stderr()}`));
    });
  });
  const pid = child.pid as number;
  const bootstrap = `127.0.0.1:${port}`;
  const admin = adminFor(bootstrap).admin();
  await admin.connect();
  return {
    kind: 'ours',
    bootstrap,
    pid,
    async createTopic(topic, partitions) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const got = meta.topics[0]?.partitions.length ?? 0;
      if (got !== partitions) throw new Error(`our broker created ${topic} with ${got} partitions, not ${partitions}`);
    },
    offsets: (topic) => topicOffsets(admin, topic),
    memory: () => memory(pid),
    async stop() {
      const mem = memory(pid);
      await admin.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.kill('SIGTERM');
      const code = await exited;
      clearTimeout(timer);
      if (code !== '0') throw new Error(`broker exited with ${code} on SIGTERM; stderr: ${stderr()}`);
      return mem;
    },
  };
}

/** Keeps the last 16 KiB of the child's stderr (it logs one line per connection). */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    text = (text + d).slice(-16_384);
  });
  return () => text.trim();
}
