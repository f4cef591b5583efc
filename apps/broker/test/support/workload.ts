/**
 * Keyed workload for round trips through a broker process: message i has
 * key `k<i mod keys>` and value `<key>#<n>` (n counts that key's messages),
 * padded to `valueBytes`. A correct round trip gives back 0, 1, 2, … per key.
 */
import { CompressionTypes, Partitioners, type Kafka } from 'kafkajs';

export interface Workload {
  readonly topic: string;
  readonly messages: number;
  readonly keys: number;
  readonly valueBytes: number;
}

/** Idempotent, acks=all, gzip, `chunk` messages per send, one send at a time. */
export async function produceWorkload(kafka: Kafka, w: Workload, chunk: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const counts = new Array<number>(w.keys).fill(0);
    for (let start = 0; start < w.messages; start += chunk) {
      const messages = [];
      for (let i = start; i < Math.min(w.messages, start + chunk); i++) {
        const k = i % w.keys;
        messages.push({ key: `k${k}`, value: `k${k}#${counts[k]}`.padEnd(w.valueBytes, '.') });
        counts[k] = (counts[k] as number) + 1;
      }
      await producer.send({ topic: w.topic, acks: -1, compression: CompressionTypes.GZIP, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Reads `count` messages in group `groupId`; returns each key's sequence numbers in arrival order. */
export async function consumeKeyed(kafka: Kafka, topic: string, groupId: string, count: number, timeoutMs: number): Promise<Map<string, number[]>> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, maxBytesPerPartition: 4 * 1024 * 1024 });
  const byKey = new Map<string, number[]>();
  let total = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${total} of ${count} in ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const value = m.value?.toString() ?? '';
            const hash = value.indexOf('#');
            const key = value.slice(0, hash);
            let list = byKey.get(key);
            if (!list) byKey.set(key, (list = []));
            list.push(parseInt(value.slice(hash + 1), 10));
          }
          total += batch.messages.length;
          if (total >= count) {
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

export function expectedSequences(w: Workload): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let k = 0; k < Math.min(w.keys, w.messages); k++) {
    const count = Math.floor(w.messages / w.keys) + (k < w.messages % w.keys ? 1 : 0);
    out.set(`k${k}`, Array.from({ length: count }, (_, i) => i));
  }
  return out;
}
