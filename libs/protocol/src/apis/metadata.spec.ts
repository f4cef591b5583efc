import { describe, expect, it } from 'vitest';
import { metadataGoldens } from '../../test/fixtures/metadata.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('Metadata', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(3, metadataGoldens);
  });

  it('kafkajs: v0 empty list means all topics; v4+ carries allowAutoTopicCreation', () => {
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 0))).toEqual({ topics: null, allowAutoTopicCreation: true });
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 1))).toEqual({ topics: ['sat-data'], allowAutoTopicCreation: true });
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 6, 'kafkajs'))).toEqual({ topics: ['sat-data'], allowAutoTopicCreation: true });
  });

  it('librdkafka (kcat -L) and kafkajs admin ask for all topics with a null array; [] means none in v1+', () => {
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 4, 'kcat -L'))).toEqual({ topics: null, allowAutoTopicCreation: true });
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 6, 'listTopics')).topics).toBeNull();
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 4, 'brokers-only'))).toEqual({ topics: [], allowAutoTopicCreation: false });
    expect(checkRequestGolden(3, goldenAt(metadataGoldens, 'request', 4, 'librdkafka 2.0.2 (kcat) on the wire')).topics).toEqual(['sat-data']);
  });

  it('hand-built v1 response', () => {
    expect(checkResponseGolden(3, goldenAt(metadataGoldens, 'response', 1, 'hand-built'))).toEqual({
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
      clusterId: null,
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'sat-data',
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
        },
      ],
    });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      3,
      (v) => ({ topics: v === 0 ? ['a', 'b'] : v % 2 ? null : ['f1-telemetry'], allowAutoTopicCreation: v >= 4 ? false : true }),
      (v) => ({
        throttleTimeMs: v >= 3 ? 10 : 0,
        brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: v >= 1 ? 'r1' : null }],
        clusterId: v >= 2 ? 'lakestream' : null,
        controllerId: v >= 1 ? 1 : -1,
        topics: [
          {
            errorCode: 3,
            name: 'sat-data',
            isInternal: v >= 1,
            partitions: [0, 1].map((p) => ({
              errorCode: 0,
              partitionIndex: p,
              leaderId: 1,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: v >= 5 ? [2] : [],
            })),
          },
        ],
      }),
    );
  });
});
