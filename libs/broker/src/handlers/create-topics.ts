/**
 * CreateTopics (v0–v4): num_partitions -1 takes the broker default; the
 * replication factor must be -1 or 1 (one node); a manual assignment must
 * put every partition on this node; topic configs use Kafka's names
 * (retention.ms, segment.bytes, …; names the log has no use for are
 * accepted and ignored, except cleanup.policy=compact, which is refused).
 * validate_only checks everything and creates nothing.
 */
import { checkTopicName, fromKafkaTopicConfig, type LogConfig } from '@lakestream/log';
import { ERROR_CODES, type API_KEYS, type CreatableTopic, type CreatableTopicResult } from '@lakestream/protocol';
import type { Handler, HandlerContext } from './context.js';
import { logFailureCode } from './error-codes.js';

/** The log's own ceiling per topic. */
const MAX_PARTITIONS = 10_000;

type Plan = { readonly ok: true; readonly partitions: number; readonly config: Partial<LogConfig> } | { readonly ok: false; readonly errorCode: number; readonly message: string };

export const handleCreateTopics: Handler<typeof API_KEYS.CreateTopics> = async (ctx, { body }) => {
  const counts = new Map<string, number>();
  for (const t of body.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const topics: CreatableTopicResult[] = [];
  for (const topic of body.topics) {
    if ((counts.get(topic.name) ?? 0) > 1) {
      topics.push({ name: topic.name, errorCode: ERROR_CODES.INVALID_REQUEST, errorMessage: `topic ${topic.name} appears more than once in the request` });
      continue;
    }
    topics.push(await createOne(ctx, topic, body.validateOnly));
  }
  return { throttleTimeMs: 0, topics };
};

async function createOne(ctx: HandlerContext, topic: CreatableTopic, validateOnly: boolean): Promise<CreatableTopicResult> {
  const fail = (errorCode: number, errorMessage: string): CreatableTopicResult => ({ name: topic.name, errorCode, errorMessage });
  const plan = planTopic(ctx, topic);
  if (!plan.ok) return fail(plan.errorCode, plan.message);
  if (ctx.logs.describeTopic(topic.name)) return fail(ERROR_CODES.TOPIC_ALREADY_EXISTS, `Topic '${topic.name}' already exists.`);
  if (validateOnly) return { name: topic.name, errorCode: ERROR_CODES.NONE, errorMessage: null };
  try {
    const created = await ctx.logs.createTopic(topic.name, { partitions: plan.partitions, config: plan.config });
    return created.ok ? { name: topic.name, errorCode: ERROR_CODES.NONE, errorMessage: null } : fail(ERROR_CODES[created.code], created.message);
  } catch (e) {
    return fail(logFailureCode(ctx, e), e instanceof Error ? e.message : String(e));
  }
}

function planTopic(ctx: HandlerContext, topic: CreatableTopic): Plan {
  const invalid = (errorCode: number, message: string): Plan => ({ ok: false, errorCode, message });
  const badName = checkTopicName(topic.name);
  if (badName !== undefined) return invalid(ERROR_CODES.INVALID_TOPIC_EXCEPTION, badName);
  let partitions = topic.numPartitions === -1 ? ctx.defaultPartitions : topic.numPartitions;
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      return invalid(ERROR_CODES.INVALID_REQUEST, 'both a replica assignment and num_partitions/replication_factor were given');
    }
    const sorted = topic.assignments.map((a) => a.partitionIndex).sort((a, b) => a - b);
    if (sorted.some((p, i) => p !== i)) return invalid(ERROR_CODES.INVALID_REPLICA_ASSIGNMENT, 'partitions in the assignment must be 0..n-1');
    if (topic.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== ctx.node.nodeId)) {
      return invalid(ERROR_CODES.INVALID_REPLICA_ASSIGNMENT, `every partition must be assigned to broker ${ctx.node.nodeId} alone (single node)`);
    }
    partitions = topic.assignments.length;
  } else if (topic.replicationFactor !== -1 && topic.replicationFactor !== 1) {
    return invalid(ERROR_CODES.INVALID_REPLICATION_FACTOR, `Replication factor: ${topic.replicationFactor} larger than available brokers: 1.`);
  }
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    return invalid(ERROR_CODES.INVALID_PARTITIONS, `Number of partitions must be in [1, ${MAX_PARTITIONS}], got ${topic.numPartitions}.`);
  }
  const entries: Record<string, string | null> = {};
  for (const c of topic.configs) entries[c.name] = c.value;
  if (entries['cleanup.policy'] !== undefined && entries['cleanup.policy'] !== null && entries['cleanup.policy'] !== 'delete') {
    return invalid(ERROR_CODES.INVALID_CONFIG, `cleanup.policy=${entries['cleanup.policy']} is not supported (only delete; no log compaction)`);
  }
  const config = fromKafkaTopicConfig(entries);
  if (!config.ok) return invalid(ERROR_CODES.INVALID_CONFIG, config.message);
  return { ok: true, partitions, config: config.config };
}
