import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from './coordinator.js';
import type { CommittedOffsets, JoinGroupInput } from './types.js';

function memoryOffsets(): CommittedOffsets & { map: Map<string, bigint> } {
  const map = new Map<string, bigint>();
  return {
    map,
    commit: (g, t, p, offset) => void map.set(`${g}/${t}/${p}`, offset),
    get: (g, t, p) => {
      const offset = map.get(`${g}/${t}/${p}`);
      return offset === undefined ? undefined : { offset, metadata: null };
    },
    list: () => [],
  };
}

function setup() {
  let clock = 1_000_000;
  const offsets = memoryOffsets();
  const coordinator = new GroupCoordinator({ offsets, now: () => clock });
  const advance = (ms: number) => {
    clock += ms;
    coordinator.tick(clock);
  };
  return { coordinator, offsets, advance };
}

const bytes = (s: string) => new TextEncoder().encode(s);
const join = (memberId = '', clientId = 'c', overrides: Partial<JoinGroupInput> = {}): JoinGroupInput => ({
  groupId: 'g',
  memberId,
  clientId,
  clientHost: '/127.0.0.1',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: bytes(`meta-${clientId}`) }],
  ...overrides,
});

/** Joins a first member and completes its generation with an assignment. */
async function stableWithOne(c: GroupCoordinator) {
  const a = await c.join(join('', 'a'));
  const sync = await c.sync({ groupId: 'g', generationId: a.generationId, memberId: a.memberId, assignments: [{ memberId: a.memberId, assignment: bytes('A0') }] });
  return { a, sync };
}

