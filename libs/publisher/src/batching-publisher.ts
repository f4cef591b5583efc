import type { RecordMetadata } from 'kafkajs';
import { PublisherClosedError, type PublishError, type PublisherError } from './errors.js';
import { createKafkaClient, KafkaBatchSink, type BatchSink, type OutgoingMessage } from './kafka-sink.js';
import { Lane, type LaneEvents } from './lane.js';
import { resolvePublisherOptions, type PublisherOptions, type ResolvedPublisherOptions } from './options.js';

export interface PublisherStats {
  /** Messages acknowledged by the broker. */
  readonly messages: number;
  /** Their key + value bytes (before compression). */
  readonly bytes: number;
  /** Acknowledged batches (produce calls). */
  readonly batches: number;
  /** Failed batches. */
  readonly errors: number;
  /** Messages in failed batches or dropped after a fatal error. */
  readonly failedMessages: number;
  /** Batches in flight right now. */
  readonly inFlight: number;
  /** Messages accepted by send() and not yet acknowledged or failed. */
  readonly buffered: number;
}

export interface BatchInfo {
  readonly lane: number;
  readonly messages: number;
  readonly bytes: number;
  readonly records: readonly RecordMetadata[];
  readonly latencyMs: number;
}

export interface PublisherHooks {
  /** Every failed batch (PublishError) and the fatal error, if one happens. */
  readonly onError?: (error: PublisherError) => void;
  readonly onBatch?: (info: BatchInfo) => void;
}

type Key = string | Buffer | null;

const RESOLVED = Promise.resolve();

/**
 * Client-side batching for kafkajs, which sends each `send()` call as its own
 * produce request. Messages are spread over `maxInFlight` lanes by a hash of
 * their key; each lane batches (linger, size limits) and keeps one batch in
 * flight on its own idempotent producer (see lane.ts for why only one). Lanes
 * run in parallel, so up to `maxInFlight` produce requests are on the wire,
 * while one key always goes through one lane (ordered) and, by the murmur2
 * partitioner, to one partition.
 *
 * Why lanes of separate producers rather than one producer with several
 * sendBatch calls in flight: kafkajs 2.2.4 does not refuse that combination,
 * but with `idempotent: true` it serialises produce requests per broker
 * behind a mutex (so nothing is gained on the wire), and its retry path hands
 * sequence numbers back and re-assigns them later, which reorders or, if the
 * broker had written the first attempt, silently drops the batch sent in
 * between. One outstanding batch per producer avoids both; several producers
 * give real concurrency.
 */
export class BatchingPublisher {
  private readonly lanes: Lane[];
  private readonly waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private nextNullKeyLane = 0;
  private buffered = 0;
  private bufferedBytes = 0;
  private counters = { messages: 0, bytes: 0, batches: 0, errors: 0, failedMessages: 0 };
  private fatal: PublisherError | undefined;
  private closing: Promise<void> | undefined;

  /**
   * Low level: a publisher over ready sinks (one per lane). `connect()` is the
   * usual way in; this exists for other transports and for tests.
   */
  constructor(
    readonly options: ResolvedPublisherOptions,
    sinks: readonly BatchSink[],
    private readonly hooks: PublisherHooks = {},
  ) {
    const events: LaneEvents = {
      sent: (lane, batch, bytes, records, latencyMs) => this.onSent(lane, batch, bytes, records, latencyMs),
      failed: (_lane, batch, bytes, error) => this.onFailed(batch, bytes, error),
      dead: (_lane, dropped, bytes, error) => this.onDead(dropped, bytes, error),
    };
    const limits = {
      lingerMs: options.lingerMs,
      maxBatchMessages: options.maxBatchMessages,
      maxBatchBytes: options.maxBatchBytes,
      resetAfterFailure: options.idempotent,
      topic: options.topic,
    };
    this.lanes = sinks.map((sink, i) => new Lane(i, sink, limits, events));
  }

  /**
   * Connects `maxInFlight` producers. Rejects with BrokerUnreachableError
   * (naming the brokers) within `connectTimeoutMs`, or with
   * IdempotenceUnavailableError.
   */
  static async connect(options: PublisherOptions, hooks: PublisherHooks = {}): Promise<BatchingPublisher> {
    const resolved = resolvePublisherOptions(options);
    const kafka = createKafkaClient(resolved);
    const opened = await Promise.allSettled(Array.from({ length: resolved.maxInFlight }, () => KafkaBatchSink.open(kafka, resolved)));
    const failure = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await Promise.all(opened.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
      throw failure.reason;
    }
    const sinks = opened.map((r) => (r as PromiseFulfilledResult<KafkaBatchSink>).value);
    return new BatchingPublisher(resolved, sinks, hooks);
  }

