import { setTimeout as sleep } from 'node:timers/promises';

/** Where encoded messages go: the BatchingPublisher, or a fake in tests. */
export interface MessageSink {
  send(key: string, value: Uint8Array): Promise<void>;
}

/** How events of one source become message payloads. */
export interface EventEncoding<E> {
  single(event: E): Uint8Array;
  frame(events: readonly E[]): Uint8Array;
}

/** What a source feeds: admit (rate cap, limit), then submit the admitted event. EventPipeline is one. */
export interface EventIntake<E> {
  admit(): Promise<boolean>;
  submit(key: string, event: E): Promise<void>;
  readonly limitReached: boolean;
}

/** One message about to be sent: its key, events and the marks they were submitted with (see `submit`). */
export interface PendingMessage<E, M> {
  readonly key: string;
  readonly shape: 'single' | 'frame';
  readonly events: readonly E[];
  /** Parallel to `events`; undefined for events submitted without a mark. */
  readonly marks: readonly (M | undefined)[];
}

/** Last stage before the sink: may replace the encoded bytes (fault injection) and observe what is sent. */
export type MessageFinisher<E, M> = (message: PendingMessage<E, M>, bytes: Uint8Array) => Uint8Array;

export interface PipelineOptions<E = unknown, M = never> {
  /** Frames of many events of one key per message; undefined = one event per message. */
  readonly framing?: { readonly frameSize: number; readonly maxAgeMs: number } | undefined;
  /** Events per second cap. */
  readonly rate?: number | undefined;
  /** Admit no more than this many events. */
  readonly maxEvents?: number | undefined;
  /** Stops a rate-cap wait at once (SIGINT, --duration): nothing more is admitted. */
  readonly signal?: AbortSignal | undefined;
  /** Called for every message after encoding, before the sink. */
  readonly finishMessage?: MessageFinisher<E, M> | undefined;
}

interface OpenFrame<E, M> {
  events: E[];
  marks: (M | undefined)[];
  openedAt: number;
}

/**
 * Events → Kafka messages: rate cap and event limit (admit), then encode one
 * event per message, or gather frames per key (sent when full or when
 * `maxAgeMs` old). Sources call `admit()` before building each event (so a
 * timestamp taken after it is the send time), then `submit()`.
 */
export class EventPipeline<E, M = never> implements EventIntake<E> {
  private admitted = 0;
  private submitted = 0;
  private messageCount = 0;
  private readonly frames = new Map<string, OpenFrame<E, M>>();
  private readonly ageTimer: NodeJS.Timeout | undefined;
  private readonly inFlightFrames = new Set<Promise<void>>();
  private failure: unknown;
  private readonly startedAt = performance.now();

  constructor(
    private readonly sink: MessageSink,
    private readonly encoding: EventEncoding<E>,
    private readonly options: PipelineOptions<E, M> = {},
  ) {
    const framing = options.framing;
    if (framing) {
      this.ageTimer = setInterval(() => this.flushOldFrames(), Math.max(5, Math.floor(framing.maxAgeMs / 2)));
      this.ageTimer.unref();
    }
  }

  /** Events submitted. */
  get events(): number {
    return this.submitted;
  }

  /** Messages handed to the sink. */
  get messages(): number {
    return this.messageCount;
  }

  /** True when the event limit is reached: sources stop. */
  get limitReached(): boolean {
    return this.options.maxEvents !== undefined && this.admitted >= this.options.maxEvents;
  }

  /**
   * Waits for the rate cap; false when the event limit is reached (nothing
   * more may be submitted).
   */
  async admit(): Promise<boolean> {
    const signal = this.options.signal;
    if (this.limitReached || signal?.aborted) return false;
    this.admitted += 1;
    const rate = this.options.rate;
    if (rate !== undefined) {
      const dueMs = ((this.admitted - 1) / rate) * 1000;
      const aheadMs = dueMs - (performance.now() - this.startedAt);
      if (aheadMs > 2) await sleep(aheadMs, undefined, signal ? { signal } : undefined).catch(() => undefined);
    }
    return !signal?.aborted;
  }

  /**
   * Publishes one admitted event (or adds it to its key's frame). `mark`
   * travels with the event to the `finishMessage` stage. An event may be submitted
   * more than once per admit (a duplicate). Rejects once the sink has failed.
   */
  async submit(key: string, event: E, mark?: M): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.submitted += 1;
    const framing = this.options.framing;
    if (!framing) {
      this.messageCount += 1;
      let bytes = this.encoding.single(event);
      const finish = this.options.finishMessage;
      if (finish) bytes = finish({ key, shape: 'single', events: [event], marks: [mark] }, bytes);
      await this.sink.send(key, bytes);
      return;
    }
    let frame = this.frames.get(key);
    if (!frame) {
      frame = { events: [], marks: [], openedAt: performance.now() };
      this.frames.set(key, frame);
    }
    frame.events.push(event);
    frame.marks.push(mark);
    if (frame.events.length >= framing.frameSize) {
      this.frames.delete(key);
      await this.sink.send(key, this.encodeFrame(key, frame));
    }
  }

  private encodeFrame(key: string, frame: OpenFrame<E, M>): Uint8Array {
    this.messageCount += 1;
    const bytes = this.encoding.frame(frame.events);
    const finish = this.options.finishMessage;
    return finish ? finish({ key, shape: 'frame', events: frame.events, marks: frame.marks }, bytes) : bytes;
  }

  /** Sends the partly filled frames and stops the frame timer. */
  async finish(): Promise<void> {
    if (this.ageTimer) clearInterval(this.ageTimer);
    const open = [...this.frames];
    this.frames.clear();
    for (const [key, frame] of open) await this.sink.send(key, this.encodeFrame(key, frame));
    await Promise.all(this.inFlightFrames);
    if (this.failure !== undefined) throw this.failure;
  }

  private flushOldFrames(): void {
    const maxAgeMs = this.options.framing?.maxAgeMs ?? 0;
    const now = performance.now();
    for (const [key, frame] of this.frames) {
      if (now - frame.openedAt < maxAgeMs) continue;
      this.frames.delete(key);
      let bytes: Uint8Array;
      try {
        bytes = this.encodeFrame(key, frame);
      } catch (error) {
        this.failure ??= error;
        continue;
      }
      const sending = this.sink.send(key, bytes).catch((error: unknown) => {
        this.failure ??= error;
      });
      this.inFlightFrames.add(sending);
      void sending.finally(() => this.inFlightFrames.delete(sending));
    }
  }
}
