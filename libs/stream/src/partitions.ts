/**
 * What the engine knows about each assigned partition and each table's
 * stored offsets, and how a partition is (re)prepared: refresh the tables,
 * read their txns, decide where to resume (startingOffsets for a new app id),
 * and seek the consumer there.
 */
import type { Admin, Consumer } from 'kafkajs';
import { StreamError } from './errors.js';
import { isNewPartition, NONE, resumeOffset, storedOffset, storedOffsets } from './offsets.js';
import { tpKey, type TopicPartition } from './record.js';
import type { ResumePoint, StreamTable } from './types.js';

export interface PartitionState extends TopicPartition {
  status: 'pending' | 'ready';
  /** Next offset the fetch side accepts (records below it are already buffered or stored). */
  next: bigint;
  /** Last offset every table holds (NONE: none). */
  committed: number;
  highWatermark: bigint;
  /** Settles when the partition is ready (resolved) or could not be prepared (rejected). */
  ready: Promise<void>;
}

export class PartitionBook {
  readonly partitions = new Map<string, PartitionState>();
  /** Per table name: stored offsets (`tpKey` → last offset held). */
  readonly stored = new Map<string, Map<string, number>>();

  constructor(
    private readonly appId: string,
    private readonly tables: readonly StreamTable[],
    private readonly allTopics: readonly string[],
  ) {
    for (const t of tables) this.stored.set(t.name, new Map());
  }

  topicsOf(t: StreamTable): readonly string[] {
    return t.topics ?? this.allTopics;
  }

  /** Tables that record txns for `topic`. */
  tablesFor(topic: string): StreamTable[] {
    return this.tables.filter((t) => this.topicsOf(t).includes(topic));
  }

  get(topic: string, partition: number): PartitionState | undefined {
    return this.partitions.get(tpKey(topic, partition));
  }

  assigned(): PartitionState[] {
    return [...this.partitions.values()];
  }

  /** The last offset every table reading `topic` holds for the partition. */
  committedOffset(topic: string, partition: number): number {
    const tables = this.tablesFor(topic).map((t) => this.stored.get(t.name) ?? new Map<string, number>());
    return resumeOffset(tables, topic, partition) - 1;
  }

  /** Marks `tps` pending (their fetched records are no longer accepted) with the given preparation. */
  setPending(tps: readonly TopicPartition[], ready: Promise<void>): void {
    for (const tp of tps) {
      const key = tpKey(tp.topic, tp.partition);
      const previous = this.partitions.get(key);
      this.partitions.set(key, {
        topic: tp.topic, partition: tp.partition, status: 'pending', next: 0n, committed: NONE,
        highWatermark: previous?.highWatermark ?? -1n, ready,
      });
    }
  }

  remove(tps: readonly TopicPartition[]): void {
    for (const tp of tps) this.partitions.delete(tpKey(tp.topic, tp.partition));
  }

  /**
   * Reads every table's txns for `tps` (after a refresh) and decides where
   * each resumes. `watermarks` gives low/high per partition for new ones.
   */
  async resumePoints(
    tps: readonly TopicPartition[],
    startingOffsets: 'earliest' | 'latest',
    watermarks: (topic: string) => Promise<ReadonlyMap<number, { low: number; high: number }>>,
  ): Promise<ResumePoint[]> {
    const topics = new Set(tps.map((tp) => tp.topic));
    const relevant = this.tables.filter((t) => this.topicsOf(t).some((topic) => topics.has(topic)));
    await Promise.all(
      relevant.map(async (t) => {
        const snapshot = await t.table.refresh().catch((cause: unknown) => {
          throw new StreamError('COMMIT_FAILED', `cannot read the stored offsets of table ${t.name}`, { table: t.name }, { cause });
        });
        const mine = tps.filter((tp) => this.topicsOf(t).includes(tp.topic));
        const fresh = storedOffsets(snapshot.appTransactions, this.appId, mine);
        const stored = this.stored.get(t.name) as Map<string, number>;
        for (const tp of mine) {
          const key = tpKey(tp.topic, tp.partition);
          const v = fresh.get(key);
          if (v === undefined) stored.delete(key);
          else stored.set(key, v);
        }
      }),
    );
    const marks = new Map<string, ReadonlyMap<number, { low: number; high: number }>>();
    for (const topic of topics) marks.set(topic, await watermarks(topic));
    return tps.map((tp) => {
      const tables = this.tablesFor(tp.topic);
      const storedMaps = tables.map((t) => this.stored.get(t.name) as Map<string, number>);
      const isNew = isNewPartition(storedMaps, tp.topic, tp.partition);
      const mark = marks.get(tp.topic)?.get(tp.partition) ?? { low: 0, high: 0 };
      let offset = resumeOffset(storedMaps, tp.topic, tp.partition);
      if (isNew) offset = startingOffsets === 'latest' ? mark.high : mark.low;
      else if (offset < mark.low) offset = mark.low; // retention deleted what the tables still need: nothing else to read
      return {
        topic: tp.topic, partition: tp.partition, offset, isNew,
        tables: tables.map((t) => ({ name: t.name, stored: storedOffset(this.stored.get(t.name) as Map<string, number>, tp.topic, tp.partition) })),
      };
    });
  }

  /** Marks resumed partitions ready and seeks the consumer to each one's offset. */
  markReady(points: readonly ResumePoint[], consumer: Pick<Consumer, 'seek'>): void {
    for (const p of points) {
      const st = this.partitions.get(tpKey(p.topic, p.partition));
      if (st === undefined) continue; // revoked while preparing
      st.status = 'ready';
      st.next = BigInt(p.offset);
      st.committed = p.offset - 1;
      consumer.seek({ topic: p.topic, partition: p.partition, offset: String(p.offset) });
    }
  }
}

/** Low and high watermarks of every partition of `topic`. */
export async function topicWatermarks(admin: Admin, topic: string): Promise<Map<number, { low: number; high: number }>> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }]));
  } catch (cause) {
    throw new StreamError('KAFKA_ERROR', `cannot read the offsets of topic ${topic}`, { topic }, { cause });
  }
}
