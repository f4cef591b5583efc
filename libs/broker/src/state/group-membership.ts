/**
 * The coordinator's `GroupMembershipStore` over the log's durable
 * `OffsetStore`: group membership records live in the same CRC-checked,
 * compacted file as the committed offsets, as Kafka keeps both in
 * __consumer_offsets.
 */
import type { OffsetStore, StoredGroup } from '@lakestream/log';
import type { GroupMembershipStore, GroupSnapshot } from '../coordinator/types.js';

export class StoreGroupMembership implements GroupMembershipStore {
  constructor(readonly store: OffsetStore) {}

  save(group: GroupSnapshot): Promise<void> {
    const { groupId, ...rest } = group;
    return this.store.storeGroup({ group: groupId, ...rest });
  }

  load(): GroupSnapshot[] {
    return this.store.storedGroups().map(toSnapshot);
  }
}

function toSnapshot({ group, timestamp: _timestamp, ...rest }: StoredGroup): GroupSnapshot {
  return { groupId: group, ...rest };
}
