/**
 * The coordinator's `CommittedOffsets` over the log's durable `OffsetStore`
 * (offsets are bigint on the wire and JS numbers in the store). `commitAll`
 * writes one OffsetCommit request as one record, so a request's offsets
 * survive a crash all together or not at all.
 */
import type { OffsetStore } from '@lakestream/log';
import type { CommittedOffsets } from '../coordinator/types.js';

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly metadata: string | null;
  readonly leaderEpoch?: number;
}

export interface StoredOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly metadata: string | null;
  readonly leaderEpoch: number;
}

export class StoreCommittedOffsets implements CommittedOffsets {
  constructor(readonly store: OffsetStore) {}

  commit(groupId: string, topic: string, partition: number, offset: bigint, metadata: string | null): Promise<void> {
    return this.commitAll(groupId, [{ topic, partition, offset, metadata }]);
  }

  commitAll(groupId: string, offsets: readonly OffsetToCommit[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    return this.store.commit(
      groupId,
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset), metadata: o.metadata, leaderEpoch: o.leaderEpoch ?? -1 })),
    );
  }

  get(groupId: string, topic: string, partition: number): StoredOffset | undefined {
    const o = this.store.fetch(groupId, topic, partition);
    return o ? toStored(o) : undefined;
  }

  list(groupId: string): StoredOffset[] {
    return this.store.fetchGroup(groupId).map(toStored);
  }

  /** Groups with committed offsets. */
  groups(): string[] {
    return this.store.groups();
  }

  deleteTopic(topic: string): Promise<void> {
    return this.store.deleteTopic(topic);
  }
}

function toStored(o: { topic: string; partition: number; offset: number; metadata: string | null; leaderEpoch: number }): StoredOffset {
  return { topic: o.topic, partition: o.partition, offset: BigInt(o.offset), metadata: o.metadata, leaderEpoch: o.leaderEpoch };
}
