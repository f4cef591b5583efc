import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatConsume, kcatProduce } from './kcat.js';
import { startMockCluster, type MockCluster } from './mock-cluster.js';
import { requireTool } from './tools.js';

const hasKcat = requireTool('kcat', ['-V']);

/** DLQ-style headers (the consumer's reason headers) read back with the record bytes. */
describe.skipIf(!hasKcat)('kcatConsume({ headers: true })', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster();
  });
  afterAll(() => cluster?.stop());

  it('returns each record with its headers, values with commas, equals signs and quotes intact, bytes exact', async () => {
    const binary = Buffer.from([0, 10, 13, 0xff, 0x40, 0x22, 0x5c]);
    const dlq = (code: string, offset: number) => ({
      'lakestream.reason.code': code,
      'lakestream.reason': `speed out of [0, 400]: observed="512", a=b`,
      'lakestream.source.topic': 'f1-telemetry',
      'lakestream.source.partition': '2',
      'lakestream.source.offset': String(offset),
    });
    await kcatProduce({
      bootstrap: cluster.directBootstrap,
      topic: 'dlq',
      messages: [
        { key: 'k1', value: binary, partition: 0, headers: dlq('TRUNCATED', 7) },
        { key: 'k1', value: Buffer.from('second'), partition: 0, headers: dlq('EXPECTATION_FAILED', 8) },
        { key: null, value: Buffer.from('no headers'), partition: 1 },
      ],
    });
    const records = await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'dlq', headers: true });
    const byValue = new Map(records.map((r) => [r.value?.toString('hex'), r]));
    expect(records).toHaveLength(3);
    expect(byValue.get(binary.toString('hex'))?.headers).toEqual(dlq('TRUNCATED', 7));
    expect(byValue.get(Buffer.from('second').toString('hex'))?.headers).toEqual(dlq('EXPECTATION_FAILED', 8));
    expect(byValue.get(Buffer.from('no headers').toString('hex'))?.headers).toEqual({});
    // Without the option the second pass is not run and no headers are attached.
    const plain = await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'dlq' });
    expect(plain.every((r) => r.headers === undefined)).toBe(true);
  });
});