  /**
   * Queues one message. Resolves at once while there is room in the buffer;
   * when it is full, resolves once batches in flight have made room
   * (backpressure). Rejects after close() or a fatal error.
   */
  send(key: Key, value: Uint8Array): Promise<void> {
    if (this.fatal) return Promise.reject(this.fatal);
    if (this.closing) return Promise.reject(new PublisherClosedError(`publisher for ${this.options.topic} is closed`, { topic: this.options.topic }));
    const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const size = buffer.length + keyBytes(key);
    this.buffered += 1;
    this.bufferedBytes += size;
    this.laneFor(key).push({ key, value: buffer, size });
    if (this.buffered < this.options.maxBufferedMessages && this.bufferedBytes < this.options.maxBufferedBytes) return RESOLVED;
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Sends everything accepted so far and waits for the acks. Rejects with the fatal error if the publisher failed. */
  async flush(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.flush()));
    if (this.fatal) throw this.fatal;
  }

  /** Flushes, then disconnects. Later sends reject with PublisherClosedError. Never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all(this.lanes.map((lane) => lane.flush()));
      await Promise.all(this.lanes.map((lane) => lane.close().catch(() => undefined)));
      this.rejectWaiters(this.fatal ?? new PublisherClosedError(`publisher for ${this.options.topic} is closed`, { topic: this.options.topic }));
    })();
    return this.closing;
  }

  /** The error that stopped the publisher, if any. */
  get failure(): PublisherError | undefined {
    return this.fatal;
  }

  stats(): PublisherStats {
    return {
      ...this.counters,
      inFlight: this.lanes.reduce((n, lane) => n + (lane.inFlight ? 1 : 0), 0),
      buffered: this.buffered,
    };
  }

  private laneFor(key: Key): Lane {
    const lanes = this.lanes;
    if (lanes.length === 1) return lanes[0] as Lane;
    if (key === null) {
      this.nextNullKeyLane = (this.nextNullKeyLane + 1) % lanes.length;
      return lanes[this.nextNullKeyLane] as Lane;
    }
    return lanes[fnv1a(key) % lanes.length] as Lane;
  }

  private onSent(lane: Lane, batch: readonly OutgoingMessage[], bytes: number, records: readonly RecordMetadata[], latencyMs: number): void {
    this.counters.messages += batch.length;
    this.counters.bytes += bytes;
    this.counters.batches += 1;
    this.release(batch.length, bytes);
    this.hooks.onBatch?.({ lane: lane.index, messages: batch.length, bytes, records, latencyMs });
  }

  private onFailed(batch: readonly OutgoingMessage[], bytes: number, error: PublishError): void {
    this.counters.errors += 1;
    this.counters.failedMessages += batch.length;
    this.release(batch.length, bytes);
    this.hooks.onError?.(error);
  }

  private onDead(dropped: readonly OutgoingMessage[], bytes: number, error: PublisherError): void {
    this.counters.failedMessages += dropped.length;
    this.release(dropped.length, bytes);
    if (this.fatal) return;
    this.fatal = error;
    for (const lane of this.lanes) {
      const { dropped: more, bytes: moreBytes } = lane.discardQueued();
      this.counters.failedMessages += more.length;
      this.release(more.length, moreBytes);
    }
    this.rejectWaiters(error);
    this.hooks.onError?.(error);
  }

  private release(messages: number, bytes: number): void {
    this.buffered -= messages;
    this.bufferedBytes -= bytes;
    while (this.waiters.length > 0 && this.buffered < this.options.maxBufferedMessages && this.bufferedBytes < this.options.maxBufferedBytes) {
      this.waiters.shift()?.resolve();
    }
  }

  private rejectWaiters(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}

function keyBytes(key: Key): number {
  if (key === null) return 0;
  return typeof key === 'string' ? Buffer.byteLength(key) : key.length;
}

/** FNV-1a over the key's UTF-16 code units (strings) or bytes: a stable lane for each key. */
function fnv1a(key: string | Buffer): number {
  let hash = 0x811c9dc5;
  const isString = typeof key === 'string';
  for (let i = 0; i < key.length; i++) {
    hash ^= isString ? key.charCodeAt(i) : (key[i] as number);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
