import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KcatError } from './errors.js';
import { KCAT_RECORD_FORMAT, parseKcatRecords, type KcatRecord } from './kcat-records.js';

/** kcat binary; tests call `requireTool(KCAT, ['-V'])` first. */
export const KCAT = 'kcat';

export interface KcatConsumeOptions {
  /** librdkafka bootstrap list, e.g. `MockCluster.directBootstrap`. */
  readonly bootstrap: string;
  readonly topic: string;
  /** Stop after this many records (over all partitions). */
  readonly count?: number;
  /** Stop at the end of every partition (`kcat -e`). At least one of count / untilEof. */
  readonly untilEof?: boolean;
  /** Only this partition. */
  readonly partition?: number;
  /** Give up (KCAT_TIMEOUT, with the records read so far in the context) after this long. Default 20 s. */
  readonly timeoutMs?: number;
  /**
   * Also read each record's headers (a second kcat pass with `-J`, joined on
   * partition and offset: kcat's byte-safe format has no header field).
   * Header values are read as UTF-8 text. Use on topics that are no longer
   * written to (e.g. the DLQ after a run).
   */
  readonly headers?: boolean;
}

/**
 * Reads records back from the beginning of a topic with kcat, binary-exact.
 * Resolves with the records in the order kcat printed them (per partition in
 * offset order; partitions interleave).
 */
export async function kcatConsume(options: KcatConsumeOptions): Promise<KcatRecord[]> {
  const records = await kcatConsumeBytes(options);
  return options.headers ? attachHeaders(options, records) : records;
}

