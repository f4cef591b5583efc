import { describe, expect, it } from 'vitest';
import { createTopicsGoldens } from '../../test/fixtures/create-topics.js';
import { checkAllGoldens, checkRequestGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('CreateTopics', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(19, createTopicsGoldens);
  });

  it('kafkajs request with a config entry', () => {
    const topic = { name: 'f1-telemetry', numPartitions: 6, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '86400000' }] };
    expect(checkRequestGolden(19, goldenAt(createTopicsGoldens, 'request', 0))).toEqual({ topics: [topic], timeoutMs: 5000, validateOnly: false });
    expect(checkRequestGolden(19, goldenAt(createTopicsGoldens, 'request', 3, 'kafkajs 2.2.4 request encoder')).topics).toEqual([topic]);
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      19,
      (v) => ({
        topics: [{ name: 't', numPartitions: v >= 4 ? -1 : 3, replicationFactor: 1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: [{ name: 'cleanup.policy', value: null }] }],
        timeoutMs: 1000,
        validateOnly: v >= 1,
      }),
      (v) => ({ throttleTimeMs: v >= 2 ? 1 : 0, topics: [{ name: 't', errorCode: 36, errorMessage: v >= 1 ? 'Topic already exists.' : null }] }),
    );
  });
});
