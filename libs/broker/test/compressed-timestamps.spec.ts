/**
 * Issue 8 item 14: ListOffsets by timestamp inside lz4 and zstd batches that
 * librdkafka (kcat) wrote. kcat stamps each message with the millisecond it
 * reads it, so tens of thousands of lines span several milliseconds inside
 * each compressed batch; a lookup by any of those times must answer the
 * exact first record at or after it (offset and timestamp), not the batch's
 * first offset and highest timestamp.
 */
import { requireTool } from '@lakestream/testing';
import { API_KEYS, BATCH_ATTRIBUTES, scanBatches } from '@lakestream/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from './support/broker.js';
import { kcat } from './support/kcat.js';
import { RawClient } from './support/raw-client.js';

const hasKcat = requireTool('kcat', ['-V']);
const CODEC_IDS = { lz4: 3, zstd: 4 } as const;

let t: TestBroker;
let b: string;
beforeAll(async () => {
  t = await startTestBroker();
  b = t.broker.bootstrap;
});
afterAll(() => t.cleanup());

async function listOffset(client: RawClient, topic: string, timestamp: number): Promise<{ offset: number; timestamp: number }> {
  const { body } = await client.request(API_KEYS.ListOffsets, 1, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: BigInt(timestamp), maxNumOffsets: 1 }] }],
  });
  const p = body.topics[0]?.partitions[0];
  expect(p?.errorCode).toBe(0);
  return { offset: Number(p?.offset), timestamp: Number(p?.timestamp) };
}

describe.skipIf(!hasKcat)('ListOffsets by timestamp in compressed batches (kcat / librdkafka)', () => {
  it.each(['lz4', 'zstd'] as const)('%s: answers the exact first record at or after the time', async (codec) => {
    const topic = `ts-${codec}`;
    const lines = Array.from({ length: 15_000 }, (_, i) => `${codec}-message-${i}`);
    const produced = await kcat(['-b', b, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'linger.ms=200'], { input: `${lines.join('\n')}\n` });
    expect(produced.code, produced.stderr).toBe(0);

    // What librdkafka reads back: each record's offset and CreateTime.
    const c = await kcat(['-b', b, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %T\\n']);
    expect(c.code, c.stderr).toBe(0);
    const records = c.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ').map(Number))
      .map(([offset = -1, timestamp = -1]) => ({ offset, timestamp }));
    expect(records).toHaveLength(lines.length);

    const client = await RawClient.connect(t.broker.address.port);
    try {
      // The batches as stored: all of this codec; their base offsets tell a lookup inside a batch from one at its start.
      const { body } = await client.request(API_KEYS.Fetch, 4, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 1,
        maxBytes: 64 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 64 << 20 }] }],
        forgottenTopicsData: [],
        rackId: '',
      });
      const raw = body.responses[0]?.partitions[0]?.records;
      const bytes = raw instanceof Uint8Array ? raw : Buffer.concat((raw ?? []) as Uint8Array[]);
      const batches = scanBatches(bytes).batches;
      expect(batches.length).toBeGreaterThan(0);
      for (const batch of batches) expect(batch.header.attributes & BATCH_ATTRIBUTES.compressionMask).toBe(CODEC_IDS[codec]);
      const baseOffsets = new Set(batches.map((x) => Number(x.header.baseOffset)));

      let insideBatch = 0;
      for (const ts of new Set(records.map((r) => r.timestamp))) {
        const first = records.find((x) => x.timestamp >= ts);
        expect(await listOffset(client, topic, ts), `time ${ts}`).toEqual({ offset: first?.offset, timestamp: first?.timestamp });
        if (first && !baseOffsets.has(first.offset)) insideBatch += 1;
        // One millisecond later: the next record with a later time, or none.
        const after = records.find((x) => x.timestamp > ts);
        expect(await listOffset(client, topic, ts + 1), `time ${ts + 1}`).toEqual(after ? { offset: after.offset, timestamp: after.timestamp } : { offset: -1, timestamp: -1 });
      }
      // Otherwise every lookup landed on a batch's first record and this test proves nothing.
      expect(insideBatch).toBeGreaterThan(0);

      // kcat's own lookup (-Q) lands on the same exact record.
      const inside = records.find((r, i) => i > 0 && r.timestamp > (records[i - 1]?.timestamp ?? 0) && !baseOffsets.has(r.offset));
      expect(inside).toBeDefined();
      const q = await kcat(['-b', b, '-Q', '-t', `${topic}:0:${inside?.timestamp}`]);
      expect(q.stdout.trim()).toBe(`${topic} [0] offset ${inside?.offset}`);
    } finally {
      client.close();
    }
  });
});
