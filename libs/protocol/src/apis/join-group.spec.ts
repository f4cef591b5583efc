import { describe, expect, it } from 'vitest';
import { joinGroupGoldens } from '../../test/fixtures/join-group.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

const metadata = new Uint8Array([0, 1, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 0]);

describe('JoinGroup', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(11, joinGroupGoldens);
  });

  it('kafkajs v0 (no rebalance timeout) and v5 (instance id) requests', () => {
    const base = { groupId: 'g1', sessionTimeoutMs: 30000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata }] };
    expect(checkRequestGolden(11, goldenAt(joinGroupGoldens, 'request', 0))).toEqual({ ...base, rebalanceTimeoutMs: -1 });
    expect(checkRequestGolden(11, goldenAt(joinGroupGoldens, 'request', 5, 'kafkajs 2.2.4 request encoder'))).toEqual({ ...base, rebalanceTimeoutMs: 60000 });
  });

  it('librdkafka v5 offers the range and roundrobin assignors', () => {
    const body = checkRequestGolden(11, goldenAt(joinGroupGoldens, 'request', 5, 'librdkafka'));
    expect([body.groupId, body.protocolType, body.protocols.map((p) => p.name)]).toEqual(['grp1', 'consumer', ['range', 'roundrobin']]);
  });

  it('hand-built MEMBER_ID_REQUIRED response', () => {
    expect(checkResponseGolden(11, goldenAt(joinGroupGoldens, 'response', 5, 'hand-built'))).toEqual({
      throttleTimeMs: 0,
      errorCode: 79,
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId: 'member-1',
      members: [],
    });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      11,
      (v) => ({
        groupId: 'g',
        sessionTimeoutMs: 10000,
        rebalanceTimeoutMs: v >= 1 ? 30000 : -1,
        memberId: 'm',
        groupInstanceId: v >= 5 ? 'static-1' : null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata }],
      }),
      (v) => ({
        throttleTimeMs: v >= 2 ? 1 : 0,
        errorCode: 0,
        generationId: 4,
        protocolName: 'range',
        leader: 'm',
        memberId: 'm',
        members: [{ memberId: 'm', groupInstanceId: v >= 5 ? 'static-1' : null, metadata }],
      }),
    );
  });
});
