/** kafkajs admin against the broker: topics, offsets and groups round trip. */
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, type TestBroker } from './support/broker.js';

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker({ defaultPartitions: 4 });
});
afterAll(() => t.cleanup());

describe('kafkajs admin', () => {
  it('creates, lists, describes and deletes topics with Kafka errors for the invalid ones', async () => {
    const admin = kafkaFor(t.broker.bootstrap).admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }, { topic: 'defaults' }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).toBe(false); // TOPIC_ALREADY_EXISTS
      expect(await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'dry-run' }] })).toBe(true);
      await expect(admin.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3 }] })).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
      });
      await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })] });
      expect((await admin.listTopics()).sort()).toEqual(['defaults', 'orders']);

      const meta = await admin.fetchTopicMetadata({ topics: ['orders', 'defaults'] });
      expect(meta.topics.map((x) => [x.name, x.partitions.length]).sort()).toEqual([
        ['defaults', 4],
        ['orders', 3],
      ]);
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: t.broker.address.port }]);
      expect(cluster.clusterId).toBe(t.broker.clusterId);

      await admin.deleteTopics({ topics: ['defaults'] });
      expect(await admin.listTopics()).toEqual(['orders']);
    } finally {
      await admin.disconnect();
    }
  });

  it('reports offsets (latest, earliest, by timestamp) and groups (describe, list, committed offsets)', async () => {
    const kafka = kafkaFor(t.broker.bootstrap);
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic: 'clicks', numPartitions: 2 }] });
      const base = Date.now() - 60_000;
      for (let i = 0; i < 10; i++) {
        await producer.send({ topic: 'clicks', messages: [{ partition: 0, value: `c${i}`, timestamp: String(base + i * 1000) }] });
      }
      expect(await admin.fetchTopicOffsets('clicks')).toEqual([
        { partition: 0, offset: '10', high: '10', low: '0' },
        { partition: 1, offset: '0', high: '0', low: '0' },
      ]);
      const byTime = await admin.fetchTopicOffsetsByTimestamp('clicks', base + 4500);
      expect(byTime.find((p) => p.partition === 0)?.offset).toBe('5');

      const consumer = kafka.consumer({ groupId: 'readers', sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'clicks', fromBeginning: true });
      let seen = 0;
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async () => {
            if (++seen === 10) resolve();
          },
        });
      });
      const described = await admin.describeGroups(['readers', 'nobody']);
      const readers = described.groups.find((g) => g.groupId === 'readers');
      expect(readers).toMatchObject({ state: 'Stable', protocolType: 'consumer' });
      expect(readers?.members).toHaveLength(1);
      expect(described.groups.find((g) => g.groupId === 'nobody')?.state).toBe('Dead');
      await consumer.disconnect(); // commits and leaves
      expect((await admin.listGroups()).groups).toContainEqual(expect.objectContaining({ groupId: 'readers', protocolType: 'consumer' }));

      const committed = await admin.fetchOffsets({ groupId: 'readers', topics: ['clicks'] });
      expect(committed[0]?.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset)).toEqual(['10', '-1']);
      expect((await admin.describeGroups(['readers'])).groups[0]?.state).toBe('Empty');
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });
});
