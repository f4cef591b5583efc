import type { RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { BatchingPublisher } from './batching-publisher.js';
import { BrokerUnreachableError, PublishError, PublisherClosedError, type PublisherError } from './errors.js';
import type { BatchSink, OutgoingMessage } from './kafka-sink.js';
import { resolvePublisherOptions, type PublisherOptions } from './options.js';

/** A sink that records batches and lets the test decide when each one is acknowledged. */
class FakeSink implements BatchSink {
  readonly batches: OutgoingMessage[][] = [];
  readonly pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  resets = 0;
  closed = false;
  autoAck = true;
  failNext = 0;
  failReset = false;

  async send(messages: readonly OutgoingMessage[]): Promise<readonly RecordMetadata[]> {
    this.batches.push([...messages]);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.failNext > 0) {
        this.failNext -= 1;
        throw new PublishError('boom', { topic: 't', messages: messages.length });
      }
      if (!this.autoAck) await new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject }));
      else await new Promise((r) => setTimeout(r, 1));
      return [];
    } finally {
      this.inFlight -= 1;
    }
  }

  async reset(): Promise<void> {
    this.resets += 1;
    if (this.failReset) throw new BrokerUnreachableError(['b:1'], 'gone');
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  ackAll(): void {
    for (const p of this.pending.splice(0)) p.resolve();
  }

  get messages(): OutgoingMessage[] {
    return this.batches.flat();
  }
}

function publisher(sinks: FakeSink[], options: Partial<PublisherOptions> = {}, errors: PublisherError[] = []): BatchingPublisher {
  const resolved = resolvePublisherOptions({ brokers: ['b:1'], clientId: 'spec', topic: 't', maxInFlight: sinks.length, ...options });
  return new BatchingPublisher(resolved, sinks, { onError: (e) => errors.push(e) });
}

const value = (n: number) => Buffer.from(String(n));

