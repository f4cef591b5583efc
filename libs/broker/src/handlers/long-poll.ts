/**
 * The wait in a Fetch long poll: counts bytes appended to the partitions a
 * Fetch reads (subscribed before the first read, so no append slips between
 * reading and waiting) and wakes the poll once enough arrived, at its
 * deadline, or when the connection closes or the broker shuts down.
 */
import type { PartitionLog } from '@lakestream/log';

export class AppendWaiter {
  private appended = 0;
  private wake: (() => void) | undefined;
  private readonly unsubscribes: (() => void)[];

  constructor(logs: Iterable<PartitionLog>) {
    this.unsubscribes = [...logs].map((log) =>
      log.onAppend((batch) => {
        this.appended += batch.size;
        this.wake?.();
      }),
    );
  }

  /** Starts counting afresh (call right before reading). */
  reset(): void {
    this.appended = 0;
  }

  /** Resolves once `bytes` were appended since the last reset, at `deadline` (ms, `now` clock), or on abort. */
  wait(bytes: number, deadline: number, now: number, signal: AbortSignal): Promise<void> {
    if (this.appended >= bytes || signal.aborted || now >= deadline) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, deadline - now);
      signal.addEventListener('abort', finish, { once: true });
      this.wake = () => {
        if (this.appended >= bytes) finish();
      };
    });
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.wake = undefined;
  }
}
