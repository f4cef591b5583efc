import type { RecordMetadata } from 'kafkajs';
import { PublishError, type PublisherError } from './errors.js';
import type { BatchSink, OutgoingMessage } from './kafka-sink.js';

export interface LaneLimits {
  readonly lingerMs: number;
  readonly maxBatchMessages: number;
  readonly maxBatchBytes: number;
  /** Open a new producer session after a failed batch (needed for idempotence, see below). */
  readonly resetAfterFailure: boolean;
  readonly topic: string;
}

export interface LaneEvents {
  sent(lane: Lane, batch: readonly OutgoingMessage[], bytes: number, records: readonly RecordMetadata[], latencyMs: number): void;
  failed(lane: Lane, batch: readonly OutgoingMessage[], bytes: number, error: PublishError): void;
  /** The lane cannot go on (its producer could not be re-opened); `dropped` were never sent. */
  dead(lane: Lane, dropped: readonly OutgoingMessage[], bytes: number, error: PublisherError): void;
}

/**
 * One ordered lane of the publisher: a queue, a linger timer and at most one
 * batch in flight on its own producer session.
 *
 * States: idle (empty, nothing in flight) → lingering (queue filling, timer
 * armed) → in flight (one sendBatch awaiting acks; new messages queue up) →
 * back to lingering or idle. A full batch, a flush or an expired linger sends
 * at once when nothing is in flight.
 *
 * Why one batch per lane: with idempotence kafkajs numbers a batch's records
 * per partition when it sends it, and on a failed attempt it gives the
 * numbers back and numbers the retry again later. If a second batch of the
 * same producer were sent in between, it would take those numbers: the
 * partition would get the second batch first (order lost), and if the failed
 * attempt had in fact been written the broker would take the second batch
 * for a duplicate and drop it (data lost). So a lane never has two batches
 * out, and after a batch finally fails it starts a new producer session (new
 * producer id, sequences from 0) before sending anything else.
 */
export class Lane {
  private queue: OutgoingMessage[] = [];
  private queuedBytes = 0;
  private firstQueuedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending = false;
  private needsReset = false;
  private flushes = 0;
  private isDead = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly index: number,
    private readonly sink: BatchSink,
    private readonly limits: LaneLimits,
    private readonly events: LaneEvents,
  ) {}

  get inFlight(): boolean {
    return this.sending;
  }

  get dead(): boolean {
    return this.isDead;
  }

  push(message: OutgoingMessage): void {
    if (this.queue.length === 0) this.firstQueuedAt = performance.now();
    this.queue.push(message);
    this.queuedBytes += message.size;
    if (this.sending) return;
    if (this.full()) this.kick();
    else this.timer ??= setTimeout(() => this.onLinger(), this.limits.lingerMs);
  }

  /** Sends everything queued now and resolves when the lane is idle. */
  async flush(): Promise<void> {
    this.flushes += 1;
    try {
      this.kick();
      await this.idle();
    } finally {
      this.flushes -= 1;
    }
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  private idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return !this.sending && this.queue.length === 0;
  }

  private full(): boolean {
    return this.queue.length >= this.limits.maxBatchMessages || this.queuedBytes >= this.limits.maxBatchBytes;
  }

  private onLinger(): void {
    this.timer = undefined;
    this.kick();
  }

  private kick(): void {
    if (this.sending || this.queue.length === 0 || this.isDead) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const { batch, bytes } = this.takeBatch();
    this.sending = true;
    void this.run(batch, bytes);
  }

  private takeBatch(): { batch: OutgoingMessage[]; bytes: number } {
    let count = 0;
    let bytes = 0;
    const { maxBatchMessages, maxBatchBytes } = this.limits;
    while (count < this.queue.length && count < maxBatchMessages) {
      const size = (this.queue[count] as OutgoingMessage).size;
      if (count > 0 && bytes + size > maxBatchBytes) break;
      bytes += size;
      count += 1;
    }
    const batch = this.queue.splice(0, count);
    this.queuedBytes -= bytes;
    if (this.queue.length > 0) this.firstQueuedAt = performance.now();
    return { batch, bytes };
  }

  private async run(batch: OutgoingMessage[], bytes: number): Promise<void> {
    if (this.needsReset) {
      try {
        await this.sink.reset();
        this.needsReset = false;
      } catch (error) {
        this.die(batch, bytes, error as PublisherError);
        return;
      }
    }
    const started = performance.now();
    try {
      const records = await this.sink.send(batch);
      this.events.sent(this, batch, bytes, records, performance.now() - started);
    } catch (error) {
      this.needsReset = this.limits.resetAfterFailure;
      const publishError = error instanceof PublishError ? error : new PublishError(`publishing ${batch.length} messages to ${this.limits.topic} failed: ${String(error)}`, { topic: this.limits.topic, messages: batch.length }, { cause: error });
      this.events.failed(this, batch, bytes, publishError);
    }
    this.sending = false;
    this.afterBatch();
  }

  private afterBatch(): void {
    if (this.queue.length === 0) {
      this.wakeIdle();
      return;
    }
    const waited = performance.now() - this.firstQueuedAt;
    if (this.full() || this.flushes > 0 || waited >= this.limits.lingerMs) this.kick();
    else this.timer ??= setTimeout(() => this.onLinger(), this.limits.lingerMs - waited);
  }

  private die(batch: OutgoingMessage[], bytes: number, error: PublisherError): void {
    this.isDead = true;
    const dropped = batch.concat(this.queue);
    const droppedBytes = bytes + this.queuedBytes;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = false;
    this.events.dead(this, dropped, droppedBytes, error);
    this.wakeIdle();
  }

  /** Messages pushed to a dead lane are dropped at once (the publisher has already failed). */
  discardQueued(): { dropped: OutgoingMessage[]; bytes: number } {
    const dropped = this.queue;
    const bytes = this.queuedBytes;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.sending) this.wakeIdle();
    return { dropped, bytes };
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
