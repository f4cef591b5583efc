/**
 * Applies a FlushPolicy: decides after each append whether to fsync now
 * ('always', or the message count reached) or arms a timer for `ms` after
 * the first unflushed append. The timer's flush goes through the owner's
 * queue (the `flush` callback), so it never races a roll or a close.
 */
import type { FlushPolicy } from './config.js';

export class FlushScheduler {
  private unflushed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly policy: FlushPolicy,
    /** Queues a flush; called from the timer. Its failure is the owner's to record. */
    private readonly flushLater: () => void,
  ) {}

  /** After an append of `messages` records: true when the caller must fsync before acknowledging. */
  afterAppend(messages: number): boolean {
    if (this.policy === 'always') return true;
    this.unflushed += messages;
    const { messages: everyMessages, ms } = this.policy;
    if (everyMessages !== undefined && this.unflushed >= everyMessages) return true;
    if (ms !== undefined && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushLater();
      }, ms);
      this.timer.unref();
    }
    return false;
  }

  /** Everything appended so far is on disk. */
  flushed(): void {
    this.unflushed = 0;
    this.cancel();
  }

  get pending(): number {
    return this.unflushed;
  }

  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
