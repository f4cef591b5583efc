import { describe, expect, it } from 'vitest';
import { leaveGroupGoldens } from '../../test/fixtures/leave-group.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';
import { encodeRequest } from '../protocol/requests.js';

describe('LeaveGroup', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(13, leaveGroupGoldens);
  });

  it('v0-v2 single member and v3 batch both decode to members', () => {
    const one = { groupId: 'g1', members: [{ memberId: 'm-1', groupInstanceId: null }] };
    for (const v of [0, 1, 2, 3]) expect(checkRequestGolden(13, goldenAt(leaveGroupGoldens, 'request', v, 'kafkajs'))).toEqual(one);
    expect(checkRequestGolden(13, goldenAt(leaveGroupGoldens, 'request', 1, 'librdkafka'))).toEqual({ groupId: 'grp1', members: [{ memberId: 'member-1', groupInstanceId: null }] });
  });

  it('hand-built v3 response with per-member errors', () => {
    expect(checkResponseGolden(13, goldenAt(leaveGroupGoldens, 'response', 3, 'hand-built'))).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      members: [
        { memberId: 'm-1', groupInstanceId: null, errorCode: 0 },
        { memberId: 'm-9', groupInstanceId: 'i9', errorCode: 25 },
      ],
    });
  });

  it('v0-v2 cannot name more than one member', () => {
    const header = { apiKey: 13 as const, apiVersion: 1, correlationId: 1, clientId: null };
    const two = { groupId: 'g', members: [{ memberId: 'a', groupInstanceId: null }, { memberId: 'b', groupInstanceId: null }] };
    expect(() => encodeRequest(header, two)).toThrow(/exactly one member/);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      13,
      (v) => ({ groupId: 'g', members: v >= 3 ? [{ memberId: 'a', groupInstanceId: 'ia' }, { memberId: 'b', groupInstanceId: null }] : [{ memberId: 'a', groupInstanceId: null }] }),
      (v) => ({ throttleTimeMs: v >= 1 ? 1 : 0, errorCode: 0, members: v >= 3 ? [{ memberId: 'a', groupInstanceId: 'ia', errorCode: 0 }] : [] }),
    );
  });
});
