/**
 * The simulator as an async iterable: as fast as possible (yielding to the
 * event loop every few thousand events so timers and I/O still run), or in
 * real time, sleeping until each 10 ms tick of simulated time is due on the
 * wall clock (one timer per tick, not per event).
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { F1Event } from '@lakestream/schema';
import { InvalidSimOptionsError } from '../errors.js';
import { F1Simulator, type F1SimulatorOptions } from './simulator.js';

export type F1Pacing = 'realtime' | 'asap';

export interface SimulateF1Options extends F1SimulatorOptions {
  readonly pacing: F1Pacing;
  /** Stop after this many events. */
  readonly maxEvents?: number;
  /** Stop at this much simulated time after the session start (= wall time when realtime). */
  readonly durationMs?: number;
  /** Aborting ends the iteration quietly (no exception). */
  readonly signal?: AbortSignal;
}

/** Events between turns of the event loop in asap mode. */
const ASAP_SLICE = 4096;

export async function* simulateF1(options: SimulateF1Options): AsyncGenerator<F1Event, void, undefined> {
  const { pacing, maxEvents = Infinity, durationMs, signal } = options;
  if (pacing !== 'realtime' && pacing !== 'asap') throw new InvalidSimOptionsError('pacing', `expected 'realtime' or 'asap', got '${String(pacing)}'`);
  if (!(maxEvents >= 0)) throw new InvalidSimOptionsError('maxEvents', `expected >= 0, got ${maxEvents}`);
  if (durationMs !== undefined && !(durationMs >= 0)) throw new InvalidSimOptionsError('durationMs', `expected >= 0, got ${durationMs}`);
  const simulator = new F1Simulator(options);
  const start = simulator.session.start_time_ns;
  const end = durationMs === undefined ? undefined : start + BigInt(Math.round(durationMs * 1e6));
  const realtime = pacing === 'realtime';
  const wallStart = performance.now();
  let count = 0;
  let lastTime = -1n;
  for (const event of simulator.events()) {
    if (count >= maxEvents || signal?.aborted) return;
    const time = event.event_time_ns;
    if (time !== lastTime) {
      // A new tick: check the duration and, in real time, wait until it is due.
      lastTime = time;
      if (end !== undefined && time >= end) return;
      if (realtime) {
        const wait = Number(time - start) / 1e6 - (performance.now() - wallStart);
        if (wait > 1 && !(await pause(wait, signal))) return;
      }
    }
    if (!realtime && (count & (ASAP_SLICE - 1)) === ASAP_SLICE - 1) {
      await nextTurn();
      if (signal?.aborted) return;
    }
    count++;
    yield event;
  }
}

/** Sleeps; false when aborted. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
    return true;
  } catch {
    return false;
  }
}
