import { kcatConsume, requireTool, startMockCluster, type MockCluster } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerUnreachableError } from './errors.js';
import { publishAcked } from './topic-writer.js';

const hasKcat = requireTool('kcat', ['-V']);

describe.skipIf(!hasKcat)('publishAcked against the kcat mock cluster', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster();
  });
  afterAll(() => cluster?.stop());

  it('ensures the topic (the mock has no CreateTopics: unsupported, auto-created on produce) and resolves with the acks of every record', async () => {
    const topic = 'ctx-topic';
    const records = [
      { key: 's1', value: '{"a":1}' },
      { key: 's2', value: new Uint8Array([0, 1, 255]) },
    ];
    const result = await publishAcked({ brokers: [cluster.bootstrap], clientId: 't', topic }, records, { configEntries: { 'cleanup.policy': 'compact' } });
    // librdkafka 2.0's mock answers CreateTopics with an unsupported version; a real broker says created / existed.
    expect(['created', 'existed', 'unsupported']).toContain(result.topic);
    if (result.topic === 'unsupported') expect(result.detail).toBeTruthy();
    expect(result.acks.length).toBeGreaterThan(0);
    const back = await kcatConsume({ bootstrap: cluster.directBootstrap, topic, count: 2 });
    expect(back.map((r) => [r.key?.toString(), r.value])).toEqual(
      expect.arrayContaining([
        ['s1', Buffer.from('{"a":1}')],
        ['s2', Buffer.from([0, 1, 255])],
      ]),
    );
  });

  it('names the address when nothing answers', async () => {
    await expect(publishAcked({ brokers: ['127.0.0.1:1'], clientId: 't', topic: 'x', connectTimeoutMs: 2_000 }, [{ key: null, value: 'v' }], {})).rejects.toBeInstanceOf(BrokerUnreachableError);
  }, 20_000);
});
