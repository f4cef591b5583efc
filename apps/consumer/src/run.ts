/**
 * Composition root for the streaming command — a STUB until the engine
 * (libs/stream + libs/medallion) is wired in: the engine author replaces the
 * body. Contract: resolve to the exit code (0 done, 1 failure); stop gracefully
 * when `io.signal` aborts (finish the batch in flight, commit, leave the group,
 * print the summary via formatSummary).
 */
import type { ConsumerConfig } from './cli.js';
import { ConsumerError } from './errors.js';

export interface RunIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Aborted with a reason ("SIGTERM") to stop the run gracefully. */
  readonly signal: AbortSignal;
  /** Aborted on a second signal: abandon the batch in flight (it is replayed on the next start). */
  readonly abandon: AbortSignal;
}

export async function run(config: ConsumerConfig, _io: RunIo): Promise<number> {
  throw new ConsumerError('NOT_WIRED', 'the streaming engine is not wired into apps/consumer yet', { appId: config.appId });
}
