/**
 * The broker at the wire, with a bare socket client: version negotiation,
 * error codes for what it does not speak, idempotent retries, CRC checks,
 * fetch limits and long polls, ordering of pipelined requests, and
 * connection-level violations that close only the offending connection.
 */
import { API_KEYS, decodeRecordBatches, decodeResponse, encodeRecordBatch, ERROR_CODES, SUPPORTED_APIS, type RecordInput } from '@lakestream/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { startTestBroker, waitFor, type TestBroker } from './support/broker.js';

let t: TestBroker;
let port: number;

beforeAll(async () => {
  t = await startTestBroker({ maxRequestBytes: 64 * 1024 });
  port = t.broker.address.port;
});
afterAll(() => t.cleanup());

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const records = (n: number, prefix = 'v'): RecordInput[] => Array.from({ length: n }, (_, i) => ({ key: text(`k${i}`), value: text(`${prefix}${i}`) }));

function produceBody(topic: string, partition: number, batch: Uint8Array | null, acks = -1) {
  return { transactionalId: null, acks, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }] };
}

async function fetchAll(c: RawClient, topic: string, partition: number, offset = 0n) {
  const res = await c.request(API_KEYS.Fetch, 11, {
    replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [], rackId: '',
  });
  const p = res.body.responses[0]?.partitions[0];
  const bytes = p?.records instanceof Uint8Array ? p.records : new Uint8Array(0);
  return { partition: p, batches: decodeRecordBatches(bytes).batches };
}

