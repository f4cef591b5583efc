import type { GroupSnapshot, GroupState, JoinGroupInput, JoinGroupOutput, ProtocolOffer, SyncGroupOutput } from './types.js';

/** A member as the coordinator tracks it between requests. */
export interface Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: readonly ProtocolOffer[];
  assignment: Uint8Array;
  /** Deadline (ms, coordinator clock) after which the member is evicted unless it heartbeats. */
  sessionDeadline: number;
  /** Set while the member waits in JoinGroup for the rebalance to complete. */
  pendingJoin: ((out: JoinGroupOutput) => void) | undefined;
  /** Set while the member waits in SyncGroup for the leader's assignment. */
  pendingSync: ((out: SyncGroupOutput) => void) | undefined;
}

/**
 * One consumer group: members, generation and the rebalance state machine
 * Empty → PreparingRebalance → CompletingRebalance → Stable (and back to
 * PreparingRebalance on any join, leave or eviction).
 */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leaderId = '';
  readonly members = new Map<string, Member>();
  /** When the current join phase gives up on members that have not rejoined. */
  rebalanceDeadline = 0;
  /** The initial-rebalance delay: a join phase into an empty group does not complete before this. */
  joinNotBefore = 0;

  constructor(readonly groupId: string) {}

  /**
   * A group as stored (after a restart): Stable with its members, or Empty,
   * as Kafka loads it; each member's session starts again from `now`, so
   * members that do not come back expire after their session timeout.
   */
  static restore(snapshot: GroupSnapshot, now: number): Group {
    const group = new Group(snapshot.groupId);
    group.generationId = snapshot.generationId;
    group.protocolType = snapshot.protocolType;
    for (const m of snapshot.members) {
      group.members.set(m.memberId, {
        ...m,
        protocolType: snapshot.protocolType,
        sessionDeadline: now + m.sessionTimeoutMs,
        pendingJoin: undefined,
        pendingSync: undefined,
      });
    }
    if (group.members.size > 0) {
      group.state = 'Stable';
      group.protocolName = snapshot.protocolName;
      group.leaderId = group.members.has(snapshot.leaderId) ? snapshot.leaderId : (group.members.keys().next().value ?? '');
    }
    return group;
  }

  snapshot(): GroupSnapshot {
    return {
      groupId: this.groupId,
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      leaderId: this.leaderId,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.protocols,
        assignment: m.assignment,
      })),
    };
  }

  addMember(input: JoinGroupInput, memberId: string, now: number): Member {
    const member: Member = {
      memberId,
      groupInstanceId: input.groupInstanceId ?? null,
      clientId: input.clientId,
      clientHost: input.clientHost,
      sessionTimeoutMs: input.sessionTimeoutMs,
      rebalanceTimeoutMs: input.rebalanceTimeoutMs,
      protocolType: input.protocolType,
      protocols: input.protocols,
      assignment: new Uint8Array(0),
      sessionDeadline: now + input.sessionTimeoutMs,
      pendingJoin: undefined,
      pendingSync: undefined,
    };
    this.members.set(memberId, member);
    if (!this.leaderId) this.leaderId = memberId;
    return member;
  }

  removeMember(memberId: string): void {
    const member = this.members.get(memberId);
    if (!member) return;
    this.members.delete(memberId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? '';
  }

  /** Does a joining member's protocol set overlap what the group speaks? */
  supports(protocolType: string, protocols: readonly ProtocolOffer[]): boolean {
    if (this.members.size === 0) return protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const names = new Set(protocols.map((p) => p.name));
    return this.candidateProtocols().some((p) => names.has(p));
  }

  /** Protocols every member supports, in the first member's order of preference. */
  candidateProtocols(): string[] {
    const members = [...this.members.values()];
    const first = members[0];
    if (!first) return [];
    return first.protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
  }

  /** Kafka's vote: each member votes for its most preferred candidate; the most votes win. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (choice) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = candidates[0] ?? '';
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  allJoined(): boolean {
    for (const m of this.members.values()) if (!m.pendingJoin) return false;
    return this.members.size > 0;
  }
}
