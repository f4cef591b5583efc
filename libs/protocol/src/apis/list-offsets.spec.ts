import { describe, expect, it } from 'vitest';
import { listOffsetsGoldens } from '../../test/fixtures/list-offsets.js';
import { checkAllGoldens, checkRequestGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';
import { LIST_OFFSETS_EARLIEST } from './list-offsets.js';

describe('ListOffsets', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(2, listOffsetsGoldens);
  });

  it('kafkajs v0 carries maxNumOffsets, v2+ the isolation level', () => {
    const partition = { partitionIndex: 0, timestamp: LIST_OFFSETS_EARLIEST, maxNumOffsets: 1 };
    expect(checkRequestGolden(2, goldenAt(listOffsetsGoldens, 'request', 0))).toEqual({ replicaId: -1, isolationLevel: 0, topics: [{ name: 'sat-data', partitions: [partition] }] });
    expect(checkRequestGolden(2, goldenAt(listOffsetsGoldens, 'request', 3, 'kafkajs')).isolationLevel).toBe(1);
  });

  it('librdkafka (kcat -C / -Q) uses v2', () => {
    const body = checkRequestGolden(2, goldenAt(listOffsetsGoldens, 'request', 2, 'librdkafka'));
    expect(body.topics[0]?.name).toBe('sat-data');
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      2,
      (v) => ({
        replicaId: -1,
        isolationLevel: v >= 2 ? 1 : 0,
        topics: [{ name: 't', partitions: [{ partitionIndex: 1, timestamp: 1700000000000n, maxNumOffsets: v === 0 ? 5 : 1 }] }],
      }),
      (v) => ({
        throttleTimeMs: v >= 2 ? 1 : 0,
        topics: [
          {
            name: 't',
            partitions: [
              v === 0
                ? { partitionIndex: 1, errorCode: 0, oldStyleOffsets: [40n, 0n], timestamp: -1n, offset: -1n }
                : { partitionIndex: 1, errorCode: 0, oldStyleOffsets: [], timestamp: 1700000000000n, offset: 40n },
            ],
          },
        ],
      }),
    );
  });
});
