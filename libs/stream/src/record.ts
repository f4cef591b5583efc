/** One Kafka record as the engine hands it to a processor. */
export interface SourceRecord {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset. */
  readonly offset: bigint;
  /** Kafka timestamp, epoch milliseconds. */
  readonly timestamp: bigint;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Key + value bytes (what the byte cap counts). */
  readonly size: number;
}

/** A topic partition, and its string form `topic/partition` used as a map key. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export const tpKey = (topic: string, partition: number): string => `${topic}/${partition}`;
