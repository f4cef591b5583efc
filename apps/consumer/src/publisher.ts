/**
 * Dead letters and the enriched re-stream: an idempotent kafkajs producer
 * (acks=all, one request in flight per partition, retries without duplicates
 * within a producer session). Across a crash the engine may publish a batch's
 * messages again, so both topics are at least once, keyed for consumers to dedup.
 */
import { murmur2Partitioner } from '@lakestream/publisher';
import type { Kafka, Producer } from 'kafkajs';

/**
 * Messages per produce request. kafkajs groups a send's messages per partition
 * by copying the partition's list for every message (quadratic): 20,000 per send
 * spent more CPU there than on encoding; 1,000 keeps that small at one
 * local round trip per 1,000 messages.
 */
export const SEND_CHUNK = 1_000;
/**
 * Key + value bytes per produce request, below Kafka's default
 * message.max.bytes (1 MiB per partition's record batch) even if every message
 * of the request lands in one partition (re-stream frames are ~10 KB each).
 */
export const SEND_CHUNK_BYTES = 900 * 1024;

/** Consecutive slices of at most SEND_CHUNK messages and SEND_CHUNK_BYTES bytes (a larger message alone). */
export function sendChunks<T extends OutMessage>(messages: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = m.value.byteLength + (m.key?.byteLength ?? 0);
    if (chunk.length > 0 && (chunk.length >= SEND_CHUNK || bytes + size > SEND_CHUNK_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

export interface OutMessage {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Publisher {
  publish(topic: string, messages: readonly OutMessage[]): Promise<void>;
  close(): Promise<void>;
}

export async function startPublisher(kafka: Kafka): Promise<Publisher> {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  // One connection, shared by concurrent publishes (the DLQ and the re-stream go out together).
  const connect = (): Promise<Producer> =>
    (connecting ??= (async () => {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: murmur2Partitioner });
      producer = p;
      await p.connect();
      return p;
    })());
  return {
    async publish(topic, messages) {
      if (messages.length === 0) return;
      const p = await connect();
      for (const chunk of sendChunks(messages)) {
        await p.send({
          topic, acks: -1,
          messages: chunk.map((m) => ({
            key: m.key === null ? null : Buffer.from(m.key.buffer, m.key.byteOffset, m.key.byteLength),
            value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength),
            ...(m.headers === undefined ? {} : { headers: { ...m.headers } }),
          })),
        });
      }
    },
    async close() {
      await producer?.disconnect().catch(() => undefined);
    },
  };
}
