/**
 * fast-check against a live broker socket: random bytes, frames with random
 * bodies, truncated frames, bad size prefixes and bit-flipped valid requests
 * of every kind a client sends. The broker must never crash or log a handler
 * failure (an exception in our code), and must still serve a well-formed
 * kafkajs client afterwards.
 */
import { API_KEYS, encodeRecordBatch, encodeRequest, type ApiKey } from '@lakestream/protocol';
import fc from 'fast-check';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { kafkaFor, startTestBroker, type TestBroker } from './support/broker.js';

const MAX_REQUEST = 16 * 1024;
let t: TestBroker;
beforeAll(async () => {
  // No auto-create: flipped topic names must not create topics; a small request limit to hit it often.
  t = await startTestBroker({ autoCreateTopics: false, maxRequestBytes: MAX_REQUEST });
  const admin = kafkaFor(t.broker.bootstrap).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'fuzz', numPartitions: 2 }] });
  await admin.disconnect();
});
afterAll(() => t.cleanup());

const h = <K extends ApiKey>(apiKey: K, apiVersion: number) => ({ apiKey, apiVersion, correlationId: 7, clientId: 'fuzz' });
const batch = encodeRecordBatch({ records: [{ key: new Uint8Array([1]), value: new Uint8Array([2, 3]) }], producerId: 5n, producerEpoch: 0, baseSequence: 0 });
const partition = { partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1024 };

/** One valid request of each API a client uses (CreateTopics/DeleteTopics left out: a flip could make thousands of partitions). */
const TEMPLATES: Uint8Array[] = [
  encodeRequest(h(API_KEYS.ApiVersions, 3), { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
  encodeRequest(h(API_KEYS.Metadata, 5), { topics: ['fuzz'], allowAutoTopicCreation: false }),
  encodeRequest(h(API_KEYS.Produce, 7), { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'fuzz', partitionData: [{ index: 0, records: batch }] }] }),
  encodeRequest(h(API_KEYS.Fetch, 11), { replicaId: -1, maxWaitMs: 50, minBytes: 1, maxBytes: 4096, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [{ topic: 'fuzz', partitions: [partition] }], forgottenTopicsData: [], rackId: '' }),
  encodeRequest(h(API_KEYS.ListOffsets, 2), { replicaId: -1, isolationLevel: 0, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, timestamp: 1000n, maxNumOffsets: 1 }] }] }),
  encodeRequest(h(API_KEYS.FindCoordinator, 2), { key: 'g', keyType: 0 }),
  encodeRequest(h(API_KEYS.JoinGroup, 5), { groupId: 'g', sessionTimeoutMs: 6000, rebalanceTimeoutMs: 100, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: new Uint8Array([0, 1]) }] }),
  encodeRequest(h(API_KEYS.SyncGroup, 3), { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, assignments: [{ memberId: 'm', assignment: new Uint8Array([1]) }] }),
  encodeRequest(h(API_KEYS.Heartbeat, 3), { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null }),
  encodeRequest(h(API_KEYS.LeaveGroup, 3), { groupId: 'g', members: [{ memberId: 'm', groupInstanceId: null }] }),
  encodeRequest(h(API_KEYS.OffsetCommit, 7), { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'fuzz', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] }] }),
  encodeRequest(h(API_KEYS.OffsetFetch, 7), { groupId: 'g', topics: [{ name: 'fuzz', partitionIndexes: [0, 1] }], requireStable: false }),
  encodeRequest(h(API_KEYS.DescribeGroups, 4), { groups: ['g'], includeAuthorizedOperations: false }),
  encodeRequest(h(API_KEYS.ListGroups, 4), { statesFilter: [] }),
  encodeRequest(h(API_KEYS.InitProducerId, 4), { transactionalId: null, transactionTimeoutMs: 1000, producerId: -1n, producerEpoch: -1 }),
];

const prefix = (n: number): Uint8Array => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
};

/** Writes bytes on a fresh connection, lets the broker react briefly, then hangs up. */
async function throwAt(bytes: Uint8Array): Promise<void> {
  const c = await RawClient.connect(t.broker.address.port);
  c.write(bytes);
  await c.nextFrame(15);
  c.close();
}

const runs = { numRuns: 60 };

describe('raw frames on a live socket', () => {
  it('survives random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), (bytes) => throwAt(bytes)), runs);
  });

  it('survives well-framed random bodies, including known API keys and versions', async () => {
    const body = fc.tuple(fc.integer({ min: -1, max: 70 }), fc.integer({ min: -1, max: 15 }), fc.uint8Array({ maxLength: 200 })).map(([key, version, rest]) => {
      const b = Buffer.alloc(8 + rest.length);
      b.writeInt16BE(key, 0);
      b.writeInt16BE(version, 2);
      b.writeInt32BE(1, 4);
      b.set(rest, 8);
      return b;
    });
    await fc.assert(fc.asyncProperty(body, (b) => throwAt(Buffer.concat([prefix(b.length), b]))), runs);
  });

  it('survives truncated requests and bad size prefixes', async () => {
    const template = fc.constantFrom(...TEMPLATES);
    const truncated = template.chain((f) => fc.integer({ min: 0, max: f.length - 1 }).map((n) => f.subarray(0, n)));
    const badPrefix = fc.oneof(fc.integer({ min: MAX_REQUEST + 1, max: 0x7fffffff }), fc.integer({ min: -0x80000000, max: -1 })).map((n) => Buffer.concat([prefix(n), Buffer.alloc(8)]));
    await fc.assert(fc.asyncProperty(fc.oneof(truncated, badPrefix), (bytes) => throwAt(bytes)), runs);
  });

  it('survives bit-flipped valid requests of every API', async () => {
    const flipped = fc.tuple(fc.constantFrom(...TEMPLATES), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 })).map(([f, flips]) => {
      const copy = Uint8Array.from(f);
      for (const [at, bit] of flips) {
        // Keep the size prefix right most of the time, so the flip reaches the decoder.
        const i = 4 + (at % (copy.length - 4));
        copy[i] = (copy[i] as number) ^ (1 << bit);
      }
      return copy;
    });
    await fc.assert(fc.asyncProperty(flipped, (bytes) => throwAt(bytes)), { numRuns: 150 });
  });

  it('afterwards still serves kafkajs, and never logged a handler failure', async () => {
    const kafka = kafkaFor(t.broker.bootstrap);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'fuzz', messages: [{ partition: 1, value: 'still here' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('fuzz');
    await admin.disconnect();
    expect(offsets.find((p) => p.partition === 1)?.high).toBe('1');
    expect(t.logs.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(t.logs.lines.some((l) => l.level === 'warn' && String(l.fields['reason']).startsWith('undecodable request'))).toBe(true);
  });
});
