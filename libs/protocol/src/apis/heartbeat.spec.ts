import { describe, expect, it } from 'vitest';
import { heartbeatGoldens } from '../../test/fixtures/heartbeat.js';
import { checkAllGoldens, checkRequestGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('Heartbeat', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(12, heartbeatGoldens);
  });

  it('kafkajs and librdkafka requests', () => {
    const body = { groupId: 'g1', generationId: 3, memberId: 'm-1', groupInstanceId: null };
    for (const v of [0, 1, 2, 3]) expect(checkRequestGolden(12, goldenAt(heartbeatGoldens, 'request', v, 'kafkajs'))).toEqual(body);
    expect(checkRequestGolden(12, goldenAt(heartbeatGoldens, 'request', 3, 'librdkafka'))).toMatchObject({ groupId: 'grp1', memberId: 'member-1' });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      12,
      (v) => ({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: v >= 3 ? 'i' : null }),
      (v) => ({ throttleTimeMs: v >= 1 ? 1 : 0, errorCode: 22 }),
    );
  });
});
