import { describe, expect, it } from 'vitest';
import { initProducerIdGoldens } from '../../test/fixtures/init-producer-id.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('InitProducerId', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(22, initProducerIdGoldens);
  });

  it('kafkajs v0/v1 and librdkafka v4 (flexible, idempotent producer)', () => {
    const idempotent = { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 };
    expect(checkRequestGolden(22, goldenAt(initProducerIdGoldens, 'request', 0))).toEqual(idempotent);
    expect(checkRequestGolden(22, goldenAt(initProducerIdGoldens, 'request', 1, 'kafkajs 2.2.4 request encoder'))).toEqual(idempotent);
    expect(checkRequestGolden(22, goldenAt(initProducerIdGoldens, 'request', 4, 'librdkafka'))).toMatchObject({ transactionalId: null, producerId: -1n, producerEpoch: -1 });
    expect(checkResponseGolden(22, goldenAt(initProducerIdGoldens, 'response', 4, 'hand-built'))).toEqual({ throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 0 });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      22,
      (v) => ({ transactionalId: v % 2 ? 'tx' : null, transactionTimeoutMs: 60000, producerId: v >= 3 ? 1000n : -1n, producerEpoch: v >= 3 ? 2 : -1 }),
      () => ({ throttleTimeMs: 0, errorCode: 0, producerId: 2n ** 62n, producerEpoch: 32767 }),
    );
  });
});
