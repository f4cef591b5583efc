import type { EventIntake, EventPipeline } from '../pipeline.js';
import type { FaultInjector, FaultMark } from './injector.js';

/** A source's intake with fault injection: each admitted event goes through the injector's plan into the pipeline. */
export class FaultingIntake<E> implements EventIntake<E> {
  constructor(
    private readonly pipeline: EventPipeline<E, FaultMark>,
    private readonly injector: FaultInjector<E>,
  ) {}

  admit(): Promise<boolean> {
    return this.pipeline.admit();
  }

  get limitReached(): boolean {
    return this.pipeline.limitReached;
  }

  async submit(key: string, event: E): Promise<void> {
    for (const { event: e, mark } of this.injector.plan(event)) await this.pipeline.submit(key, e, mark);
  }
}