async function kcatConsumeBytes(options: KcatConsumeOptions): Promise<KcatRecord[]> {
  const { bootstrap, topic, count, untilEof = count === undefined, partition, timeoutMs = 20_000 } = options;
  // -u: unbuffered, so the records read before a timeout are not lost with kcat's stdio buffer.
  const args = ['-C', '-u', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-q', '-f', KCAT_RECORD_FORMAT];
  if (partition !== undefined) args.push('-p', String(partition));
  if (count !== undefined) args.push('-c', String(count));
  if (untilEof) args.push('-e');
  const { stdout } = await runKcat(args, { timeoutMs, context: { bootstrap, topic }, partialOnTimeout: true });
  const { records, consumed } = parseKcatRecords(stdout);
  if (consumed !== stdout.length) {
    throw new KcatError('KCAT_OUTPUT_INVALID', `kcat stopped in the middle of a record (${stdout.length - consumed} trailing bytes)`, { bootstrap, topic });
  }
  if (count !== undefined && records.length < count && !untilEof) {
    throw new KcatError('KCAT_FAILED', `kcat read ${records.length} of ${count} records from ${topic}`, { bootstrap, topic });
  }
  return records;
}

export interface KcatProduceMessage {
  readonly key?: string | null;
  readonly value: Uint8Array;
  readonly partition?: number;
  /** Record headers (`kcat -H name=value`); names must not contain `=`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One kcat `-J` pass over the topic for the headers, joined to `records` on
 * (partition, offset). A record the second pass did not see is an error: the
 * topic changed between the passes.
 */
async function attachHeaders(options: KcatConsumeOptions, records: KcatRecord[]): Promise<KcatRecord[]> {
  if (records.length === 0) return records;
  const { bootstrap, topic, partition, timeoutMs = 20_000 } = options;
  const args = ['-C', '-u', '-J', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-q', '-e'];
  if (partition !== undefined) args.push('-p', String(partition));
  if (options.count !== undefined) args.push('-c', String(options.count));
  const { stdout } = await runKcat(args, { timeoutMs, context: { bootstrap, topic } });
  const headers = new Map<string, Record<string, string>>();
  for (const line of stdout.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    let parsed: { partition: number; offset: number; headers?: string[] };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch (cause) {
      throw new KcatError('KCAT_OUTPUT_INVALID', `kcat -J printed a line that is not JSON: ${line.slice(0, 200)}`, { bootstrap, topic }, { cause });
    }
    headers.set(`${parsed.partition}/${parsed.offset}`, headerPairs(parsed.headers ?? []));
  }
  return records.map((record) => {
    const found = headers.get(`${record.partition}/${record.offset}`);
    if (!found) throw new KcatError('KCAT_FAILED', `kcat -J did not see ${topic} ${record.partition}/${record.offset} (topic changed between passes?)`, { bootstrap, topic });
    return { ...record, headers: found };
  });
}

/** kcat -J prints headers as a flat [name, value, name, value, ...] array; a repeated name keeps its last value. */
function headerPairs(flat: readonly (string | null)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1] ?? '';
  return out;
}

/**
 * Produces messages with kcat (librdkafka as an independent client): each value
 * is written to a temporary file and sent whole, so arbitrary bytes survive.
 * Empty values are not supported (kcat skips empty files).
 */
export async function kcatProduce(options: {
  bootstrap: string;
  topic: string;
  messages: readonly KcatProduceMessage[];
  /** librdkafka compression (`kcat -z`). */
  compression?: 'snappy' | 'gzip' | 'lz4';
  timeoutMs?: number;
}): Promise<void> {
  const { bootstrap, topic, messages, compression, timeoutMs = 20_000 } = options;
  const dir = await mkdtemp(join(tmpdir(), 'kcat-produce-'));
  try {
    // One kcat run per consecutive (key, partition) group keeps the order of `messages`.
    let i = 0;
    while (i < messages.length) {
      const first = messages[i] as KcatProduceMessage;
      const files: string[] = [];
      while (i < messages.length && sameTarget(messages[i] as KcatProduceMessage, first)) {
        const message = messages[i] as KcatProduceMessage;
        if (message.value.length === 0) throw new KcatError('KCAT_FAILED', 'kcatProduce cannot send empty values', { topic });
        const file = join(dir, `${i}.bin`);
        await writeFile(file, message.value);
        files.push(file);
        i += 1;
      }
      const args = ['-P', '-b', bootstrap, '-t', topic, '-q'];
      if (compression) args.push('-z', compression);
      if (first.key != null) args.push('-k', first.key);
      if (first.partition !== undefined) args.push('-p', String(first.partition));
      for (const [name, value] of Object.entries(first.headers ?? {})) args.push('-H', `${name}=${value}`);
      await runKcat([...args, ...files], { timeoutMs, context: { bootstrap, topic } });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sameTarget(a: KcatProduceMessage, b: KcatProduceMessage): boolean {
  return (a.key ?? null) === (b.key ?? null) && a.partition === b.partition && JSON.stringify(a.headers ?? {}) === JSON.stringify(b.headers ?? {});
}

export interface KcatMetadata {
  readonly controllerId: number;
  readonly brokers: readonly { id: number; address: string }[];
  readonly topics: readonly { topic: string; partitions: readonly { partition: number; leader: number }[] }[];
}

/** Cluster metadata as librdkafka sees it (`kcat -L -J`), optionally for one topic (creating it on the mock). */
export async function kcatMetadata(bootstrap: string, topic?: string, timeoutMs = 15_000): Promise<KcatMetadata> {
  const args = ['-L', '-J', '-b', bootstrap];
  if (topic !== undefined) args.push('-t', topic);
  const { stdout } = await runKcat(args, { timeoutMs, context: { bootstrap, ...(topic === undefined ? {} : { topic }) } });
  let raw: RawMetadata;
  try {
    raw = JSON.parse(stdout.toString('utf8')) as RawMetadata;
  } catch (cause) {
    throw new KcatError('KCAT_OUTPUT_INVALID', `kcat -L -J printed no JSON: ${stdout.toString('utf8').slice(0, 200)}`, { bootstrap }, { cause });
  }
  return {
    controllerId: raw.controllerid,
    brokers: raw.brokers.map((b) => ({ id: b.id, address: b.name })),
    topics: raw.topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader })) })),
  };
}

interface RawMetadata {
  controllerid: number;
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
}

interface RunOptions {
  readonly timeoutMs: number;
  readonly context: Record<string, string>;
  /** On timeout, reject with the output so far in the error context instead of discarding it. */
  readonly partialOnTimeout?: boolean;
}

function runKcat(args: readonly string[], options: RunOptions): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(KCAT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const command = `${KCAT} ${args.join(' ')}`;
    child.on('error', (cause) => {
      clearTimeout(timer);
      reject(new KcatError('KCAT_FAILED', `could not run ${KCAT}: ${cause.message}`, { ...options.context, command }, { cause }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      if (timedOut) {
        const partial = options.partialOnTimeout ? safeParse(stdout) : [];
        reject(new KcatError('KCAT_TIMEOUT', `${command} did not finish within ${options.timeoutMs} ms (read ${partial.length} records); stderr: ${stderr.trim()}`, { ...options.context, command, stderr, records: partial }));
      } else if (code !== 0) {
        reject(new KcatError('KCAT_FAILED', `${command} exited with ${code ?? signal}: ${stderr.trim()}`, { ...options.context, command, stderr }));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

function safeParse(stdout: Buffer): KcatRecord[] {
  try {
    return parseKcatRecords(stdout).records;
  } catch {
    return [];
  }
}
