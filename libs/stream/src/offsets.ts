/**
 * The engine's pure offset decisions, property-tested without a broker:
 * which records a table still needs, where a partition resumes, and what a
 * table's commit asserts and records. A table's stored offset for a
 * partition is the `version` of its Delta txn `<app-id>-<topic>-<partition>`:
 * the last offset it holds (kafka-delta-ingest's scheme); -1 when it has none.
 */
import { tpKey, type SourceRecord, type TopicPartition } from './record.js';

/** No offset stored yet. */
export const NONE = -1;

/** The Delta txn appId of one Kafka partition of one app. */
export function txnAppId(appId: string, topic: string, partition: number): string {
  return `${appId}-${topic}-${partition}`;
}

/** A table's stored offsets: `tpKey` → last offset it holds (absent = NONE). */
export type StoredOffsets = ReadonlyMap<string, number>;

/** Reads a table's stored offsets for `partitions` from its snapshot's txn map. */
export function storedOffsets(
  appTransactions: ReadonlyMap<string, { readonly version: number }>,
  appId: string,
  partitions: readonly TopicPartition[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const { topic, partition } of partitions) {
    const txn = appTransactions.get(txnAppId(appId, topic, partition));
    if (txn !== undefined) out.set(tpKey(topic, partition), txn.version);
  }
  return out;
}

export function storedOffset(stored: StoredOffsets, topic: string, partition: number): number {
  return stored.get(tpKey(topic, partition)) ?? NONE;
}

/** True when the table does not hold `record` yet: its offset is above the table's stored one. */
export function needs(stored: StoredOffsets, record: Pick<SourceRecord, 'topic' | 'partition' | 'offset'>): boolean {
  return record.offset > BigInt(storedOffset(stored, record.topic, record.partition));
}

/**
 * Where a partition resumes: one past the smallest stored offset among the
 * tables that read it (NONE counts, so a table that never wrote makes it
 * start at the beginning, or wherever `startingOffsets` says).
 */
export function resumeOffset(tables: readonly StoredOffsets[], topic: string, partition: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (const t of tables) min = Math.min(min, storedOffset(t, topic, partition));
  return (tables.length === 0 ? NONE : min) + 1;
}

/** True when no table has stored anything for the partition: the app id is new to it. */
export function isNewPartition(tables: readonly StoredOffsets[], topic: string, partition: number): boolean {
  return tables.every((t) => !t.has(tpKey(topic, partition)));
}

/** The offsets one micro-batch covers in one partition (inclusive). */
export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  readonly first: bigint;
  readonly last: bigint;
}

export interface TableCommitPlan {
  /** txn actions the commit records: the batch's last offset for every partition the table has not reached. */
  readonly txn: { appId: string; version: number }[];
  /** What the commit asserts the table holds now (compare-and-set; null = no txn yet). */
  readonly expectTxn: { appId: string; version: number | null }[];
  /** The table's stored offsets once the commit lands. */
  readonly after: Map<string, number>;
}

/**
 * What one table's commit of a batch carries. Partitions whose last offset
 * the table already holds are left out (a replay after a crash between two
 * tables' commits), so a commit never mixes recorded and new txns; the
 * others advance even when the table got no rows from them.
 */
export function planTableCommit(appId: string, stored: StoredOffsets, ranges: readonly PartitionRange[]): TableCommitPlan {
  const txn: { appId: string; version: number }[] = [];
  const expectTxn: { appId: string; version: number | null }[] = [];
  const after = new Map(stored);
  for (const r of ranges) {
    const current = storedOffset(stored, r.topic, r.partition);
    const last = Number(r.last);
    if (last <= current) continue;
    const id = txnAppId(appId, r.topic, r.partition);
    txn.push({ appId: id, version: last });
    expectTxn.push({ appId: id, version: current === NONE ? null : current });
    after.set(tpKey(r.topic, r.partition), last);
  }
  return { txn, expectTxn, after };
}
