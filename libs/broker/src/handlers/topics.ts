/**
 * Topic lookup with Kafka's auto.create.topics.enable: Metadata (when the
 * client allows it) and Produce create a missing topic with the default
 * partition count. Concurrent creators of one name all see it exist.
 */
import { checkTopicName, type TopicDescription } from '@lakestream/log';
import { ERROR_CODES } from '@lakestream/protocol';
import type { HandlerContext } from './context.js';
import { logFailureCode } from './error-codes.js';

export type TopicLookup = { readonly ok: true; readonly topic: TopicDescription } | { readonly ok: false; readonly errorCode: number };

export async function lookupTopic(ctx: HandlerContext, name: string, allowCreate: boolean): Promise<TopicLookup> {
  const existing = ctx.logs.describeTopic(name);
  if (existing) return { ok: true, topic: existing };
  if (checkTopicName(name) !== undefined) return { ok: false, errorCode: ERROR_CODES.INVALID_TOPIC_EXCEPTION };
  if (!allowCreate || !ctx.autoCreateTopics) return { ok: false, errorCode: ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION };
  let created;
  try {
    created = await ctx.logs.createTopic(name, { partitions: ctx.defaultPartitions });
  } catch (e) {
    return { ok: false, errorCode: logFailureCode(ctx, e) };
  }
  if (created.ok) return { ok: true, topic: created.topic };
  const raced = ctx.logs.describeTopic(name);
  if (raced) return { ok: true, topic: raced };
  return { ok: false, errorCode: ERROR_CODES[created.code] };
}
