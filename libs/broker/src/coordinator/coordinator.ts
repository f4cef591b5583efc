import { randomUUID } from 'node:crypto';
import { Group, type Member } from './group.js';
import type {
  CommittedOffsets,
  GroupDescription,
  GroupMembershipStore,
  GroupErrorName,
  JoinGroupInput,
  JoinGroupOutput,
  SyncGroupInput,
  SyncGroupOutput,
} from './types.js';

export interface CoordinatorOptions {
  readonly offsets: CommittedOffsets;
  /** Clock in ms; injectable so tests drive time. */
  readonly now?: () => number;
  /** Kafka's group.min/max.session.timeout.ms. */
  readonly minSessionTimeoutMs?: number;
  readonly maxSessionTimeoutMs?: number;
  /**
   * Kafka's group.initial.rebalance.delay.ms: how long the first join into an
   * empty group waits for more members before completing. Default 0 here:
   * one process per member on one machine start within milliseconds.
   */
  readonly initialRebalanceDelayMs?: number;
  /**
   * Keeps membership across restarts, as Kafka's __consumer_offsets does:
   * groups are loaded when the coordinator is created, so members of a
   * completed rebalance keep their ids and generation. Without it,
   * membership lives in memory only.
   */
  readonly membership?: GroupMembershipStore;
  /** Told when saving membership fails (the members of that rebalance get COORDINATOR_NOT_AVAILABLE and rejoin). */
  readonly onStoreFailure?: (error: Error) => void;
}