describe('version negotiation', () => {
  it('answers ApiVersions v0–v3 with the supported ranges, and a too-new version with the v0 fallback and error 35', async () => {
    const c = await RawClient.connect(port);
    for (const v of [0, 1, 2, 3]) {
      const res = await c.request(API_KEYS.ApiVersions, v, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
      expect(res.body.errorCode).toBe(0);
      expect(res.body.apiKeys.map((k) => k.apiKey)).toEqual(SUPPORTED_APIS.map((a) => a.apiKey));
    }
    // ApiVersions v9 does not exist: header v2 framing, but the answer is a v0 body.
    const frame = Buffer.from([0, 18, 0, 9, 0, 0, 0, 77, 0, 3, 0x72, 0x61, 0x77, 0, 2, 0x61, 2, 0x62, 0]);
    c.write(Buffer.concat([Buffer.from([0, 0, 0, frame.length]), frame]));
    const fallback = decodeResponse(API_KEYS.ApiVersions, 0, (await c.nextFrame()) as Buffer);
    expect(fallback.correlationId).toBe(77);
    expect(fallback.body.errorCode).toBe(ERROR_CODES.UNSUPPORTED_VERSION);
    expect(fallback.body.apiKeys.length).toBe(SUPPORTED_APIS.length);
    c.close();
  });

  it('answers Produce v0–v2 (advertised for librdkafka) per partition with UNSUPPORTED_FOR_MESSAGE_FORMAT', async () => {
    const c = await RawClient.connect(port);
    // Produce v2: header v1, acks 1, timeout 1000, [topic "t", [partition 0, records null]]
    const body = Buffer.from([0, 0, 0, 2, 0, 0, 0, 5, 0, 1, 0x72, 0, 1, 0, 0, 3, 0xe8, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    c.write(Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]));
    const frame = (await c.nextFrame()) as Buffer;
    expect(frame.readInt32BE(0)).toBe(5); // correlation id
    // [1 topic "t" [1 partition: index 0, error 43, base offset -1, log append time -1]], throttle 0
    expect(frame.readInt16BE(4 + 4 + 2 + 1 + 4 + 4)).toBe(ERROR_CODES.UNSUPPORTED_FOR_MESSAGE_FORMAT);
    c.close();
  });

  it('closes the connection on an API key it has no codec for, as Kafka does, and keeps serving others', async () => {
    const bad = await RawClient.connect(port);
    const good = await RawClient.connect(port);
    const frame = Buffer.from([0, 57, 0, 0, 0, 0, 0, 1, 0, 0]); // UpdateFeatures
    bad.write(Buffer.concat([Buffer.from([0, 0, 0, frame.length]), frame]));
    await bad.whenClosed;
    expect((await good.request(API_KEYS.ApiVersions, 2, { clientSoftwareName: '', clientSoftwareVersion: '' })).body.errorCode).toBe(0);
    good.close();
    await waitFor(() => t.logs.lines.some((l) => l.message === 'client disconnected' && String(l.fields['reason']).includes('API key 57')), 2000, 'the log line');
  });
});

describe('produce', () => {
  it('stores a retried idempotent batch once and answers the retry with the original offset', async () => {
    const c = await RawClient.connect(port);
    const init = await c.request(API_KEYS.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 });
    expect(init.body.errorCode).toBe(0);
    const producerId = init.body.producerId;
    await c.request(API_KEYS.Metadata, 5, { topics: ['idem'], allowAutoTopicCreation: true });
    const first = encodeRecordBatch({ records: records(3, 'a'), producerId, producerEpoch: 0, baseSequence: 0 });
    const second = encodeRecordBatch({ records: records(2, 'b'), producerId, producerEpoch: 0, baseSequence: 3 });

    const r1 = await c.request(API_KEYS.Produce, 7, produceBody('idem', 0, Uint8Array.from(first)));
    const r2 = await c.request(API_KEYS.Produce, 7, produceBody('idem', 0, Uint8Array.from(second)));
    const retry = await c.request(API_KEYS.Produce, 7, produceBody('idem', 0, Uint8Array.from(first)));
    const p = (r: typeof r1) => r.body.responses[0]?.partitionResponses[0];
    expect(p(r1)).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(p(r2)).toMatchObject({ errorCode: 0, baseOffset: 3n });
    expect(p(retry)).toMatchObject({ errorCode: 0, baseOffset: 0n });

    const gap = await c.request(API_KEYS.Produce, 7, produceBody('idem', 0, encodeRecordBatch({ records: records(1), producerId, producerEpoch: 0, baseSequence: 9 })));
    expect(p(gap)?.errorCode).toBe(ERROR_CODES.OUT_OF_ORDER_SEQUENCE_NUMBER);

    const { batches, partition } = await fetchAll(c, 'idem', 0);
    expect(partition?.highWatermark).toBe(5n);
    expect(batches.flatMap((b) => b.records.map((r) => new TextDecoder().decode(r.value as Uint8Array)))).toEqual(['a0', 'a1', 'a2', 'b0', 'b1']);
    c.close();
  });

  it('refuses a batch whose CRC does not match with CORRUPT_MESSAGE and stores nothing', async () => {
    const c = await RawClient.connect(port);
    const batch = Uint8Array.from(encodeRecordBatch({ records: records(2) }));
    batch[batch.length - 1] = (batch[batch.length - 1] as number) ^ 0x01;
    const res = await c.request(API_KEYS.Produce, 7, produceBody('crc', 1, batch));
    expect(res.body.responses[0]?.partitionResponses[0]?.errorCode).toBe(ERROR_CODES.CORRUPT_MESSAGE);
    expect((await fetchAll(c, 'crc', 1)).partition?.highWatermark).toBe(0n);
    const unknownPartition = await c.request(API_KEYS.Produce, 7, produceBody('crc', 99, encodeRecordBatch({ records: records(1) })));
    expect(unknownPartition.body.responses[0]?.partitionResponses[0]?.errorCode).toBe(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
    c.close();
  });

  it('answers pipelined requests in order and sends nothing for acks=0', async () => {
    const c = await RawClient.connect(port);
    const ids = [
      c.send(API_KEYS.Produce, 7, produceBody('pipe', 0, encodeRecordBatch({ records: records(1) }), 0)),
      c.send(API_KEYS.Metadata, 1, { topics: ['pipe'], allowAutoTopicCreation: true }),
      c.send(API_KEYS.Produce, 7, produceBody('pipe', 0, encodeRecordBatch({ records: records(1) }), 1)),
      c.send(API_KEYS.ApiVersions, 0, { clientSoftwareName: '', clientSoftwareVersion: '' }),
    ];
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) seen.push(((await c.nextFrame()) as Buffer).readInt32BE(0));
    expect(seen).toEqual(ids.slice(1));
    c.close();
  });
});

