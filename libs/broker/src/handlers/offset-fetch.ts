/**
 * OffsetFetch (v0–v7): committed offsets from the durable store (-1 and
 * empty metadata where nothing was committed, as Kafka answers). A null
 * topic list (v2+) means every partition the group committed.
 */
import { ERROR_CODES, type API_KEYS, type OffsetFetchPartition } from '@lakestream/protocol';
import type { Handler } from './context.js';
import type { StoredOffset } from '../state/committed-offsets.js';

export const handleOffsetFetch: Handler<typeof API_KEYS.OffsetFetch> = (ctx, { body }) => {
  const toPartition = (partitionIndex: number, o: StoredOffset | undefined): OffsetFetchPartition => ({
    partitionIndex,
    committedOffset: o?.offset ?? -1n,
    committedLeaderEpoch: o?.leaderEpoch ?? -1,
    metadata: o ? (o.metadata ?? '') : '',
    errorCode: ERROR_CODES.NONE,
  });
  if (body.topics === null) {
    const byTopic = new Map<string, OffsetFetchPartition[]>();
    for (const o of ctx.offsets.list(body.groupId)) {
      let partitions = byTopic.get(o.topic);
      if (!partitions) byTopic.set(o.topic, (partitions = []));
      partitions.push(toPartition(o.partition, o));
    }
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
  }
  return {
    throttleTimeMs: 0,
    errorCode: ERROR_CODES.NONE,
    topics: body.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((i) => toPartition(i, ctx.offsets.get(body.groupId, t.name, i))),
    })),
  };
};