describe('GroupCoordinator', () => {
  it('a first member becomes leader of generation 1 and gets its own assignment', async () => {
    const { coordinator } = setup();
    const { a, sync } = await stableWithOne(coordinator);
    expect(a).toMatchObject({ error: 'NONE', generationId: 1, leader: a.memberId, protocolName: 'range' });
    expect(a.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(new TextDecoder().decode(sync.assignment)).toBe('A0');
    expect(coordinator.heartbeat('g', a.memberId, 1)).toBe('NONE');
    expect(coordinator.describe('g')).toMatchObject({ state: 'Stable', protocolName: 'range' });
  });

  it('a second member triggers a rebalance: the leader learns it from heartbeat, both join generation 2, the follower waits for the leader', async () => {
    const { coordinator } = setup();
    const { a } = await stableWithOne(coordinator);
    const bJoin = coordinator.join(join('', 'b'));
    expect(coordinator.heartbeat('g', a.memberId, 1)).toBe('REBALANCE_IN_PROGRESS');
    const aJoin = coordinator.join(join(a.memberId, 'a'));
    const [a2, b2] = await Promise.all([aJoin, bJoin]);
    expect([a2.generationId, b2.generationId]).toEqual([2, 2]);
    expect(a2.leader).toBe(a.memberId);
    expect(a2.members).toHaveLength(2);
    expect(b2.members).toEqual([]);

    let followerDone = false;
    const bSync = coordinator.sync({ groupId: 'g', generationId: 2, memberId: b2.memberId, assignments: [] }).then((r) => ((followerDone = true), r));
    await Promise.resolve();
    expect(followerDone).toBe(false);
    await coordinator.sync({
      groupId: 'g',
      generationId: 2,
      memberId: a2.memberId,
      assignments: [
        { memberId: a2.memberId, assignment: bytes('A') },
        { memberId: b2.memberId, assignment: bytes('B') },
      ],
    });
    expect(new TextDecoder().decode((await bSync).assignment)).toBe('B');
  });

  it('refuses stale generations and unknown members with the proper errors', async () => {
    const { coordinator } = setup();
    const { a } = await stableWithOne(coordinator);
    expect(coordinator.heartbeat('g', a.memberId, 0)).toBe('ILLEGAL_GENERATION');
    expect(coordinator.heartbeat('g', 'nobody', 1)).toBe('UNKNOWN_MEMBER_ID');
    expect((await coordinator.sync({ groupId: 'g', generationId: 7, memberId: a.memberId, assignments: [] })).error).toBe('ILLEGAL_GENERATION');
    expect(await coordinator.commitOffsets('g', a.memberId, 0, [{ topic: 't', partition: 0, offset: 5n, metadata: null }])).toBe('ILLEGAL_GENERATION');
    expect((await coordinator.join(join('ghost', 'x'))).error).toBe('UNKNOWN_MEMBER_ID');
    expect((await coordinator.join(join('', 'x', { sessionTimeoutMs: 10 }))).error).toBe('INVALID_SESSION_TIMEOUT');
    expect((await coordinator.join(join('', 'x', { protocolType: 'connect' }))).error).toBe('INCONSISTENT_GROUP_PROTOCOL');
  });

  it('evicts a member whose session expired and rebalances the rest', async () => {
    const { coordinator, advance } = setup();
    const { a } = await stableWithOne(coordinator);
    const bJoin = coordinator.join(join('', 'b'));
    const a2 = await coordinator.join(join(a.memberId, 'a'));
    const b2 = await bJoin;
    await Promise.all([
      coordinator.sync({ groupId: 'g', generationId: 2, memberId: b2.memberId, assignments: [] }),
      coordinator.sync({ groupId: 'g', generationId: 2, memberId: a2.memberId, assignments: [] }),
    ]);
    // a keeps heartbeating, b goes silent (killed without LeaveGroup).
    for (let i = 0; i < 4; i++) {
      advance(3_000);
      if (i < 3) expect(coordinator.heartbeat('g', a.memberId, 2)).toBe('NONE');
    }
    expect(coordinator.heartbeat('g', a.memberId, 2)).toBe('REBALANCE_IN_PROGRESS');
    expect(coordinator.heartbeat('g', b2.memberId, 2)).toBe('UNKNOWN_MEMBER_ID');
    const a3 = await coordinator.join(join(a.memberId, 'a'));
    expect(a3).toMatchObject({ error: 'NONE', generationId: 3, leader: a.memberId });
    expect(a3.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('keeps a follower waiting in SyncGroup alive past its session timeout while the leader is slow', async () => {
    const { coordinator, advance } = setup();
    const { a } = await stableWithOne(coordinator);
    const bJoin = coordinator.join(join('', 'b'));
    const a2 = await coordinator.join(join(a.memberId, 'a'));
    const b2 = await bJoin;
    const bSync = coordinator.sync({ groupId: 'g', generationId: 2, memberId: b2.memberId, assignments: [] });
    // The leader takes 8 s of b's 10 s session, heartbeating meanwhile; b sits in SyncGroup for 12 s.
    for (let i = 0; i < 4; i++) {
      advance(3_000);
      expect(coordinator.heartbeat('g', a2.memberId, 2)).toBe('NONE');
    }
    await coordinator.sync({ groupId: 'g', generationId: 2, memberId: a2.memberId, assignments: [{ memberId: b2.memberId, assignment: bytes('B') }] });
    expect((await bSync).error).toBe('NONE');
    expect(coordinator.heartbeat('g', b2.memberId, 2)).toBe('NONE');
  });

  it('ends a join phase at the rebalance timeout without members that never rejoined', async () => {
    const { coordinator, advance } = setup();
    const { a } = await stableWithOne(coordinator);
    const cJoin = coordinator.join(join('', 'c', { sessionTimeoutMs: 60_000 }));
    // a never rejoins but keeps its session alive: only the rebalance timeout (30 s) removes it.
    let settled = false;
    void cJoin.then(() => (settled = true));
    advance(5_000);
    coordinator.heartbeat('g', a.memberId, 1);
    await Promise.resolve();
    expect(settled).toBe(false);
    advance(26_000);
    const c = await cJoin;
    expect(c).toMatchObject({ error: 'NONE', generationId: 2, leader: c.memberId });
    expect(coordinator.heartbeat('g', a.memberId, 1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('leave empties the group; standalone commits (generation -1) are allowed then and stored', async () => {
    const { coordinator, offsets } = setup();
    const { a } = await stableWithOne(coordinator);
    expect(coordinator.leave('g', [a.memberId, 'nobody'])).toEqual([
      { memberId: a.memberId, error: 'NONE' },
      { memberId: 'nobody', error: 'UNKNOWN_MEMBER_ID' },
    ]);
    expect(coordinator.describe('g').state).toBe('Empty');
    expect(await coordinator.commitOffsets('g', '', -1, [{ topic: 't', partition: 2, offset: 42n, metadata: null }])).toBe('NONE');
    expect(offsets.map.get('g/t/2')).toBe(42n);
    expect(coordinator.list()).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'Empty' }]);
  });
});
