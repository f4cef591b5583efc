import { describe, expect, it } from 'vitest';
import { fetchGoldens } from '../../test/fixtures/fetch.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion, toHex, unframe } from '../../test/harness.js';
import { decodeResponse, encodeResponse } from '../protocol/responses.js';
import { decodeRecordBatches, encodeRecordBatch } from '../records/batch.js';

describe('Fetch', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(1, fetchGoldens);
  });

  it('kafkajs v4-v11 requests', () => {
    for (let v = 4; v <= 11; v++) {
      const body = checkRequestGolden(1, goldenAt(fetchGoldens, 'request', v, 'kafkajs'));
      expect(body).toEqual({
        replicaId: -1,
        maxWaitMs: 5000,
        minBytes: 1,
        maxBytes: 10485760,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: 'sat-data', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 42n, logStartOffset: -1n, partitionMaxBytes: 1048576 }] }],
        forgottenTopicsData: [],
        rackId: '',
      });
    }
  });

  it('librdkafka v11 request', () => {
    const body = checkRequestGolden(1, goldenAt(fetchGoldens, 'request', 11, 'librdkafka'));
    expect(body.topics[0]?.topic).toBe('sat-data');
    expect(body.replicaId).toBe(-1);
  });

  it('hand-built v11 response with one record batch', () => {
    const body = checkResponseGolden(1, goldenAt(fetchGoldens, 'response', 11, 'hand-built'));
    const partition = body.responses[0]?.partitions[0];
    expect(partition).toMatchObject({ partitionIndex: 0, errorCode: 0, highWatermark: 1n, lastStableOffset: 1n, logStartOffset: 0n, abortedTransactions: null, preferredReadReplica: -1 });
    const records = partition?.records;
    if (!(records instanceof Uint8Array)) throw new Error('records');
    const { batches } = decodeRecordBatches(records);
    expect(batches.map((b) => b.records.map((r) => new TextDecoder().decode(r.value ?? new Uint8Array())))).toEqual([['v']]);
  });

  it('records given as chunks are written as one field, as kcat consumed them', () => {
    const a = encodeRecordBatch({ records: [{ value: new Uint8Array([1]) }], baseTimestamp: 1n });
    const b = encodeRecordBatch({ records: [{ value: new Uint8Array([2]) }], baseOffset: 1n, baseTimestamp: 2n });
    const body = (records: Uint8Array | Uint8Array[]) => ({
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode: 0, highWatermark: 2n, records }] }],
    });
    const chunked = encodeResponse(1, 11, 9, body([a, b]));
    const whole = encodeResponse(1, 11, 9, body(new Uint8Array([...a, ...b])));
    expect(toHex(chunked)).toBe(toHex(whole));
    const decoded = decodeResponse(1, 11, unframe(chunked)).body.responses[0]?.partitions[0]?.records;
    expect(decoded instanceof Uint8Array && decodeRecordBatches(decoded).batches.length).toBe(2);
  });

  it('round-trips every supported version', () => {
    const records = encodeRecordBatch({ records: [{ value: new Uint8Array([9]) }], baseTimestamp: 5n });
    roundTripEveryVersion(
      1,
      (v) => ({
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 52428800,
        isolationLevel: 0,
        sessionId: v >= 7 ? 12 : 0,
        sessionEpoch: v >= 7 ? 3 : -1,
        topics: [{ topic: 't', partitions: [{ partition: 2, currentLeaderEpoch: v >= 9 ? 4 : -1, fetchOffset: 10n, logStartOffset: v >= 5 ? 0n : -1n, partitionMaxBytes: 1048576 }] }],
        forgottenTopicsData: v >= 7 ? [{ topic: 'old', partitions: [0, 1] }] : [],
        rackId: v >= 11 ? 'rack-a' : '',
      }),
      (v) => ({
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: v >= 7 ? 12 : 0,
        responses: [
          {
            topic: 't',
            partitions: [
              {
                partitionIndex: 2,
                errorCode: 0,
                highWatermark: 11n,
                lastStableOffset: 11n,
                logStartOffset: v >= 5 ? 0n : -1n,
                abortedTransactions: [{ producerId: 5n, firstOffset: 3n }],
                preferredReadReplica: -1,
                records,
              },
              { partitionIndex: 3, errorCode: 1, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: null, preferredReadReplica: -1, records: null },
            ],
          },
        ],
      }),
    );
  });
});
