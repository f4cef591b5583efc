/**
 * Issue 8 item 14: ListOffsets by timestamp inside lz4 and zstd batches that
 * librdkafka (kcat) wrote. kcat stamps each message with the millisecond it
 * reads it, so tens of thousands of lines span several milliseconds inside
 * each compressed batch; a lookup by any of those times must answer the
 * exact first record at or after it (offset and timestamp), not the batch's
 * first offset and highest timestamp. Also: many small lz4/zstd batches
 * (every record time, ±1 ms, -1, -2, past the end) and compressed batches in
 * a LogAppendTime topic (lookups answer with the append time).
 */
import { spawn } from 'node:child_process';
import { requireTool } from '@lakestream/testing';
import { API_KEYS, BATCH_ATTRIBUTES, scanBatches } from '@lakestream/protocol';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, type TestBroker } from './support/broker.js';
import { kcat } from './support/kcat.js';
import { RawClient } from './support/raw-client.js';
import { kcatOffsetsAndTimes, listOffset } from './support/timestamps.js';

const hasKcat = requireTool('kcat', ['-V']);
const CODEC_IDS = { lz4: 3, zstd: 4 } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestBroker;
let b: string;
beforeAll(async () => {
  t = await startTestBroker();
  b = t.broker.bootstrap;
});
afterAll(() => t.cleanup());

describe.skipIf(!hasKcat)('ListOffsets by timestamp in compressed batches (kcat / librdkafka)', () => {
  it.each(['lz4', 'zstd'] as const)('%s: answers the exact first record at or after the time', async (codec) => {
    const topic = `ts-${codec}`;
    const lines = Array.from({ length: 15_000 }, (_, i) => `${codec}-message-${i}`);
    const produced = await kcat(['-b', b, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'linger.ms=200'], { input: `${lines.join('\n')}\n` });
    expect(produced.code, produced.stderr).toBe(0);

    // What librdkafka reads back: each record's offset and CreateTime.
    const records = await kcatOffsetsAndTimes(b, topic);
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

/** kcat -P fed one line every `gapMs`, so librdkafka stamps the records of one small batch with different milliseconds. */
function kcatProduceSlowly(args: readonly string[], lines: readonly string[], gapMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', [...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    void (async () => {
      for (const l of lines) {
        child.stdin.write(`${l}\n`);
        await sleep(gapMs);
      }
      child.stdin.end();
    })();
  });
}

describe.skipIf(!hasKcat)('#14 ListOffsets by timestamp over many small lz4/zstd batches (kcat)', () => {
  it.each(['lz4', 'zstd'] as const)('%s: every record time, +1 ms, -1, -2 and past the end', async (codec) => {
    const topic = `small-batches-${codec}`;
    const lines = Array.from({ length: 240 }, (_, i) => `${codec}-${i}`);
    const produced = await kcatProduceSlowly(
      ['-b', t.broker.bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'linger.ms=15', '-X', 'batch.num.messages=6'],
      lines,
      1,
    );
    expect(produced.code, produced.stderr).toBe(0);
    const records = await kcatOffsetsAndTimes(t.broker.bootstrap, topic);
    expect(records).toHaveLength(lines.length);
    const client = await RawClient.connect(t.broker.address.port);
    try {
      for (const ts of new Set(records.map((r) => r.timestamp))) {
        for (const at of [ts - 1, ts, ts + 1]) {
          const first = records.find((x) => x.timestamp >= at);
          expect(await listOffset(client, topic, at), `${codec} time ${at}`).toEqual(first ?? { offset: -1, timestamp: -1 });
        }
      }
      const last = records.at(-1)?.timestamp ?? 0;
      expect(await listOffset(client, topic, last + 60_000)).toEqual({ offset: -1, timestamp: -1 });
      expect((await listOffset(client, topic, -1)).offset).toBe(lines.length);
      expect((await listOffset(client, topic, -2)).offset).toBe(0);
    } finally {
      client.close();
    }
  });
});

describe.skipIf(!hasKcat)('#14 compressed batches in a LogAppendTime topic (kcat)', () => {
  it('lookups answer batch boundaries with the append time, never a record CreateTime', async () => {
    const topic = 'append-time';
    const admin = kafkaFor(t.broker.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] });
    await admin.disconnect();
    // First batch: gzip from kafkajs with CreateTimes an hour old; a lookup that used record times would answer those.
    const old = Date.now() - 3_600_000;
    const producer = kafkaFor(t.broker.bootstrap).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `gzip-${i}`, timestamp: String(old + i) })) });
    await producer.disconnect();
    for (const codec of ['lz4', 'zstd'] as const) {
      await sleep(5);
      const r = await kcat(['-b', t.broker.bootstrap, '-P', '-t', topic, '-p', '0', '-z', codec, '-X', 'linger.ms=50'], {
        input: Array.from({ length: 5 }, (_, i) => `${codec}-${i}`).join('\n') + '\n',
      });
      expect(r.code, r.stderr).toBe(0);
    }
    const records = await kcatOffsetsAndTimes(t.broker.bootstrap, topic);
    expect(records).toHaveLength(15);
    const appendTimes = [...new Set(records.map((r) => r.timestamp))];
    expect(appendTimes).toHaveLength(3);
    const client = await RawClient.connect(t.broker.address.port);
    try {
      expect(await listOffset(client, topic, old)).toEqual({ offset: 0, timestamp: appendTimes[0] });
      for (const [i, at] of appendTimes.entries()) {
        expect(await listOffset(client, topic, at)).toEqual({ offset: i * 5, timestamp: at });
        expect(await listOffset(client, topic, at + 1)).toEqual(i < 2 ? { offset: (i + 1) * 5, timestamp: appendTimes[i + 1] } : { offset: -1, timestamp: -1 });
      }
    } finally {
      client.close();
    }
  });
});
