import { describe, expect, it } from 'vitest';
import { listGroupsGoldens } from '../../test/fixtures/list-groups.js';
import { checkAllGoldens, checkRequestGolden, checkResponseGolden, goldenAt, roundTripEveryVersion } from '../../test/harness.js';

describe('ListGroups', () => {
  it('every golden decodes and re-encodes byte for byte', () => {
    checkAllGoldens(16, listGroupsGoldens);
  });

  it('kafkajs v0-v2 empty requests; hand-built flexible v3 and v4', () => {
    for (const v of [0, 1, 2]) expect(checkRequestGolden(16, goldenAt(listGroupsGoldens, 'request', v))).toEqual({ statesFilter: [] });
    expect(checkRequestGolden(16, goldenAt(listGroupsGoldens, 'request', 3, 'hand-built'))).toEqual({ statesFilter: [] });
    expect(checkRequestGolden(16, goldenAt(listGroupsGoldens, 'request', 4, 'hand-built'))).toEqual({ statesFilter: ['Stable'] });
    expect(checkResponseGolden(16, goldenAt(listGroupsGoldens, 'response', 4, 'hand-built'))).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [{ groupId: 'g1', protocolType: 'consumer', groupState: 'Stable' }],
    });
  });

  it('round-trips every supported version', () => {
    roundTripEveryVersion(
      16,
      (v) => ({ statesFilter: v >= 4 ? ['Empty', 'Stable'] : [] }),
      (v) => ({ throttleTimeMs: v >= 1 ? 1 : 0, errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer', groupState: v >= 4 ? 'Empty' : '' }] }),
    );
  });
});
