/** ListOffsets by timestamp over a raw connection, and what kcat (librdkafka) reads back: each record's offset and timestamp. */
import { API_KEYS } from '@lakestream/protocol';
import { expect } from 'vitest';
import { kcat } from './kcat.js';
import type { RawClient } from './raw-client.js';

/** ListOffsets v1 for one partition: the first record at or after `timestamp` (-1 latest, -2 earliest); { -1, -1 } when there is none. */
export async function listOffset(client: RawClient, topic: string, timestamp: number, partition = 0): Promise<{ offset: number; timestamp: number }> {
  const { body } = await client.request(API_KEYS.ListOffsets, 1, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: BigInt(timestamp), maxNumOffsets: 1 }] }],
  });
  const p = body.topics[0]?.partitions[0];
  expect(p?.errorCode).toBe(0);
  return { offset: Number(p?.offset), timestamp: Number(p?.timestamp) };
}

/** Every record of partition 0 as kcat consumes it (`%o %T`): its offset and timestamp, in order. */
export async function kcatOffsetsAndTimes(bootstrap: string, topic: string): Promise<{ offset: number; timestamp: number }[]> {
  const c = await kcat(['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %T\\n']);
  expect(c.code, c.stderr).toBe(0);
  return c.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number))
    .map(([offset = -1, timestamp = -1]) => ({ offset, timestamp }));
}
