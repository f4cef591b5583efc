/**
 * kill -9 during appends: a child process appends with flush 'always' and
 * prints each acknowledged offset; after SIGKILL at a random moment the
 * partition must reopen with every acknowledged batch intact.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PartitionLog } from '../src/partition-log.js';
import { contentOf, splitBatches } from './batches.js';
import { CRASH_CONFIG, crashBatch } from './crash-batches.js';
import { tempDir } from './tmp.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Ack {
  readonly index: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
}

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('lakestream-crash-'));
});
afterAll(async () => cleanup());

/** Runs the child from batch `first` until `minAcks` appends are acknowledged, waits `extraMs`, kills it; returns the acks. */
function appendUntilKilled(first: number, minAcks: number, extraMs: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=@lakestream/source', '--import', tsx, child, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let pending = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // an unterminated last line was cut by the kill
      for (const line of lines) {
        const [index, baseOffset, lastOffset] = line.split(' ').map(Number);
        if (line.startsWith('open') || index === undefined || baseOffset === undefined || lastOffset === undefined) continue;
        acks.push({ index, baseOffset, lastOffset });
      }
      if (acks.length >= minAcks && killTimer === undefined) killTimer = setTimeout(() => proc.kill('SIGKILL'), extraMs);
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`crash child exited on its own (${String(signal)}): ${stderr}`));
    });
  });
}

it('keeps every acknowledged append across SIGKILL, twice in a row', async () => {
  const acked: Ack[] = [];
  let next = 0;
  for (const round of [0, 1]) {
    const acks = await appendUntilKilled(next, 10 + round * 5, Math.floor(Math.random() * 250));
    expect(acks.length).toBeGreaterThanOrEqual(10);
    acked.push(...acks);
    next = (acks.at(-1)?.index ?? next) + 1;

    const log = await PartitionLog.open({ dir, topic: 'crash', partition: 0, config: CRASH_CONFIG });
    try {
      const last = acked.at(-1) as Ack;
      expect(log.logEndOffset).toBeGreaterThanOrEqual(last.lastOffset + 1);
      for (const ack of acked) {
        const r = await log.read(ack.baseOffset, 1);
        if (!r.ok) throw new Error(`acknowledged offset ${ack.baseOffset} out of range`);
        const [batch] = splitBatches(r.records);
        expect(batch?.baseOffset).toBe(ack.baseOffset);
        expect(contentOf(batch?.bytes ?? Buffer.alloc(0))).toBe(contentOf(crashBatch(ack.index)));
      }
      // A batch written but killed before its ack may survive too: Kafka's at-least-once.
    } finally {
      await log.close();
    }
  }
});
