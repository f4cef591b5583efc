import { describe, expect, it } from 'vitest';
import { offsetFetchGoldens } from '../../test/fixtures/offset-fetch.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, fromHex, goldenAt, roundTripEveryVersion } from '../../test/harness.js';
import { decodeRequest, encodeRequest } from '../protocol/requests.js';

describe('OffsetFetch', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(9, offsetFetchGoldens);
  });

  it('kafkajs v1-v4 requests', () => {
    const body = { groupId: 'g1', topics: [{ name: 'sat-data', partitionIndexes: [0, 1] }], requireStable: false };
    for (const v of [1, 2, 3, 4]) expect(checkRequestGolden(9, goldenAt(offsetFetchGoldens, 'request', v, 'kafkajs'))).toEqual(body);
  });

  it('librdkafka v7 is flexible: request header v2, compact fields, requireStable', () => {
    const golden = goldenAt(offsetFetchGoldens, 'request', 7, 'librdkafka');
    const result = decodeRequest(fromHex(golden.hex));
    expect(result.ok && result.request.header.clientId).toBe('rdkafka');
    expect(checkRequestGolden(9, golden)).toEqual({ groupId: 'grp1', topics: [{ name: 'sat-data', partitionIndexes: [0] }], requireStable: true });
  });

  it('hand-built v6 request for all topics and v7 response', () => {
    expect(checkRequestGolden(9, goldenAt(offsetFetchGoldens, 'request', 6, 'hand-built'))).toEqual({ groupId: 'g1', topics: null, requireStable: false });
    expect(checkResponseGolden(9, goldenAt(offsetFetchGoldens, 'response', 7, 'hand-built'))).toEqual({
      throttleTimeMs: 0,
      topics: [
        {
          name: 'sat-data',
          partitions: [
            { partitionIndex: 0, committedOffset: 100n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
            { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
          ],
        },
      ],
      errorCode: 0,
    });
  });

  it('null topics need v2+', () => {
    expect(() => encodeRequest({ apiKey: 9, apiVersion: 1, correlationId: 1, clientId: null }, { groupId: 'g', topics: null, requireStable: false })).toThrow(/v2/);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      9,
      (v) => ({ groupId: 'g', topics: v >= 2 && v % 2 === 0 ? null : [{ name: 't', partitionIndexes: [0, 5] }], requireStable: v >= 7 }),
      (v) => ({
        throttleTimeMs: v >= 3 ? 1 : 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 5, committedOffset: 77n, committedLeaderEpoch: v >= 5 ? 3 : -1, metadata: 'm', errorCode: 0 }] }],
        errorCode: v >= 2 ? 16 : 0,
      }),
    );
  });
});
