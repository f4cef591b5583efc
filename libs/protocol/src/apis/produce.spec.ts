import { describe, expect, it } from 'vitest';
import { produceGoldens } from '../../test/fixtures/produce.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, fromHex, goldenAt, roundTripEveryVersion } from '../../test/harness.js';
import { decodeRequest } from '../protocol/requests.js';
import { encodeRecordBatch } from '../records/batch.js';

describe('Produce', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(0, produceGoldens);
  });

  it('kafkajs v3-v7 requests carry one batch per partition as a view of the frame', () => {
    for (const v of [3, 4, 5, 6, 7]) {
      const body = checkRequestGolden(0, goldenAt(produceGoldens, 'request', v, 'kafkajs'));
      expect(body).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
      expect(body.topicData.map((t) => [t.name, t.partitionData.map((p) => [p.index, p.records?.length])])).toEqual([['sat-data', [[0, 98]]]]);
    }
  });

  it('librdkafka sends Produce v7 with acks -1', () => {
    const body = checkRequestGolden(0, goldenAt(produceGoldens, 'request', 7, 'librdkafka'));
    expect([body.acks, body.topicData[0]?.name]).toEqual([-1, 'sat-data']);
  });

  it('hand-built v7 response', () => {
    expect(checkResponseGolden(0, goldenAt(produceGoldens, 'response', 7, 'hand-built'))).toEqual({
      responses: [{ name: 'sat-data', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 100n, logAppendTimeMs: -1n, logStartOffset: 0n }] }],
      throttleTimeMs: 0,
    });
  });

  it('v0-v2 are advertised (for librdkafka) but refused as UNSUPPORTED_VERSION', () => {
    const result = decodeRequest(fromHex('0000' + '0002' + '00000001' + 'ffff' + 'ffff' + '00007530' + '00000000'));
    expect(!result.ok && [result.error.code, result.header?.correlationId]).toEqual(['UNSUPPORTED_VERSION', 1]);
  });

  it('round-trips every supported version', () => {
    const records = encodeRecordBatch({ records: [{ key: null, value: new Uint8Array([1, 2, 3]) }], baseTimestamp: 1n });
    roundTripEveryVersion(
      0,
      (v) => ({
        transactionalId: v % 2 ? 'txn' : null,
        acks: 1,
        timeoutMs: 1000,
        topicData: [{ name: 't', partitionData: [{ index: 0, records }, { index: 1, records: null }] }],
      }),
      (v) => ({
        responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 42n, logAppendTimeMs: 1700000000000n, logStartOffset: v >= 5 ? 7n : -1n }] }],
        throttleTimeMs: 3,
      }),
    );
  });
});
