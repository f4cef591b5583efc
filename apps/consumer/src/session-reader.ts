/**
 * Keeps the latest F1 session context from the compacted `f1-sessions`
 * topic (read from the beginning by a consumer of its own group, never
 * committing), and lets a batch wait — boundedly — until everything
 * published before it has been read: the producer acknowledges a session's
 * context before sending its events, so an event whose session is still
 * unknown after the wait is really unknown (UNKNOWN_SESSION).
 */
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { SessionDirectory } from '@lakestream/medallion';

export class SessionReader {
  readonly directory = new SessionDirectory();
  /** Next offset to read per partition. */
  private readonly position = new Map<number, bigint>();
  private invalid = 0;

  private constructor(
    private readonly topic: string,
    private readonly consumer: Consumer,
    private readonly admin: Admin,
    private readonly warn: (message: string) => void,
  ) {}

  static async start(kafka: Kafka, topic: string, appId: string, warn: (message: string) => void): Promise<SessionReader> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] }).catch(() => false);
    // A group of its own per process: every consumer reads every session, and nothing is committed.
    const consumer = kafka.consumer({ groupId: `${appId}.sessions.${process.pid}.${Date.now()}`, maxWaitTimeInMs: 100 });
    const reader = new SessionReader(topic, consumer, admin, warn);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const result = reader.directory.apply(message.key, message.value);
        if (!result.ok && reader.invalid++ < 10) warn(`ignored an invalid session record at ${topic}/${partition}@${message.offset}: ${result.error.message}`);
        reader.position.set(partition, BigInt(message.offset) + 1n);
      },
    });
    return reader;
  }

  /** Waits until every session record published before now has been read, or `timeoutMs` passed. */
  async catchUp(timeoutMs: number): Promise<boolean> {
    let ends: { partition: number; high: bigint }[];
    try {
      ends = (await this.admin.fetchTopicOffsets(this.topic)).map((o) => ({ partition: o.partition, high: BigInt(o.high) }));
    } catch (error) {
      this.warn(`cannot read the end of ${this.topic}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    const deadline = Date.now() + timeoutMs;
    while (!ends.every((e) => e.high === 0n || (this.position.get(e.partition) ?? 0n) >= e.high)) {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  async close(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
