/** The coordinator with a membership store: what a restart (a new coordinator over the same store) keeps. */
import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from './coordinator.js';
import type { CommittedOffsets, GroupMembershipStore, GroupSnapshot, JoinGroupInput } from './types.js';

const offsets: CommittedOffsets = { commit: () => undefined, get: () => undefined, list: () => [] };

/** Keeps the latest snapshot per group, like the offset store; `failNext` makes the next save reject. */
class MemoryMembership implements GroupMembershipStore {
  readonly saved = new Map<string, GroupSnapshot>();
  saves = 0;
  failNext = false;
  gate: Promise<void> = Promise.resolve();

  async save(group: GroupSnapshot): Promise<void> {
    this.saves += 1;
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.saved.set(group.groupId, structuredClone(group));
  }

  load(): GroupSnapshot[] {
    return [...this.saved.values()];
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const join = (memberId: string, clientId: string, overrides: Partial<JoinGroupInput> = {}): JoinGroupInput => ({
  groupId: 'g',
  memberId,
  clientId,
  clientHost: '/127.0.0.1',
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 30_000,
  protocolType: 'consumer',
  protocols: [
    { name: 'range', metadata: bytes(`meta-${clientId}`) },
    { name: 'roundrobin', metadata: bytes(`rr-${clientId}`) },
  ],
  ...overrides,
});

function coordinatorOver(store: MemoryMembership, clock: { now: number }, failures: Error[] = []) {
  return new GroupCoordinator({ offsets, membership: store, now: () => clock.now, onStoreFailure: (e) => failures.push(e) });
}

/** a and b in generation 2, Stable, a leading; assignments "A" and "B". */
async function stableWithTwo(c: GroupCoordinator) {
  const a1 = await c.join(join('', 'a'));
  await c.sync({ groupId: 'g', generationId: 1, memberId: a1.memberId, assignments: [] });
  const bJoin = c.join(join('', 'b'));
  const a = await c.join(join(a1.memberId, 'a'));
  const b = await bJoin;
  const assignments = [
    { memberId: a.memberId, assignment: bytes('A') },
    { memberId: b.memberId, assignment: bytes('B') },
  ];
  const [bSync, aSync] = await Promise.all([
    c.sync({ groupId: 'g', generationId: 2, memberId: b.memberId, assignments: [] }),
    c.sync({ groupId: 'g', generationId: 2, memberId: a.memberId, assignments }),
  ]);
  return { a, b, aSync, bSync };
}

describe('GroupCoordinator membership across a restart', () => {
  it('keeps members, generation, leader and assignments: heartbeats, commits and an unchanged rejoin carry on', async () => {
    const store = new MemoryMembership();
    const clock = { now: 1_000_000 };
    const { a, b } = await stableWithTwo(coordinatorOver(store, clock));
    expect(store.saved.get('g')).toMatchObject({ generationId: 2, protocolName: 'range', leaderId: a.memberId });

    clock.now += 5_000;
    const restarted = coordinatorOver(store, clock);
    expect(restarted.describe('g')).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolName: 'range' });
    expect(restarted.describe('g').members.map((m) => [m.memberId, text(m.metadata), text(m.assignment)])).toEqual([
      [a.memberId, 'meta-a', 'A'],
      [b.memberId, 'meta-b', 'B'],
    ]);
    expect(restarted.heartbeat('g', a.memberId, 2)).toBe('NONE');
    expect(await restarted.commitOffsets('g', b.memberId, 2, [{ topic: 't', partition: 0, offset: 1n, metadata: null }])).toBe('NONE');
    expect(restarted.heartbeat('g', b.memberId, 1)).toBe('ILLEGAL_GENERATION');
    // A follower rejoining with the same protocols stays in generation 2 and gets the group as it was.
    expect(await restarted.join(join(b.memberId, 'b'))).toMatchObject({ error: 'NONE', generationId: 2, leader: a.memberId, memberId: b.memberId });
    expect((await restarted.sync({ groupId: 'g', generationId: 2, memberId: b.memberId, assignments: [] })).assignment).toEqual(bytes('B'));
  });

  it('members that do not come back expire after their session timeout, counted from the restart', async () => {
    const store = new MemoryMembership();
    const clock = { now: 1_000_000 };
    const { a, b } = await stableWithTwo(coordinatorOver(store, clock));
    clock.now += 60_000; // longer than the session timeout, all while the broker was down
    const restarted = coordinatorOver(store, clock);
    clock.now += 6_000;
    restarted.tick(clock.now);
    expect(restarted.heartbeat('g', a.memberId, 2)).toBe('NONE');
    clock.now += 6_000; // b silent for 12 s since the restart; a heartbeated 6 s ago
    restarted.tick(clock.now);
    expect(restarted.heartbeat('g', b.memberId, 2)).toBe('UNKNOWN_MEMBER_ID');
    expect(restarted.heartbeat('g', a.memberId, 2)).toBe('REBALANCE_IN_PROGRESS');
    clock.now += 11_000;
    restarted.tick(clock.now);
    expect(restarted.describe('g')).toMatchObject({ state: 'Empty', members: [] });
    await Promise.resolve();
    // The emptied group is stored: another restart does not bring the members back.
    expect(coordinatorOver(store, clock).describe('g')).toMatchObject({ state: 'Empty', members: [] });
    expect(store.saved.get('g')?.members).toEqual([]);
  });

  it('answers SyncGroup only once the generation is stored; a failed save is reported and sends the members back to rejoin', async () => {
    const store = new MemoryMembership();
    const clock = { now: 1_000_000 };
    const failures: Error[] = [];
    const c = coordinatorOver(store, clock, failures);
    const a = await c.join(join('', 'a'));
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    let answered = false;
    const sync = c.sync({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [{ memberId: a.memberId, assignment: bytes('A') }] }).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 5));
    expect(answered).toBe(false);
    expect(c.describe('g').state).toBe('CompletingRebalance');
    open();
    expect((await sync).error).toBe('NONE');
    expect(c.describe('g').state).toBe('Stable');

    const a2Join = c.join(join(a.memberId, 'a', { protocols: [{ name: 'range', metadata: bytes('changed') }] }));
    const a2 = await a2Join;
    store.failNext = true;
    const failed = await c.sync({ groupId: 'g', generationId: a2.generationId, memberId: a.memberId, assignments: [] });
    expect(failed.error).toBe('COORDINATOR_NOT_AVAILABLE');
    expect(failures.map((e) => e.message)).toEqual(['disk full']);
    expect(c.describe('g').state).toBe('PreparingRebalance');
    expect(store.saved.get('g')?.generationId).toBe(1);
  });
});
