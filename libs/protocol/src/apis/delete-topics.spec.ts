import { describe, expect, it } from 'vitest';
import { deleteTopicsGoldens } from '../../test/fixtures/delete-topics.js';
import { checkAllGoldens, checkRequestGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('DeleteTopics', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(20, deleteTopicsGoldens);
  });

  it('kafkajs requests', () => {
    for (const v of [0, 1]) expect(checkRequestGolden(20, goldenAt(deleteTopicsGoldens, 'request', v))).toEqual({ topicNames: ['old'], timeoutMs: 5000 });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      20,
      () => ({ topicNames: ['a', 'b'], timeoutMs: 30000 }),
      (v) => ({ throttleTimeMs: v >= 1 ? 1 : 0, responses: [{ name: 'a', errorCode: 0 }, { name: 'b', errorCode: 3 }] }),
    );
  });
});
