import { describe, expect, it } from 'vitest';
import { EventPipeline, type EventEncoding, type MessageSink } from './pipeline.js';

interface Ev {
  n: number;
}

class RecordingSink implements MessageSink {
  readonly sent: { key: string; value: string }[] = [];
  async send(key: string, value: Uint8Array): Promise<void> {
    this.sent.push({ key, value: Buffer.from(value).toString() });
  }
}

const encoding: EventEncoding<Ev> = {
  single: (e) => Buffer.from(`${e.n}`),
  frame: (es) => Buffer.from(es.map((e) => e.n).join(',')),
};

async function feed(p: EventPipeline<Ev>, events: [string, number][]): Promise<void> {
  for (const [key, n] of events) {
    if (!(await p.admit())) return;
    await p.submit(key, { n });
  }
}

describe('EventPipeline', () => {
  it('stops waiting for the rate cap as soon as the run is stopped, admitting nothing more', async () => {
    const stop = new AbortController();
    const p = new EventPipeline(new RecordingSink(), encoding, { rate: 0.01, signal: stop.signal });
    expect(await p.admit()).toBe(true); // the first event is due at once
    const started = performance.now();
    const waiting = p.admit(); // due in 100 s
    setTimeout(() => stop.abort('SIGINT'), 20);
    expect(await waiting).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await p.admit()).toBe(false);
  });

  it('sends one message per event without framing', async () => {
    const sink = new RecordingSink();
    const p = new EventPipeline(sink, encoding);
    await feed(p, [['a', 1], ['b', 2]]);
    await p.finish();
    expect(sink.sent).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect([p.events, p.messages]).toEqual([2, 2]);
  });

  it('frames events per key: full frames at once, partial ones at finish', async () => {
    const sink = new RecordingSink();
    const p = new EventPipeline(sink, encoding, { framing: { frameSize: 2, maxAgeMs: 60_000 } });
    await feed(p, [['a', 1], ['b', 2], ['a', 3], ['b', 4], ['a', 5]]);
    expect(sink.sent).toEqual([
      { key: 'a', value: '1,3' },
      { key: 'b', value: '2,4' },
    ]);
    await p.finish();
    expect(sink.sent[2]).toEqual({ key: 'a', value: '5' });
    expect([p.events, p.messages]).toEqual([5, 3]);
  });

  it('sends a frame that gets too old', async () => {
    const sink = new RecordingSink();
    const p = new EventPipeline(sink, encoding, { framing: { frameSize: 100, maxAgeMs: 20 } });
    await feed(p, [['a', 1]]);
    await new Promise((r) => setTimeout(r, 80));
    expect(sink.sent).toEqual([{ key: 'a', value: '1' }]);
    await p.finish();
    expect(sink.sent).toHaveLength(1);
  });

  it('stops admitting at maxEvents', async () => {
    const sink = new RecordingSink();
    const p = new EventPipeline(sink, encoding, { maxEvents: 3 });
    await feed(p, [['a', 1], ['a', 2], ['a', 3], ['a', 4]]);
    expect(p.limitReached).toBe(true);
    expect(sink.sent.map((m) => m.value)).toEqual(['1', '2', '3']);
  });

  it('paces admissions to the rate cap', async () => {
    const p = new EventPipeline(new RecordingSink(), encoding, { rate: 200 });
    const started = performance.now();
    await feed(
      p,
      Array.from({ length: 21 }, (_, i) => ['k', i] as [string, number]),
    );
    // 21 events at 200/s: the last is due 100 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('surfaces a sink failure from a timed frame on the next submit', async () => {
    const failing: MessageSink = { send: () => Promise.reject(new Error('broker gone')) };
    const p = new EventPipeline(failing, encoding, { framing: { frameSize: 100, maxAgeMs: 10 } });
    await feed(p, [['a', 1]]);
    await new Promise((r) => setTimeout(r, 50));
    await expect(p.submit('a', { n: 2 })).rejects.toThrow('broker gone');
  });
});
