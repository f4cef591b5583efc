/** Kafka error names the coordinator answers with; the request handlers map them to wire codes. */
export type GroupErrorName =
  | 'NONE'
  | 'UNKNOWN_MEMBER_ID'
  | 'ILLEGAL_GENERATION'
  | 'REBALANCE_IN_PROGRESS'
  | 'INCONSISTENT_GROUP_PROTOCOL'
  | 'INVALID_SESSION_TIMEOUT'
  | 'INVALID_GROUP_ID'
  | 'GROUP_ID_NOT_FOUND'
  | 'NON_EMPTY_GROUP'
  | 'COORDINATOR_NOT_AVAILABLE';

/** Kafka's group states, spelled as DescribeGroups reports them. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface ProtocolOffer {
  readonly name: string;
  readonly metadata: Uint8Array;
}

export interface JoinGroupInput {
  readonly groupId: string;
  /** Empty on a member's first join: the coordinator assigns one. */
  readonly memberId: string;
  readonly groupInstanceId?: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  /** v0 clients have no rebalance timeout; Kafka uses the session timeout then. */
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly ProtocolOffer[];
}

export interface JoinGroupOutput {
  readonly error: GroupErrorName;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  /** Only the leader gets the members and their metadata, to compute the assignment. */
  readonly members: readonly { memberId: string; groupInstanceId: string | null; metadata: Uint8Array }[];
}

export interface SyncGroupInput {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  /** Non-empty only from the leader. */
  readonly assignments: readonly { memberId: string; assignment: Uint8Array }[];
}

export interface SyncGroupOutput {
  readonly error: GroupErrorName;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Uint8Array;
}

export interface MemberDescription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly metadata: Uint8Array;
  readonly assignment: Uint8Array;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly error: GroupErrorName;
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly members: readonly MemberDescription[];
}

/** Where committed offsets live (the log lib's offset store); the coordinator only decides who may commit. */
export interface CommittedOffsets {
  commit(groupId: string, topic: string, partition: number, offset: bigint, metadata: string | null): Promise<void> | void;
  get(groupId: string, topic: string, partition: number): { offset: bigint; metadata: string | null } | undefined;
  /** Every (topic, partition) the group has committed. */
  list(groupId: string): readonly { topic: string; partition: number; offset: bigint; metadata: string | null }[];
}

/** A member as a group's stored membership holds it. */
export interface MemberSnapshot {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocols: readonly ProtocolOffer[];
  readonly assignment: Uint8Array;
}

/** A group as of its last completed rebalance (no members: it became Empty), as Kafka's group metadata record holds it. */
export interface GroupSnapshot {
  readonly groupId: string;
  readonly generationId: number;
  readonly protocolType: string;
  readonly protocolName: string;
  readonly leaderId: string;
  readonly members: readonly MemberSnapshot[];
}

/**
 * Where group membership survives a restart (the log lib's offset store,
 * like Kafka's __consumer_offsets): the coordinator saves a group when a
 * rebalance completes and when its last member leaves, and loads them all
 * when it is created.
 */
export interface GroupMembershipStore {
  save(group: GroupSnapshot): Promise<void>;
  load(): readonly GroupSnapshot[];
}
