/** Graceful close: stop accepting, answer what was received (long polls at once), then close the sockets and the logs. */
import { connect } from 'node:net';
import { API_KEYS, encodeRecordBatch } from '@lakestream/protocol';
import { expect, it } from 'vitest';
import { RawClient } from './support/raw-client.js';
import { startTestBroker } from './support/broker.js';

it('answers in-flight requests, cuts long polls short, then refuses connections', async () => {
  const t = await startTestBroker();
  const port = t.broker.address.port;
  const c = await RawClient.connect(port);
  await c.request(API_KEYS.Metadata, 5, { topics: ['bye'], allowAutoTopicCreation: true });
  const poll = c.send(API_KEYS.Fetch, 11, {
    replicaId: -1, maxWaitMs: 30_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, rackId: '', forgottenTopicsData: [],
    topics: [{ topic: 'bye', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1024 }] }],
  });
  const produce = c.send(API_KEYS.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'bye', partitionData: [{ index: 1, records: encodeRecordBatch({ records: [{ value: new Uint8Array([1]) }] }) }] }] });
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  const closing = t.cleanup();
  const first = await c.nextFrame(10_000);
  const second = await c.nextFrame(10_000);
  expect([first?.readInt32BE(0), second?.readInt32BE(0)]).toEqual([poll, produce]);
  await c.whenClosed;
  await closing;
  expect(Date.now() - started).toBeLessThan(5_000);
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
  expect(refused).toBe(true);
});
