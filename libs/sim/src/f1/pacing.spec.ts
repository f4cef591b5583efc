import type { F1Event } from '@lakestream/schema';
import { describe, expect, it } from 'vitest';
import { simulateF1 } from './pacing.js';
import { F1Simulator } from './simulator.js';

async function collect(iterable: AsyncIterable<F1Event>): Promise<F1Event[]> {
  const out: F1Event[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

describe('simulateF1', () => {
  it('asap: yields the simulator events, stopping at maxEvents', async () => {
    const events = await collect(simulateF1({ cars: 4, seed: 2, pacing: 'asap', maxEvents: 5000 }));
    expect(events).toHaveLength(5000);
    const direct: F1Event[] = [];
    for (const e of new F1Simulator({ cars: 4, seed: 2 }).events()) {
      direct.push(e);
      if (direct.length === 5000) break;
    }
    expect(events).toEqual(direct);
  });

  it('stops at durationMs of simulated time', async () => {
    const sim = new F1Simulator({ cars: 2 });
    const events = await collect(simulateF1({ cars: 2, pacing: 'asap', durationMs: 500 }));
    const offsets = events.map((e) => Number(e.event_time_ns - sim.session.start_time_ns) / 1e6);
    expect(Math.max(...offsets)).toBe(480); // the last tick before 500 ms with events due (power unit every 20 ms)
    expect(events.filter((e) => e.type === 'position')).toHaveLength(2 * 5);
  });

  it('asap: lets timers run while it produces', async () => {
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 0);
    let n = 0;
    for await (const _ of simulateF1({ cars: 50, pacing: 'asap' })) {
      if (++n === 60_000) break;
    }
    expect(fired).toBe(true);
  });

  it('ends quietly when the signal aborts', async () => {
    const controller = new AbortController();
    let n = 0;
    for await (const _ of simulateF1({ cars: 2, pacing: 'realtime', signal: controller.signal })) {
      if (++n === 10) controller.abort();
    }
    expect(n).toBe(10);
    const aborted = await collect(simulateF1({ cars: 2, pacing: 'asap', signal: AbortSignal.abort() }));
    expect(aborted).toEqual([]);
  });

  it('realtime: spreads the events over wall-clock time', async () => {
    const started = performance.now();
    const events = await collect(simulateF1({ cars: 3, pacing: 'realtime', durationMs: 300 }));
    const elapsed = performance.now() - started;
    // Only a lower bound: a loaded machine may take longer, never shorter.
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(events).toEqual(await collect(simulateF1({ cars: 3, pacing: 'asap', durationMs: 300 })));
  });

  it('refuses bad pacing options', async () => {
    // @ts-expect-error: pacing must be realtime or asap
    await expect(collect(simulateF1({ pacing: 'fast' }))).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(collect(simulateF1({ pacing: 'asap', maxEvents: -1 }))).rejects.toThrow(/maxEvents/);
  });
});
