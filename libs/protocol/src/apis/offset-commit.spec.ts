import { describe, expect, it } from 'vitest';
import { offsetCommitGoldens } from '../../test/fixtures/offset-commit.js';
import { checkAllGoldens, checkRequestGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('OffsetCommit', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(8, offsetCommitGoldens);
  });

  it('kafkajs v0 (no generation) to v5', () => {
    const partition = { partitionIndex: 0, committedOffset: 100n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null };
    expect(checkRequestGolden(8, goldenAt(offsetCommitGoldens, 'request', 0))).toEqual({
      groupId: 'g1',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [{ name: 'sat-data', partitions: [partition] }],
    });
    expect(checkRequestGolden(8, goldenAt(offsetCommitGoldens, 'request', 5, 'kafkajs 2.2.4 request encoder'))).toMatchObject({ generationId: 3, memberId: 'm-1' });
  });

  it('hand-built v1 request with its commit timestamp', () => {
    expect(checkRequestGolden(8, goldenAt(offsetCommitGoldens, 'request', 1, 'hand-built'))).toEqual({
      groupId: 'g1',
      generationId: 3,
      memberId: 'm-1',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [{ name: 't', partitions: [{ partitionIndex: 2, committedOffset: 10n, committedLeaderEpoch: -1, commitTimestamp: 1700000000000n, committedMetadata: 'md' }] }],
    });
  });

  it('librdkafka v7 commit (kcat -G)', () => {
    const body = checkRequestGolden(8, goldenAt(offsetCommitGoldens, 'request', 7, 'librdkafka'));
    expect([body.groupId, body.memberId, body.groupInstanceId, body.topics[0]?.partitions[0]?.committedOffset]).toEqual(['grp2', 'member-1', null, 11n]);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      8,
      (v) => ({
        groupId: 'g',
        generationId: v >= 1 ? 5 : -1,
        memberId: v >= 1 ? 'm' : '',
        groupInstanceId: v >= 7 ? 'i' : null,
        retentionTimeMs: v >= 2 && v <= 4 ? 86400000n : -1n,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 12n, committedLeaderEpoch: v >= 6 ? 2 : -1, commitTimestamp: v === 1 ? 99n : -1n, committedMetadata: v % 2 ? 'x' : null }] }],
      }),
      (v) => ({ throttleTimeMs: v >= 3 ? 1 : 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 22 }] }] }),
    );
  });
});
