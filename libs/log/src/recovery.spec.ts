import fc from 'fast-check';
import { cp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBatch, contentOf, splitBatches } from '../test/batches.js';
import { tempDir } from '../test/tmp.js';
import { PartitionLog } from './partition-log.js';

/** One batch of the golden log and where it sits on disk. */
interface Placed {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly content: string;
  readonly file: string;
  readonly position: number;
  readonly size: number;
}

const config = { segmentBytes: 2048, indexIntervalBytes: 256, flush: {} };
let root: string;
let cleanup: () => Promise<void>;
let golden: string;
let placed: Placed[];
let files: string[];
let run = 0;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('lakestream-recovery-'));
  golden = join(root, 'golden');
  const log = await PartitionLog.open({ dir: golden, topic: 't', partition: 0, config });
  for (let i = 0; i < 30; i++) {
    await log.append(buildBatch({ records: 1 + ((i * 7) % 5), valueBytes: 10 + ((i * 37) % 90), baseTimestamp: 1000 + i }));
  }
  await log.close();
  files = (await readdir(log.path)).filter((n) => n.endsWith('.log')).sort();
  placed = [];
  for (const file of files) {
    let position = 0;
    for (const b of splitBatches(await readFile(join(log.path, file)))) {
      placed.push({ baseOffset: b.baseOffset, lastOffset: b.lastOffset, content: contentOf(b.bytes), file, position, size: b.bytes.length });
      position += b.bytes.length;
    }
  }
  expect(files.length).toBeGreaterThanOrEqual(3);
});
afterAll(async () => cleanup());

/** A fresh copy of the golden partition to damage. */
async function copyGolden(): Promise<string> {
  const dir = join(root, `run-${run++}`);
  await cp(golden, dir, { recursive: true });
  return dir;
}

/** Reopens the damaged copy and checks that exactly `survivors` are readable, then that appends continue. */
async function expectRecovered(dir: string, survivors: readonly Placed[]): Promise<void> {
  const log = await PartitionLog.open({ dir, topic: 't', partition: 0, config });
  try {
    const expectedEnd = (survivors.at(-1)?.lastOffset ?? -1) + 1;
    expect(log.logEndOffset).toBe(expectedEnd);
    const seen: { baseOffset: number; content: string }[] = [];
    let next = 0;
    while (next < log.logEndOffset) {
      const r = await log.read(next, 1 << 16);
      if (!r.ok) throw new Error(`offset ${next} out of range`);
      const batches = splitBatches(r.records);
      expect(batches.length).toBeGreaterThan(0);
      for (const b of batches) seen.push({ baseOffset: b.baseOffset, content: contentOf(b.bytes) });
      next = (batches.at(-1) as { lastOffset: number }).lastOffset + 1;
    }
    expect(seen).toEqual(survivors.map((p) => ({ baseOffset: p.baseOffset, content: p.content })));
    const appended = await log.append(buildBatch({ records: 3 }));
    expect(appended.baseOffset).toBe(expectedEnd);
    const back = await log.read(expectedEnd, 1);
    expect(back.ok && splitBatches(back.records)[0]?.baseOffset).toBe(expectedEnd);
  } finally {
    await log.close();
  }
}

describe('recovery from a damaged tail', () => {
  it('cuts a log truncated at any byte of its last segment back to the last whole batch', async () => {
    const last = files.at(-1) as string;
    const lastSize = placed.filter((p) => p.file === last).reduce((n, p) => n + p.size, 0);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: lastSize }), async (cut) => {
        const dir = await copyGolden();
        await truncate(join(dir, 't-0', last), cut);
        const survivors = placed.filter((p) => p.file !== last || p.position + p.size <= cut);
        await expectRecovered(dir, survivors);
      }),
      { numRuns: 20 },
    );
  });

  it('drops the last batch when any CRC-covered or framing byte of it flips', async () => {
    const lastBatch = placed.at(-1) as Placed;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: lastBatch.size - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const dir = await copyGolden();
        const path = join(dir, 't-0', lastBatch.file);
        const bytes = await readFile(path);
        bytes[lastBatch.position + at] = (bytes[lastBatch.position + at] as number) ^ mask;
        await writeFile(path, bytes);
        // partitionLeaderEpoch (bytes 12..15) is outside the CRC, as in Kafka: the batch stays.
        const epochOnly = at >= 12 && at < 16;
        await expectRecovered(dir, epochOnly ? placed : placed.slice(0, -1));
      }),
      { numRuns: 20 },
    );
  });

  it('cuts an older segment at its damage and keeps the segments after it', async () => {
    const dir = await copyGolden();
    const victim = placed.filter((p) => p.file === files[0]);
    const cutBatch = victim[Math.floor(victim.length / 2)] as Placed;
    await truncate(join(dir, 't-0', files[0] as string), cutBatch.position + 5);
    const survivors = placed.filter((p) => p.file !== files[0] || p.position < cutBatch.position);
    const log = await PartitionLog.open({ dir, topic: 't', partition: 0, config });
    try {
      expect(log.logEndOffset).toBe((placed.at(-1) as Placed).lastOffset + 1);
      // The offsets of the lost batches now read from the next segment on, as after compaction in Kafka.
      const r = await log.read(cutBatch.baseOffset, 1);
      expect(r.ok && splitBatches(r.records)[0]?.baseOffset).toBe(placed.find((p) => p.file === files[1])?.baseOffset);
      expect(survivors.length).toBe(placed.length - (victim.length - victim.indexOf(cutBatch)));
    } finally {
      await log.close();
    }
  });
});