describe('BatchingPublisher batching', () => {
  it('sends a full batch at once and the rest after the linger', async () => {
    const sink = new FakeSink();
    const p = publisher([sink], { maxBatchMessages: 3, lingerMs: 30 });
    for (let i = 0; i < 4; i++) await p.send('k', value(i));
    await new Promise((r) => setTimeout(r, 5));
    expect(sink.batches.map((b) => b.length)).toEqual([3]);
    await new Promise((r) => setTimeout(r, 60));
    expect(sink.batches.map((b) => b.length)).toEqual([3, 1]);
    await p.close();
    expect(sink.closed).toBe(true);
    expect(p.stats()).toMatchObject({ messages: 4, batches: 2, errors: 0, buffered: 0, inFlight: 0 });
  });

  it('caps a batch by bytes, always taking at least one message', async () => {
    const sink = new FakeSink();
    const p = publisher([sink], { maxBatchBytes: 10, lingerMs: 1_000 });
    await p.send('k', Buffer.alloc(25));
    await p.send('k', Buffer.alloc(4));
    await p.send('k', Buffer.alloc(4));
    await p.flush();
    expect(sink.batches.map((b) => b.map((m) => m.value.length))).toEqual([[25], [4, 4]]);
    expect(p.stats().bytes).toBe(25 + 4 + 4 + 3);
  });

  it('keeps one batch in flight per lane; messages queue behind it in order', async () => {
    const sink = new FakeSink();
    sink.autoAck = false;
    const p = publisher([sink], { maxBatchMessages: 2, lingerMs: 0 });
    for (let i = 0; i < 7; i++) await p.send('k', value(i));
    await new Promise((r) => setTimeout(r, 5));
    expect(sink.batches).toHaveLength(1);
    expect(p.stats().inFlight).toBe(1);
    const flushed = p.flush();
    for (let round = 0; round < 5; round++) {
      await new Promise((r) => setTimeout(r, 2));
      sink.ackAll();
    }
    await flushed;
    expect(sink.maxInFlight).toBe(1);
    expect(sink.messages.map((m) => m.value.toString())).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('spreads keys over lanes, a key always on the same lane, lanes in flight together', async () => {
    const sinks = [new FakeSink(), new FakeSink(), new FakeSink(), new FakeSink()];
    for (const s of sinks) s.autoAck = false;
    const p = publisher(sinks, { maxBatchMessages: 10, maxBufferedMessages: 10_000, lingerMs: 0 });
    for (let i = 0; i < 400; i++) await p.send(`sat${i % 40}`, value(i));
    await new Promise((r) => setTimeout(r, 5));
    expect(p.stats().inFlight).toBe(4);
    const flushed = p.flush();
    while (sinks.some((s) => s.pending.length > 0)) {
      for (const s of sinks) s.ackAll();
      await new Promise((r) => setTimeout(r, 1));
    }
    await flushed;
    const laneOfKey = new Map<string, number>();
    sinks.forEach((sink, lane) => {
      for (const m of sink.messages) {
        const key = String(m.key);
        expect(laneOfKey.get(key) ?? lane).toBe(lane);
        laneOfKey.set(key, lane);
      }
      // Within a lane, each key's values arrive in send order.
      const perKey = new Map<string, number[]>();
      for (const m of sink.messages) perKey.set(String(m.key), [...(perKey.get(String(m.key)) ?? []), Number(m.value.toString())]);
      for (const seq of perKey.values()) expect(seq).toEqual([...seq].sort((a, b) => a - b));
    });
    expect(laneOfKey.size).toBe(40);
    expect(sinks.every((s) => s.messages.length > 0)).toBe(true);
    expect(p.stats().messages).toBe(400);
  });

  it('applies backpressure: send() waits while the buffer is full', async () => {
    const sink = new FakeSink();
    sink.autoAck = false;
    const p = publisher([sink], { maxBatchMessages: 2, maxBufferedMessages: 4, lingerMs: 0 });
    for (let i = 0; i < 3; i++) await p.send('k', value(i));
    let accepted = false;
    const fourth = p.send('k', value(3)).then(() => {
      accepted = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(accepted).toBe(false);
    sink.ackAll();
    await fourth;
    expect(accepted).toBe(true);
    const flushed = p.flush();
    while (p.stats().buffered > 0) {
      sink.ackAll();
      await new Promise((r) => setTimeout(r, 1));
    }
    await flushed;
  });
});

describe('BatchingPublisher failures', () => {
  it('reports a failed batch, then opens a new producer session before the next one', async () => {
    const sink = new FakeSink();
    sink.failNext = 1;
    const errors: PublisherError[] = [];
    const p = publisher([sink], { lingerMs: 0 }, errors);
    await p.send('k', value(1));
    await p.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PublishError);
    expect(sink.resets).toBe(0);
    await p.send('k', value(2));
    await p.flush();
    expect(sink.resets).toBe(1);
    expect(p.stats()).toMatchObject({ messages: 1, errors: 1, failedMessages: 1, batches: 1 });
  });

  it('does not reset without idempotence', async () => {
    const sink = new FakeSink();
    sink.failNext = 1;
    const p = publisher([sink], { lingerMs: 0, idempotent: false });
    await p.send('k', value(1));
    await p.flush();
    await p.send('k', value(2));
    await p.flush();
    expect(sink.resets).toBe(0);
  });

  it('fails for good when the session cannot be re-opened: sends and flush reject with the cause', async () => {
    const sink = new FakeSink();
    sink.failNext = 1;
    sink.failReset = true;
    const errors: PublisherError[] = [];
    const p = publisher([sink], { lingerMs: 0 }, errors);
    await p.send('k', value(1));
    await p.flush();
    await p.send('k', value(2));
    await expect(p.flush()).rejects.toBeInstanceOf(BrokerUnreachableError);
    await expect(p.send('k', value(3))).rejects.toBeInstanceOf(BrokerUnreachableError);
    expect(p.failure?.code).toBe('BROKER_UNREACHABLE');
    expect(p.stats()).toMatchObject({ failedMessages: 2, buffered: 0 });
    expect(errors.map((e) => e.code)).toEqual(['PUBLISH_FAILED', 'BROKER_UNREACHABLE']);
    await p.close();
  });

  it('rejects sends after close() with PUBLISHER_CLOSED', async () => {
    const p = publisher([new FakeSink()]);
    await p.send('k', value(1));
    await p.close();
    await p.close();
    await expect(p.send('k', value(2))).rejects.toBeInstanceOf(PublisherClosedError);
    expect(p.stats().messages).toBe(1);
  });
});
