/**
 * Metadata: this broker as the only broker, controller and leader of every
 * partition. Topics asked for by name are auto-created when both the broker
 * (auto.create.topics.enable) and the request (v4+ allowAutoTopicCreation)
 * allow it; a null topic list means every topic.
 */
import type { API_KEYS, MetadataTopic } from '@lakestream/protocol';
import { ERROR_CODES } from '@lakestream/protocol';
import type { TopicDescription } from '@lakestream/log';
import type { Handler, HandlerContext } from './context.js';
import { lookupTopic } from './topics.js';

export const handleMetadata: Handler<typeof API_KEYS.Metadata> = async (ctx, { body }) => {
  const topics: MetadataTopic[] = [];
  if (body.topics === null) {
    for (const t of ctx.logs.listTopics()) topics.push(describe(ctx, t));
  } else {
    for (const name of new Set(body.topics)) {
      const found = await lookupTopic(ctx, name, body.allowAutoTopicCreation);
      topics.push(found.ok ? describe(ctx, found.topic) : { errorCode: found.errorCode, name, isInternal: false, partitions: [] });
    }
  }
  const { nodeId, host, port } = ctx.node;
  return { throttleTimeMs: 0, brokers: [{ nodeId, host, port, rack: null }], clusterId: ctx.clusterId, controllerId: nodeId, topics };
};

function describe(ctx: HandlerContext, topic: TopicDescription): MetadataTopic {
  const nodeId = ctx.node.nodeId;
  return {
    errorCode: ERROR_CODES.NONE,
    name: topic.name,
    isInternal: false,
    partitions: Array.from({ length: topic.partitions }, (_, partitionIndex) => ({
      errorCode: ERROR_CODES.NONE,
      partitionIndex,
      leaderId: nodeId,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
  };
}
