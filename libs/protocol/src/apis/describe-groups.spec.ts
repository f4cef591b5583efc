import { describe, expect, it } from 'vitest';
import { describeGroupsGoldens } from '../../test/fixtures/describe-groups.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('DescribeGroups', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(15, describeGroupsGoldens);
  });

  it('kafkajs requests and the response it accepted', () => {
    for (const v of [0, 1, 2]) expect(checkRequestGolden(15, goldenAt(describeGroupsGoldens, 'request', v))).toEqual({ groups: ['g1'], includeAuthorizedOperations: false });
    const body = checkResponseGolden(15, goldenAt(describeGroupsGoldens, 'response', 2));
    expect(body.groups.map((g) => [g.groupId, g.groupState, g.protocolData, g.members.length])).toEqual([['g1', 'Stable', 'range', 1]]);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      15,
      (v) => ({ groups: ['g1', 'g2'], includeAuthorizedOperations: v >= 3 }),
      (v) => ({
        throttleTimeMs: v >= 1 ? 1 : 0,
        groups: [
          {
            errorCode: 0,
            groupId: 'g1',
            groupState: 'Stable',
            protocolType: 'consumer',
            protocolData: 'range',
            members: [{ memberId: 'm', groupInstanceId: v >= 4 ? 'i' : null, clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: new Uint8Array([1]), memberAssignment: new Uint8Array([2]) }],
            authorizedOperations: v >= 3 ? 0x0ff8 : -2147483648,
          },
        ],
      }),
    );
  });
});
