import { describe, expect, it } from 'vitest';
import { syncGroupGoldens } from '../../test/fixtures/sync-group.js';
import { checkAllGoldens, checkRequestGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('SyncGroup', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(14, syncGroupGoldens);
  });

  it('kafkajs leader request carries the assignments', () => {
    expect(checkRequestGolden(14, goldenAt(syncGroupGoldens, 'request', 0))).toEqual({
      groupId: 'g1',
      generationId: 3,
      memberId: 'm-1',
      groupInstanceId: null,
      assignments: [{ memberId: 'm-1', assignment: new Uint8Array([0, 1, 0, 0, 0, 0]) }],
    });
  });

  it('librdkafka v3 request', () => {
    const body = checkRequestGolden(14, goldenAt(syncGroupGoldens, 'request', 3, 'librdkafka'));
    expect([body.groupId, body.memberId, body.assignments.map((a) => a.memberId)]).toEqual(['grp1', 'member-1', ['member-1']]);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      14,
      (v) => ({ groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: v >= 3 ? 'i' : null, assignments: [{ memberId: 'm', assignment: new Uint8Array([1]) }] }),
      (v) => ({ throttleTimeMs: v >= 1 ? 1 : 0, errorCode: 27, assignment: new Uint8Array(0) }),
    );
  });
});
