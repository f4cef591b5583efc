/** Cross-process helpers: run the built producer CLI and read back what it published. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, type DecodedMessage } from '@lakestream/codec';
import type { KcatRecord } from '@lakestream/testing';

/** The built app: what `nx run producer:serve` runs (the test target depends on build). */
export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));

export interface ProducerRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly done: Promise<ProducerRun>;
  /** Resolves when stderr contains `text`. */
  waitForStderr(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

export function spawnProducer(args: readonly string[], env: Record<string, string | undefined> = {}): Spawned {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nx run producer:build\` (nx run producer:test does it first)`);
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: WORKSPACE,
    env: { ...process.env, KAFKA_BROKERS: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: string | RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...watchers]) {
      if (typeof w.pattern === 'string' ? stderr.includes(w.pattern) : w.pattern.test(stderr)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const done = new Promise<ProducerRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - started }));
  });
  return {
    child,
    done,
    waitForStderr(pattern, timeoutMs = 20_000) {
      if (typeof pattern === 'string' ? stderr.includes(pattern) : pattern.test(stderr)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stderr never showed ${String(pattern)}; stderr so far:\n${stderr}`)), timeoutMs);
        watchers.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

export async function runProducer(args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 45_000): Promise<ProducerRun> {
  const spawned = spawnProducer(args, env);
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), timeoutMs);
  const run = await spawned.done;
  clearTimeout(timer);
  return run;
}

/** A number from the summary block, e.g. summaryValue(out, 'events'). */
export function summaryValue(stdout: string, name: string): number {
  const match = new RegExp(`^  ${name}\\s+(\\d+)`, 'm').exec(stdout);
  if (!match?.[1]) throw new Error(`no '${name}' in the summary:\n${stdout}`);
  return Number(match[1]);
}

export interface DecodedRecord {
  readonly key: string;
  readonly partition: number;
  readonly message: DecodedMessage;
}

/** Decodes every record's value with @lakestream/codec; a record that does not decode fails the test. */
export function decodeRecords(records: readonly KcatRecord[]): DecodedRecord[] {
  return records.map((r) => {
    if (r.value === null) throw new Error(`null value at ${r.partition}/${r.offset}`);
    const result = decode(r.value);
    if (!result.ok) throw new Error(`record ${r.partition}/${r.offset} does not decode: ${result.error.message}`);
    return { key: r.key?.toString('utf8') ?? '', partition: r.partition, message: result.value };
  });
}

/** Events grouped by key, in partition (= per-key send) order; checks every key sits on one partition. */
export function eventsByKey<E>(decoded: readonly DecodedRecord[], keyOf: (event: E) => string): Map<string, E[]> {
  const partitionOfKey = new Map<string, number>();
  const byKey = new Map<string, E[]>();
  for (const record of decoded) {
    const seen = partitionOfKey.get(record.key);
    if (seen !== undefined && seen !== record.partition) throw new Error(`key ${record.key} on partitions ${seen} and ${record.partition}`);
    partitionOfKey.set(record.key, record.partition);
    for (const event of record.message.events as E[]) {
      if (keyOf(event) !== record.key) throw new Error(`event of ${keyOf(event)} in a message keyed ${record.key}`);
      let list = byKey.get(record.key);
      if (!list) byKey.set(record.key, (list = []));
      list.push(event);
    }
  }
  return byKey;
}
