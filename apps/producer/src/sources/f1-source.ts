/** F1 source: the race simulator, real time or as fast as possible, keyed by car number. */
import type { F1Event } from '@lakestream/schema';
import { simulateF1 } from '@lakestream/sim';
import type { EventIntake } from '../pipeline.js';
import type { SourceResult } from './source.js';

export interface F1SourceOptions {
  readonly cars: number;
  readonly seed: number;
  /** Session start; each run is its own session so events never collide across runs. */
  readonly startTimeNs: bigint;
  readonly pacing: 'realtime' | 'asap';
  readonly pipeline: EventIntake<F1Event>;
  readonly signal: AbortSignal;
}

export async function runF1Source(options: F1SourceOptions): Promise<SourceResult> {
  const { pipeline, signal } = options;
  let rows = 0;
  for await (const event of simulateF1({ cars: options.cars, seed: options.seed, startTimeNs: options.startTimeNs, pacing: options.pacing, signal })) {
    if (signal.aborted) return { reason: 'stopped', rows, badRows: 0 };
    if (!(await pipeline.admit())) return { reason: 'limit', rows, badRows: 0 };
    await pipeline.submit(String(event.car_number), event);
    rows += 1;
  }
  return { reason: signal.aborted ? 'stopped' : 'completed', rows, badRows: 0 };
}