const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * The group coordinator of a single-node broker. Client-side assignment as in
 * Kafka: the coordinator runs generations and relays the leader's assignment.
 * Call `tick()` periodically (the broker does, every 100 ms) to evict members
 * whose session expired and to end join phases whose rebalance timeout passed.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly now: () => number;
  private readonly minSession: number;
  private readonly maxSession: number;
  private readonly initialDelay: number;

  constructor(private readonly options: CoordinatorOptions) {
    this.now = options.now ?? Date.now;
    this.minSession = options.minSessionTimeoutMs ?? 1_000;
    this.maxSession = options.maxSessionTimeoutMs ?? 300_000;
    this.initialDelay = options.initialRebalanceDelayMs ?? 0;
    const now = this.now();
    for (const snapshot of options.membership?.load() ?? []) this.groups.set(snapshot.groupId, Group.restore(snapshot, now));
  }

  join(input: JoinGroupInput): Promise<JoinGroupOutput> {
    const fail = (error: GroupErrorName, memberId = input.memberId): Promise<JoinGroupOutput> =>
      Promise.resolve({ error, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] });
    if (!input.groupId) return fail('INVALID_GROUP_ID');
    if (input.sessionTimeoutMs < this.minSession || input.sessionTimeoutMs > this.maxSession) return fail('INVALID_SESSION_TIMEOUT');
    const group = this.groupFor(input.groupId);
    const now = this.now();
    if (input.memberId && !group.members.has(input.memberId)) return fail('UNKNOWN_MEMBER_ID');
    if (!group.supports(input.protocolType, input.protocols) && !(input.memberId && group.members.size === 1)) {
      return fail('INCONSISTENT_GROUP_PROTOCOL');
    }

    let member = input.memberId ? group.members.get(input.memberId) : undefined;
    if (member && group.state === 'Stable' && member.memberId !== group.leaderId && sameProtocols(member, input)) {
      // A follower rejoining with unchanged metadata: no rebalance, answer with the current generation.
      member.sessionDeadline = now + member.sessionTimeoutMs;
      return Promise.resolve(this.joinOutput(group, member));
    }
    if (!member) {
      member = group.addMember(input, `${input.clientId || 'member'}-${randomUUID()}`, now);
    } else {
      Object.assign(member, {
        clientId: input.clientId,
        clientHost: input.clientHost,
        sessionTimeoutMs: input.sessionTimeoutMs,
        rebalanceTimeoutMs: input.rebalanceTimeoutMs,
        protocols: input.protocols,
      });
    }
    if (group.members.size === 1) group.protocolType = input.protocolType;
    const joined = member;
    const result = new Promise<JoinGroupOutput>((resolve) => {
      joined.pendingJoin?.({ ...this.joinOutput(group, joined), error: 'UNKNOWN_MEMBER_ID' });
      joined.pendingJoin = resolve;
    });
    this.prepareRebalance(group, now, group.state === 'Empty' ? this.initialDelay : undefined);
    this.maybeCompleteJoin(group, now);
    return result;
  }

  sync(input: SyncGroupInput): Promise<SyncGroupOutput> {
    const group = this.groups.get(input.groupId);
    const answer = (error: GroupErrorName, assignment: Uint8Array = EMPTY): SyncGroupOutput => ({
      error,
      protocolType: group?.protocolType || null,
      protocolName: group?.protocolName || null,
      assignment,
    });
    const member = group?.members.get(input.memberId);
    if (!group || !member) return Promise.resolve(answer('UNKNOWN_MEMBER_ID'));
    if (input.generationId !== group.generationId) return Promise.resolve(answer('ILLEGAL_GENERATION'));
    if (group.state === 'PreparingRebalance') return Promise.resolve(answer('REBALANCE_IN_PROGRESS'));
    member.sessionDeadline = this.now() + member.sessionTimeoutMs;
    if (group.state === 'Stable') return Promise.resolve(answer('NONE', member.assignment));

    const result = new Promise<SyncGroupOutput>((resolve) => {
      member.pendingSync = resolve;
    });
    if (member.memberId === group.leaderId) {
      const byMember = new Map(input.assignments.map((a) => [a.memberId, a.assignment]));
      for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? EMPTY;
      // As Kafka: the generation's membership is stored before any member hears its assignment.
      const generation = group.generationId;
      const finish = (stored: boolean): void => {
        // A join, leave or eviction while storing started another rebalance; prepareRebalance answered the syncs.
        if (group.state !== 'CompletingRebalance' || group.generationId !== generation) return;
        if (stored) group.state = 'Stable';
        for (const m of group.members.values()) {
          const resolve = m.pendingSync;
          m.pendingSync = undefined;
          resolve?.(stored ? answer('NONE', m.assignment) : answer('COORDINATOR_NOT_AVAILABLE'));
        }
        if (!stored) this.prepareRebalance(group, this.now());
      };
      const saving = this.save(group);
      if (saving) void saving.then(finish);
      else finish(true);
    }
    return result;
  }

  heartbeat(groupId: string, memberId: string, generationId: number): GroupErrorName {
    const group = this.groups.get(groupId);
    const member = group?.members.get(memberId);
    if (!group || !member) return 'UNKNOWN_MEMBER_ID';
    if (generationId !== group.generationId) return 'ILLEGAL_GENERATION';
    member.sessionDeadline = this.now() + member.sessionTimeoutMs;
    return group.state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE';
  }

  /** Removes members (LeaveGroup); per-member errors, as LeaveGroup v3+ reports them. */
  leave(groupId: string, memberIds: readonly string[]): { memberId: string; error: GroupErrorName }[] {
    const group = this.groups.get(groupId);
    return memberIds.map((memberId) => {
      if (!group?.members.has(memberId)) return { memberId, error: 'UNKNOWN_MEMBER_ID' as const };
      this.removeAndRebalance(group, memberId);
      return { memberId, error: 'NONE' as const };
    });
  }

  /** May this member commit offsets now? generation -1 with no member is a standalone (non-group) commit. */
  async commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    offsets: readonly { topic: string; partition: number; offset: bigint; metadata: string | null }[],
  ): Promise<GroupErrorName> {
    const group = this.groups.get(groupId);
    if (generationId >= 0 || memberId) {
      const member = group?.members.get(memberId);
      if (!group || !member) return 'UNKNOWN_MEMBER_ID';
      if (generationId !== group.generationId) return 'ILLEGAL_GENERATION';
      // As Kafka: members of the current generation may still commit while a rebalance is
      // being prepared (work done before they rejoin is not lost); only between join and sync is it refused.
      if (group.state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
      member.sessionDeadline = this.now() + member.sessionTimeoutMs;
    } else if (group && group.members.size > 0) {
      return 'UNKNOWN_MEMBER_ID';
    }
    for (const o of offsets) await this.options.offsets.commit(groupId, o.topic, o.partition, o.offset, o.metadata);
    return 'NONE';
  }

  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) return { groupId, error: 'NONE', state: 'Dead', protocolType: '', protocolName: '', members: [] };
    const chosen = group.protocolName;
    return {
      groupId,
      error: 'NONE',
      state: group.state,
      protocolType: group.protocolType,
      protocolName: group.state === 'Stable' || group.state === 'CompletingRebalance' ? chosen : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === chosen)?.metadata ?? EMPTY,
        assignment: m.assignment,
      })),
    };
  }

  /** Groups with members or committed offsets known to this coordinator. */
  list(): { groupId: string; protocolType: string; state: string }[] {
    return [...this.groups.values()].map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, state: g.state }));
  }

  /** Evicts expired members and ends overdue join phases. */
  tick(now = this.now()): void {
    for (const group of this.groups.values()) {
      for (const member of [...group.members.values()]) {
        // A member blocked in JoinGroup or SyncGroup cannot heartbeat; as in Kafka, its session
        // stays alive. A leader that never syncs still expires and frees the waiting followers.
        const waiting = (group.state === 'PreparingRebalance' && member.pendingJoin) || member.pendingSync;
        if (!waiting && member.sessionDeadline <= now) this.removeAndRebalance(group, member.memberId);
      }
      this.maybeCompleteJoin(group, now);
      if (group.state === 'PreparingRebalance' && group.rebalanceDeadline <= now) {
        for (const member of [...group.members.values()]) if (!member.pendingJoin) group.removeMember(member.memberId);
        this.completeJoin(group, now);
      }
    }
  }

  private groupFor(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }

  private prepareRebalance(group: Group, now: number, delayMs?: number): void {
    if (group.state !== 'PreparingRebalance') {
      // Members waiting in SyncGroup for a generation that is now being replaced must rejoin.
      for (const m of group.members.values()) {
        const resolve = m.pendingSync;
        m.pendingSync = undefined;
        resolve?.({ error: 'REBALANCE_IN_PROGRESS', protocolType: group.protocolType, protocolName: group.protocolName, assignment: EMPTY });
      }
      group.state = 'PreparingRebalance';
      const longest = Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutMs));
      group.rebalanceDeadline = now + Math.max(longest, delayMs ?? 0);
      group.joinNotBefore = now + (delayMs ?? 0);
    }
  }

  private maybeCompleteJoin(group: Group, now: number): void {
    if (group.state === 'PreparingRebalance' && group.allJoined() && now >= group.joinNotBefore) this.completeJoin(group, now);
  }

  private completeJoin(group: Group, now: number): void {
    if (group.members.size === 0) {
      group.state = 'Empty';
      group.generationId += 1;
      group.protocolName = '';
      group.leaderId = '';
      // Stored so that a restart does not bring back members that have left.
      void this.save(group);
      return;
    }
    group.generationId += 1;
    group.protocolName = group.selectProtocol();
    if (!group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value ?? '';
    group.state = 'CompletingRebalance';
    for (const m of group.members.values()) {
      m.sessionDeadline = now + m.sessionTimeoutMs;
      const resolve = m.pendingJoin;
      m.pendingJoin = undefined;
      resolve?.(this.joinOutput(group, m));
    }
  }

  private removeAndRebalance(group: Group, memberId: string): void {
    const member = group.members.get(memberId);
    if (!member) return;
    member.pendingJoin?.({ ...this.joinOutput(group, member), error: 'UNKNOWN_MEMBER_ID' });
    member.pendingSync?.({ error: 'UNKNOWN_MEMBER_ID', protocolType: null, protocolName: null, assignment: EMPTY });
    group.removeMember(memberId);
    const now = this.now();
    if (group.members.size === 0) {
      this.completeJoin(group, now);
      return;
    }
    this.prepareRebalance(group, now);
    this.maybeCompleteJoin(group, now);
  }

  /** Stores the group's membership: resolves true once durable, false if that failed (reported); undefined without a store. */
  private save(group: Group): Promise<boolean> | undefined {
    const store = this.options.membership;
    if (!store) return undefined;
    let saving: Promise<void>;
    try {
      saving = store.save(group.snapshot());
    } catch (e) {
      saving = Promise.reject(e);
    }
    return saving.then(
      () => true,
      (e: unknown) => {
        this.options.onStoreFailure?.(e instanceof Error ? e : new Error(String(e)));
        return false;
      },
    );
  }

  private joinOutput(group: Group, member: Member): JoinGroupOutput {
    const isLeader = member.memberId === group.leaderId;
    return {
      error: 'NONE',
      generationId: group.generationId,
      protocolType: group.protocolType || null,
      protocolName: group.protocolName || null,
      leader: group.leaderId,
      memberId: member.memberId,
      members: isLeader
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? EMPTY,
          }))
        : [],
    };
  }
}

function sameProtocols(member: Member, input: JoinGroupInput): boolean {
  if (member.protocols.length !== input.protocols.length) return false;
  return member.protocols.every((p, i) => {
    const q = input.protocols[i];
    return q !== undefined && q.name === p.name && Buffer.compare(Buffer.from(q.metadata), Buffer.from(p.metadata)) === 0;
  });
}
