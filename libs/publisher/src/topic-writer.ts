/**
 * One-shot, acknowledged writes to a small control topic (the F1 session
 * context): create the topic if it is missing, with its config (e.g.
 * `cleanup.policy=compact`), send the records with acks=all, wait for the
 * acks, disconnect. Not for streams: use BatchingPublisher for those.
 */
import type { RecordMetadata } from 'kafkajs';
import { BrokerUnreachableError, type PublisherError } from './errors.js';
import { createKafkaClient, KafkaBatchSink } from './kafka-sink.js';
import { resolvePublisherOptions, type PublisherOptions } from './options.js';

export interface TopicRecord {
  readonly key: string | null;
  readonly value: string | Uint8Array;
}

export interface EnsureTopicOptions {
  /** Partitions when the topic is created; default: the broker's default. */
  readonly numPartitions?: number;
  /** Topic config when it is created, e.g. { 'cleanup.policy': 'compact' }. A broker may ignore entries it does not know. */
  readonly configEntries?: Readonly<Record<string, string>>;
}

export interface PublishAckedResult {
  /** created: this call created it; existed: it was there; unsupported: CreateTopics failed (detail says why), the produce auto-created it or it existed. */
  readonly topic: 'created' | 'existed' | 'unsupported';
  readonly detail?: string;
  readonly acks: readonly RecordMetadata[];
}

/**
 * Ensures `options.topic` exists (when `ensure` is given) and writes `records`
 * to it, resolving once the broker acknowledged them all (acks=all;
 * idempotent unless `options.idempotent` is false). Rejects with
 * BrokerUnreachableError, IdempotenceUnavailableError or PublishError.
 */
export async function publishAcked(options: PublisherOptions, records: readonly TopicRecord[], ensure?: EnsureTopicOptions): Promise<PublishAckedResult> {
  const resolved = resolvePublisherOptions(options);
  const kafka = createKafkaClient(resolved);
  let topic: PublishAckedResult['topic'] = 'existed';
  let detail: string | undefined;
  if (ensure) {
    const admin = kafka.admin({ retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 } });
    try {
      await withDeadline(admin.connect(), resolved.connectTimeoutMs, () => new BrokerUnreachableError(resolved.brokers, `no answer within ${resolved.connectTimeoutMs} ms`, { topic: resolved.topic })).catch((cause: unknown) => {
        throw cause instanceof BrokerUnreachableError ? cause : new BrokerUnreachableError(resolved.brokers, cause instanceof Error ? cause.message : String(cause), { cause, topic: resolved.topic });
      });
      const configEntries = Object.entries(ensure.configEntries ?? {}).map(([name, value]) => ({ name, value }));
      const created = await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: resolved.topic, ...(ensure.numPartitions === undefined ? {} : { numPartitions: ensure.numPartitions }), configEntries }],
      });
      topic = created ? 'created' : 'existed';
    } catch (cause) {
      if (cause instanceof BrokerUnreachableError) throw cause;
      // A server without CreateTopics (or refusing the config): the produce below auto-creates the topic.
      topic = 'unsupported';
      detail = cause instanceof Error ? cause.message : String(cause);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
  const sink = await KafkaBatchSink.open(kafka, resolved);
  try {
    const acks = await sink.send(
      records.map((r) => {
        const value = typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
        return { key: r.key, value, size: value.length + (r.key === null ? 0 : Buffer.byteLength(r.key)) };
      }),
    );
    return { topic, ...(detail === undefined ? {} : { detail }), acks };
  } finally {
    await sink.close();
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number, error: () => PublisherError): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
