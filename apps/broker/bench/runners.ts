/**
 * Timed runs of one client against one broker, with the broker's CPU read
 * from /proc around exactly the timed part (kafkajs) or the client's whole
 * life (kcat, whose startup is 10–20 ms).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KCAT } from '@lakestream/testing';
import type { ClientJob, ClientMessage, ClientStep, TopicCount } from './kafkajs-client.js';
import { cpuSeconds } from './proc.js';
import type { Target } from './targets.js';
import { payloadBytes } from './workload.js';

export interface Sample {
  readonly messages: number;
  readonly payloadBytes: number;
  readonly seconds: number;
  /** CPU the broker's process used during the run. */
  readonly brokerCpuSeconds: number;
  /** CPU the client process used during the run. */
  readonly clientCpuSeconds: number;
}

const CLIENT = fileURLToPath(new URL('./kafkajs-client.ts', import.meta.url));

/** A forked kafkajs-client.ts (with this process's loader flags: tsx, source conditions), driven step by step. */
export class KafkajsClient {
  private readonly child: ChildProcess;
  private readonly target: Target;
  private readonly timeoutMs: number;
  private pending: { resolve: (m: ClientMessage) => void; reject: (e: Error) => void } | undefined;
  private exitError: Error | undefined;

  private constructor(job: ClientJob, target: Target, timeoutMs: number) {
    this.target = target;
    this.timeoutMs = timeoutMs;
    this.child = fork(CLIENT, [JSON.stringify(job)], { execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    // kafkajs logs (errors only) go to our stderr, never into the report on stdout.
    this.child.stdout?.pipe(process.stderr);
    this.child.stderr?.pipe(process.stderr);
    this.child.on('message', (m: ClientMessage) => {
      const p = this.pending;
      this.pending = undefined;
      if (m.type === 'failed') p?.reject(new Error(`kafkajs ${job.kind} against ${target.kind} failed: ${m.error}`));
      else p?.resolve(m);
    });
    this.child.on('exit', (code, signal) => {
      this.exitError = new Error(`kafkajs client (${job.kind} against ${target.kind}) exited with ${code ?? signal}`);
      this.pending?.reject(this.exitError);
      this.pending = undefined;
    });
  }

  /** Forks the client and waits until it has connected and warmed up. */
  static async start(job: ClientJob, target: Target, timeoutMs: number): Promise<KafkajsClient> {
    const client = new KafkajsClient(job, target, timeoutMs);
    await client.next();
    return client;
  }

  /** One timed step, with the broker's CPU read around it. */
  async run(topic?: TopicCount): Promise<Sample> {
    const cpu0 = cpuSeconds(this.target.pid);
    const reply = this.next();
    this.child.send({ type: 'step', ...(topic ? { topic } : {}) } satisfies ClientStep);
    const m = await reply;
    const brokerCpuSeconds = cpuSeconds(this.target.pid) - cpu0;
    if (m.type !== 'done') throw new Error(`kafkajs client answered ${m.type} to a step`);
    return { ...m.result, brokerCpuSeconds };
  }

  async close(): Promise<void> {
    if (this.exitError || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    this.child.send({ type: 'exit' } satisfies ClientStep);
    await exited;
    clearTimeout(timer);
  }

  private next(): Promise<ClientMessage> {
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`kafkajs client against ${this.target.kind} did not answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending = {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
  }
}

/** Sums the samples of several steps (e.g. consume rounds) into one. */
export function addSamples(samples: readonly Sample[]): Sample {
  const total = (f: (s: Sample) => number) => samples.reduce((sum, s) => sum + f(s), 0);
  return {
    messages: total((s) => s.messages),
    payloadBytes: total((s) => s.payloadBytes),
    seconds: total((s) => s.seconds),
    brokerCpuSeconds: total((s) => s.brokerCpuSeconds),
    clientCpuSeconds: total((s) => s.clientCpuSeconds),
  };
}

interface KcatRun {
  readonly seconds: number;
  readonly stdoutNewlines: number;
  readonly cpuSeconds: number;
}

/**
 * Runs kcat under bash so bash's `times` can report the child's CPU (Node has
 * no getrusage(RUSAGE_CHILDREN)); bash's own cost is a fork and an exec.
 */
function kcatTimed(args: readonly string[], timeoutMs: number): Promise<KcatRun> {
  return new Promise((resolve, reject) => {
    const script = `"$0" "$@"; rc=$?; times >&2; exit $rc`;
    const child = spawn('bash', ['-c', script, KCAT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let newlines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-16_384);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const t0 = performance.now();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - t0) / 1000;
      clearTimeout(timer);
      // `times` prints the shell's user/sys, then its children's: "0m1.234s 0m0.567s".
      const lines = stderr.trim().split('\n');
      const childTimes = (lines.at(-1) ?? '').match(/(\d+)m([\d.]+)s/g) ?? [];
      const cpu = childTimes.reduce((sum, t) => {
        const m = /(\d+)m([\d.]+)s/.exec(t);
        return sum + (m ? Number(m[1]) * 60 + Number(m[2]) : 0);
      }, 0);
      const diagnostics = lines.slice(0, -2).join('\n');
      if (code !== 0) reject(new Error(`${KCAT} ${args.join(' ')} exited with ${code ?? signal}: ${diagnostics}`));
      else resolve({ seconds, stdoutNewlines: newlines, cpuSeconds: cpu });
    });
  });
}

/** `kcat -P` from a file of `key:value` lines, librdkafka's producer defaults unless `config` (-X) says otherwise. Verifies the topic grew by `count`. */
export async function kcatProduce(target: Target, topic: string, file: string, count: number, timeoutMs: number, config: readonly string[] = []): Promise<Sample> {
  const before = sum(await target.offsets(topic));
  const cpu0 = cpuSeconds(target.pid);
  const run = await kcatTimed(['-P', '-b', target.bootstrap, '-t', topic, '-K', ':', ...config.flatMap((c) => ['-X', c]), '-l', file], timeoutMs);
  const brokerCpuSeconds = cpuSeconds(target.pid) - cpu0;
  const grown = sum(await target.offsets(topic)) - before;
  if (grown !== count) throw new Error(`kcat -P into ${target.kind}/${topic}: the log grew by ${grown}, expected ${count}`);
  return { messages: count, payloadBytes: payloadBytes(count), seconds: run.seconds, brokerCpuSeconds, clientCpuSeconds: run.cpuSeconds };
}

/**
 * `kcat -C -o beginning -c <count>` of one topic (no group), one line per
 * message counted and checked. `-c` rather than `-e`: librdkafka only sees
 * end-of-partition after a fetch at the end offset, which every broker parks
 * for fetch.wait.max.ms (500 ms), so `-e` would time mostly an idle long poll.
 */
export async function kcatConsume(target: Target, { topic, count }: TopicCount, timeoutMs: number): Promise<Sample> {
  const cpu0 = cpuSeconds(target.pid);
  const run = await kcatTimed(['-C', '-b', target.bootstrap, '-t', topic, '-o', 'beginning', '-c', String(count), '-q', '-f', '\\n'], timeoutMs);
  const brokerCpuSeconds = cpuSeconds(target.pid) - cpu0;
  if (run.stdoutNewlines !== count) throw new Error(`kcat -C from ${target.kind}/${topic}: read ${run.stdoutNewlines} messages, expected ${count}`);
  return { messages: count, payloadBytes: payloadBytes(count), seconds: run.seconds, brokerCpuSeconds, clientCpuSeconds: run.cpuSeconds };
}

function sum(offsets: readonly { high: number }[]): number {
  return offsets.reduce((s, p) => s + p.high, 0);
}
