/**
 * Same-run baselines for the consumer bench:
 * - kcat (librdkafka) moving the same bytes through the same broker: the
 *   topic is dumped once (untimed, key and value with multi-byte delimiters
 *   that FlatBuffers frames do not contain in practice; checked by the byte
 *   count read back), then `kcat -P` of those messages into a fresh topic and
 *   `kcat -C -e` of that topic are timed — the raw Kafka path;
 * - @lakestream/sink appending the consumer's silver rows to a fresh table in
 *   slices of 10,000, no Kafka (sink-append.ts, its own process) — the write ceiling.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { run, sampleUntilExit, start } from './procs.js';

const MSG = '\\x1e\\x1fLSMSG\\x1f\\x1e';
const KEY = '\\x1e\\x1fLSKEY\\x1f\\x1e';

export function kcatAvailable(): string | undefined {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'kcat not found on PATH (Debian package kcat)';
}

export interface KcatFigures {
  readonly produceSeconds: number;
  readonly consumeSeconds: number;
  readonly bytes: number;
}

export async function kcatBaseline(bootstrap: string, topic: string, dir: string): Promise<KcatFigures> {
  const dump = join(dir, `${topic}.kcat`);
  const common = ['-b', bootstrap, '-q'];
  await run('kcat', [...common, '-C', '-t', topic, '-e', '-o', 'beginning', '-f', `%k${KEY}%s${MSG}`], { stdout: dump });
  const copy = `${topic}-kcat-copy`;
  const produced = await run('kcat', [...common, '-P', '-t', copy, '-D', MSG, '-K', KEY, '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000'], { stdin: dump });
  const readBack = join(dir, `${copy}.out`);
  const consumed = await run('kcat', [...common, '-C', '-t', copy, '-e', '-o', 'beginning', '-f', `%k${KEY}%s${MSG}`], { stdout: readBack });
  const bytes = statSync(dump).size;
  const back = statSync(readBack).size;
  if (back !== bytes) throw new Error(`kcat baseline: ${topic} dumped ${bytes} bytes but its copy read back ${back} (a delimiter inside a message?)`);
  return { produceSeconds: produced.seconds, consumeSeconds: consumed.seconds, bytes };
}

export interface SinkFigures {
  readonly rows: number;
  readonly batches: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

export async function sinkBaseline(sourceTable: string, targetTable: string, timeoutMs: number): Promise<SinkFigures> {
  const app = start(join(process.cwd(), 'apps/consumer/bench/sink-append.ts'), [sourceTable, targetTable, '10000'], {
    name: 'sink-append',
    nodeArgs: ['--conditions=@lakestream/source', '--import', 'tsx'],
  });
  const sampled = await sampleUntilExit(app, timeoutMs);
  const line = app.stdoutLines.find((l) => l.startsWith('{'));
  if (!line) throw new Error(`sink-append printed no result\n${app.describe()}`);
  const r = JSON.parse(line) as { rows: number; batches: number; seconds: number };
  return { rows: r.rows, batches: r.batches, seconds: r.seconds, peakRssMb: sampled.peakRssMb };
}
