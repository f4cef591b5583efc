import { describe, expect, it } from 'vitest';
import { findCoordinatorGoldens } from '../../test/fixtures/find-coordinator.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('FindCoordinator', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(10, findCoordinatorGoldens);
  });

  it('kafkajs v0-v2 and librdkafka v2 requests', () => {
    expect(checkRequestGolden(10, goldenAt(findCoordinatorGoldens, 'request', 0))).toEqual({ key: 'g1', keyType: 0 });
    expect(checkRequestGolden(10, goldenAt(findCoordinatorGoldens, 'request', 2, 'kafkajs'))).toEqual({ key: 'g1', keyType: 0 });
    expect(checkRequestGolden(10, goldenAt(findCoordinatorGoldens, 'request', 2, 'librdkafka'))).toEqual({ key: 'grp1', keyType: 0 });
  });

  it('the response kcat accepted', () => {
    expect(checkResponseGolden(10, goldenAt(findCoordinatorGoldens, 'response', 2, 'librdkafka'))).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: 1,
      host: '127.0.0.1',
      port: 19094,
    });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      10,
      (v) => ({ key: 'txn-1', keyType: v >= 1 ? 1 : 0 }),
      (v) => ({ throttleTimeMs: v >= 1 ? 2 : 0, errorCode: 15, errorMessage: v >= 1 ? 'not yet' : null, nodeId: -1, host: '', port: -1 }),
    );
  });
});
