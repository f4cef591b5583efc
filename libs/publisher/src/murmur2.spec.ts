import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { kcatConsume, requireTool, startMockCluster } from '@lakestream/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPartition, murmur2, murmur2Partitioner } from './murmur2.js';

// kafkajs's own murmur2 (a port of the Java client's), the reference the fast one must equal bit for bit.
const kafkajsMurmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;
const hasKcat = requireTool('kcat', ['-V']);

describe('murmur2', () => {
  it('equals kafkajs (the Java client port) for any key bytes and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('picks the partition kafkajs DefaultPartitioner picks, for text keys and any partition count', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 1_000 }), (key, partitions) => {
        const expected = (kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % partitions;
        expect(keyPartition(key, partitions)).toBe(expected);
        const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
        expect(murmur2Partitioner()({ topic: 't', partitionMetadata, message: { key: Buffer.from(key), value: null } })).toBe(expected);
      }),
    );
  });

  it('keeps an explicit partition and spreads keyless messages round-robin', () => {
    const partitionMetadata = Array.from({ length: 3 }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    const partitioner = murmur2Partitioner();
    expect(partitioner({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: 2 } })).toBe(2);
    const seen = new Set(Array.from({ length: 6 }, () => partitioner({ topic: 't', partitionMetadata, message: { value: null } })));
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it.skipIf(!hasKcat)('agrees with librdkafka (kcat, partitioner murmur2_random) on real partitions', async () => {
    const cluster = await startMockCluster({ fixController: false });
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `session-${i % 7}/${i}/${(i * 7919) % 1_000}`);
      const produced = spawnSync('kcat', ['-P', '-b', cluster.directBootstrap, '-t', 'murmur', '-K', '\t', '-X', 'topic.partitioner=murmur2_random'], {
        input: keys.map((k) => `${k}\tv`).join('\n') + '\n',
        timeout: 20_000,
      });
      expect(produced.status, produced.stderr.toString()).toBe(0);
      const records = await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'murmur', count: keys.length, timeoutMs: 20_000 });
      expect(records).toHaveLength(keys.length);
      const partitions = new Set(records.map((r) => r.partition));
      expect(partitions.size).toBeGreaterThan(1);
      for (const r of records) expect(r.partition, `key ${r.key?.toString()}`).toBe(keyPartition(r.key ?? new Uint8Array(), 4));
    } finally {
      await cluster.stop();
    }
  });
});
