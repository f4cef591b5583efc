/**
 * A keyed workload for produce/consume round trips: message i has key
 * `k<i mod keys>` and value `<key>#<n>` where n counts that key's messages,
 * padded to `valueBytes`. Consumed values per key must come back as
 * 0, 1, 2, … exactly: nothing lost, duplicated or reordered within a key.
 */
import { CompressionTypes, Partitioners, type Consumer, type ConsumerConfig, type Kafka } from 'kafkajs';

export interface Workload {
  readonly topic: string;
  readonly messages: number;
  readonly keys: number;
  readonly valueBytes: number;
}

/** Idempotent, acks=all, gzip, `chunk` messages per send, one send at a time. */
export async function produceWorkload(kafka: Kafka, w: Workload, chunk = 1000): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const counts = new Array<number>(w.keys).fill(0);
    for (let start = 0; start < w.messages; start += chunk) {
      const messages = [];
      for (let i = start; i < Math.min(w.messages, start + chunk); i++) {
        const k = i % w.keys;
        const key = `k${k}`;
        messages.push({ key, value: `${key}#${counts[k]}`.padEnd(w.valueBytes, '.') });
        counts[k] = (counts[k] as number) + 1;
      }
      await producer.send({ topic: w.topic, acks: -1, compression: CompressionTypes.GZIP, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Consumes in group `groupId` until `w.messages` arrived; returns the per-key sequence numbers in arrival order. */
export async function consumeWorkload(
  kafka: Kafka,
  w: Workload,
  groupId: string,
  timeoutMs: number,
  config: Partial<ConsumerConfig> = {},
): Promise<Map<string, number[]>> {
  const consumer: Consumer = kafka.consumer({
    maxWaitTimeInMs: 500,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    maxBytesPerPartition: 4 * 1024 * 1024,
    ...config,
    groupId,
  });
  const byKey = new Map<string, number[]>();
  let total = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: w.topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${total} of ${w.messages} in ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const key = m.key?.toString() ?? '';
            const value = m.value?.toString() ?? '';
            const seq = Number(value.slice(value.indexOf('#') + 1).replace(/\.+$/, ''));
            let list = byKey.get(key);
            if (!list) byKey.set(key, (list = []));
            list.push(seq);
            total++;
          }
          if (total >= w.messages) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return byKey;
}

/** The per-key sequences a correct round trip yields. */
export function expectedSequences(w: Workload): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let k = 0; k < Math.min(w.keys, w.messages); k++) {
    const count = Math.floor(w.messages / w.keys) + (k < w.messages % w.keys ? 1 : 0);
    out.set(`k${k}`, Array.from({ length: count }, (_, i) => i));
  }
  return out;
}
