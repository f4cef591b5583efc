/** An in-process embedded broker, a toy processor and table helpers for the engine's tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Int32, Int64, Schema, Utf8, tableFromArrays, type Table } from 'apache-arrow';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Broker } from '@lakestream/broker';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import type { BatchInput, BatchOutput, Processor, StreamTable } from '../src/index.js';

export const ROW_SCHEMA = new Schema([new Field('partition', new Int32(), false), new Field('offset', new Int64(), false), new Field('value', new Utf8(), true)]);

export interface Env {
  readonly broker: Broker;
  readonly kafka: Kafka;
  readonly dir: string;
  cleanup(): Promise<void>;
}

export async function startEnv(): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'lakestream-stream-'));
  const broker = await Broker.start({ port: 0, dir: join(dir, 'broker'), groupMinSessionTimeoutMs: 1000, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  const kafka = new Kafka({ clientId: 'stream-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
  return {
    broker, kafka, dir,
    cleanup: async () => {
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Creates `topic` and writes `perPartition` messages `p:i` to each partition. */
export async function produce(kafka: Kafka, topic: string, partitions: number, perPartition: number, from = 0): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] }).catch(() => undefined);
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let p = 0; p < partitions; p++) {
    const messages = Array.from({ length: perPartition }, (_, i) => ({ partition: p, value: `${p}:${from + i}` }));
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500) });
  }
  await producer.disconnect();
}

export async function openTable(dir: string, name: string): Promise<DeltaTable> {
  const store = new LocalFileStore(join(dir, name));
  return DeltaTable.open(store).catch(() => DeltaTable.create(store, { schema: ROW_SCHEMA }));
}

export function target(name: string, table: DeltaTable): StreamTable {
  return { name, table, schema: ROW_SCHEMA };
}

/** One row per record a table still needs: partition, offset and the value text. */
export function rowsFor(input: BatchInput, table: string): Table {
  const records = input.records.filter((r) => input.needs(table, r));
  return tableFromArrays({
    partition: Int32Array.from(records.map((r) => r.partition)),
    offset: BigInt64Array.from(records.map((r) => r.offset)),
    value: records.map((r) => (r.value === null ? null : Buffer.from(r.value).toString())),
  });
}

/** Writes every needed record to each named table. */
export function copyProcessor(names: readonly string[], hooks: { onBatch?: (input: BatchInput) => void } = {}): Processor {
  return {
    async process(input): Promise<BatchOutput> {
      hooks.onBatch?.(input);
      return { tables: new Map(names.map((n) => [n, rowsFor(input, n)])) };
    },
  };
}

/** (partition, offset) pairs of a table, as `p:o` strings, sorted. */
export async function keysOf(table: DeltaTable): Promise<string[]> {
  const t = await table.read();
  const p = t.getChild('partition')?.toArray() as Int32Array;
  const o = t.getChild('offset')?.toArray() as BigInt64Array;
  return Array.from({ length: t.numRows }, (_, i) => `${p[i]}:${o[i]}`).sort();
}

export function expectedKeys(partitions: number, perPartition: number): string[] {
  const out: string[] = [];
  for (let p = 0; p < partitions; p++) for (let i = 0; i < perPartition; i++) out.push(`${p}:${i}`);
  return out.sort();
}
