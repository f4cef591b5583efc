/**
 * Transactions are not supported (issue 8, item 15): a transactional producer
 * must fail at once with an error its client treats as fatal, not wait out its
 * timeout on a retriable COORDINATOR_NOT_AVAILABLE. librdkafka (kcat's
 * init_transactions) gets the reason in its fatal error; kafkajs, which never
 * shows a broker's error message, fails with a non-retriable error; the
 * broker logs why, once per transactional id (still, after more than a
 * thousand other ids).
 */
import { API_KEYS, ERROR_CODES } from '@lakestream/protocol';
import { requireTool } from '@lakestream/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaFor, startTestBroker, type TestBroker } from './support/broker.js';
import { kcat } from './support/kcat.js';
import { RawClient } from './support/raw-client.js';

const hasKcat = requireTool('kcat', ['-V']);

let t: TestBroker;
beforeAll(async () => {
  t = await startTestBroker();
});
afterAll(() => t.cleanup());

const refusals = (id: string) => t.logs.lines.filter((l) => l.message.startsWith('transactions are not supported') && l.fields['transactionalId'] === id);

describe('at the wire', () => {
  it('FindCoordinator for a transaction and a transactional InitProducerId get TRANSACTIONAL_ID_AUTHORIZATION_FAILED, the first with the reason', async () => {
    const c = await RawClient.connect(t.broker.address.port);
    try {
      const find = await c.request(API_KEYS.FindCoordinator, 2, { key: 'wire-txn', keyType: 1 });
      expect(find.body).toMatchObject({ errorCode: ERROR_CODES.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, nodeId: -1 });
      expect(find.body.errorMessage).toMatch(/transactions are not supported.*use Apache Kafka/);
      const init = await c.request(API_KEYS.InitProducerId, 4, { transactionalId: 'wire-txn', transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 });
      expect(init.body).toMatchObject({ errorCode: ERROR_CODES.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: -1n });
      const group = await c.request(API_KEYS.FindCoordinator, 2, { key: 'a-group', keyType: 0 });
      expect(group.body).toMatchObject({ errorCode: 0, nodeId: 1 });
    } finally {
      c.close();
    }
    expect(refusals('wire-txn')).toHaveLength(1);
  });
});

describe.skipIf(!hasKcat)('librdkafka transactional producer', () => {
  it('kcat -X transactional.id: init_transactions fails fatally within a second, naming the reason', async () => {
    const started = Date.now();
    // transaction.timeout.ms bounds init_transactions: before the fix it timed out after this long with "retry call to resume".
    const r = await kcat(['-b', t.broker.bootstrap, '-P', '-t', 'txn-kcat', '-X', 'transactional.id=kcat-txn', '-X', 'transaction.timeout.ms=8000'], {
      input: 'one\n',
      timeoutMs: 20_000,
    });
    const elapsed = Date.now() - started;
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/retry call to resume/);
    expect(r.stderr).toMatch(/Fatal error: Broker: Transactional Id authorization failed/);
    expect(r.stderr).toMatch(/transactions are not supported by the lakestream embedded broker.*Apache Kafka/);
    expect(elapsed).toBeLessThan(4000);
    expect(refusals('kcat-txn')).toHaveLength(1);
  });
});

describe('kafkajs transactional producer', () => {
  it('transaction() fails fast with a non-retriable error; the broker logs the reason once', async () => {
    const kafka = kafkaFor(t.broker.bootstrap, { retry: { retries: 5, initialRetryTime: 300 } });
    const producer = kafka.producer({ transactionalId: 'kafkajs-txn', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = Date.now();
        const error: unknown = await producer.transaction().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(Date.now() - started).toBeLessThan(1500);
        expect(error).toBeInstanceOf(Error);
        // kafkajs swallows FindCoordinator's error (and its message) and reports this, non-retriable.
        expect((error as Error).name).toBe('KafkaJSGroupCoordinatorNotFound');
        expect((error as { retriable?: boolean }).retriable).toBe(false);
      }
      // Idempotent (non-transactional) producing on the same client still works.
      await producer.send({ topic: 'txn-kafkajs', messages: [{ value: 'ok' }] });
    } finally {
      await producer.disconnect();
    }
    expect(refusals('kafkajs-txn')).toHaveLength(1);
  });
});

describe('#15 the transactional refusal log line', () => {
  it('is still logged for a new transactional id after more than a thousand others (it went silent for good before)', async () => {
    const client = await RawClient.connect(t.broker.address.port);
    try {
      for (let i = 0; i < 1005; i++) client.send(API_KEYS.FindCoordinator, 2, { key: `many-txn-${i}`, keyType: 1 });
      for (let i = 0; i < 1005; i++) expect(await client.nextFrame()).toBeDefined();
    } finally {
      client.close();
    }
    const logged = new Set(t.logs.lines.filter((l) => l.message.startsWith('transactions are not supported')).map((l) => String(l.fields['transactionalId'])));
    expect(logged.has('many-txn-0')).toBe(true);
    expect(logged.has('many-txn-1004')).toBe(true);
  });
});