describe('fetch', () => {
  it('honours partition and response max bytes, but always returns the first batch', async () => {
    const c = await RawClient.connect(port);
    await c.request(API_KEYS.Metadata, 5, { topics: ['limits'], allowAutoTopicCreation: true });
    const big = encodeRecordBatch({ records: [{ value: new Uint8Array(3000) }] });
    for (let i = 0; i < 3; i++) await c.request(API_KEYS.Produce, 7, produceBody('limits', 0, Uint8Array.from(big)));
    await c.request(API_KEYS.Produce, 7, produceBody('limits', 1, Uint8Array.from(big)));
    const fetch = (partitionMaxBytes: number, maxBytes: number) =>
      c.request(API_KEYS.Fetch, 11, {
        replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, rackId: '', forgottenTopicsData: [],
        topics: [{ topic: 'limits', partitions: [0, 1].map((partition) => ({ partition, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes })) }],
      });
    const sizes = (r: Awaited<ReturnType<typeof fetch>>) => r.body.responses[0]?.partitions.map((p) => (p.records as Uint8Array).length);
    expect(sizes(await fetch(1 << 20, 1 << 20))).toEqual([3 * big.length, big.length]);
    expect(sizes(await fetch(2 * big.length, 1 << 20))).toEqual([2 * big.length, big.length]);
    expect(sizes(await fetch(10, 1 << 20))).toEqual([big.length, 0]);
    expect(sizes(await fetch(1 << 20, 10))).toEqual([big.length, 0]);
    c.close();
  });

  it('long-polls until data arrives, answers OFFSET_OUT_OF_RANGE at once', async () => {
    const consumer = await RawClient.connect(port);
    const producer = await RawClient.connect(port);
    await producer.request(API_KEYS.Metadata, 5, { topics: ['poll'], allowAutoTopicCreation: true });
    const started = Date.now();
    const request = (fetchOffset: bigint) => ({
      replicaId: -1, maxWaitMs: 10_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, rackId: '', forgottenTopicsData: [],
      topics: [{ topic: 'poll', partitions: [{ partition: 2, currentLeaderEpoch: -1, fetchOffset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    });
    const polled = consumer.request(API_KEYS.Fetch, 11, request(0n), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    await producer.request(API_KEYS.Produce, 7, produceBody('poll', 2, encodeRecordBatch({ records: records(1) })));
    const res = await polled;
    expect(Date.now() - started).toBeLessThan(8_000);
    expect((res.body.responses[0]?.partitions[0]?.records as Uint8Array).length).toBeGreaterThan(0);
    const out = await consumer.request(API_KEYS.Fetch, 11, request(5n));
    expect(out.body.responses[0]?.partitions[0]).toMatchObject({ errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE, highWatermark: 1n, logStartOffset: 0n });
    consumer.close();
    producer.close();
  });
});

describe('connection limits', () => {
  it('closes a connection whose size prefix exceeds socket.request.max.bytes, with one logged reason, and serves the next', async () => {
    const c = await RawClient.connect(port);
    c.write(Buffer.from([0x00, 0x10, 0x00, 0x00, 1, 2, 3]));
    await c.whenClosed;
    await waitFor(() => t.logs.lines.some((l) => String(l.fields['reason']).includes('exceeds socket.request.max.bytes 65536')), 2000, 'the log line');
    const after = await RawClient.connect(port);
    expect((await after.request(API_KEYS.Metadata, 1, { topics: [], allowAutoTopicCreation: false })).body.brokers).toHaveLength(1);
    after.close();
  });

  it('logs a truncated frame when the client goes away mid-request', async () => {
    const c = await RawClient.connect(port);
    c.write(Buffer.from([0, 0, 0, 50, 0, 18, 0, 0]));
    await new Promise((r) => setTimeout(r, 50));
    c.close();
    await waitFor(() => t.logs.lines.some((l) => String(l.fields['reason']).startsWith('truncated frame')), 2000, 'the log line');
  });
});
