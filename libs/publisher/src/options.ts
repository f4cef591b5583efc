import { PublisherOptionsError } from './errors.js';

export type CompressionName = 'none' | 'gzip' | 'snappy';
export type PublisherLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface PublisherLogEntry {
  readonly level: Exclude<PublisherLogLevel, 'nothing'>;
  readonly namespace: string;
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

/** What a caller (an app, after validating flags and env) hands the publisher. */
export interface PublisherOptions {
  /** Bootstrap brokers, host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  /** How long a partly filled batch waits for more messages. Default 10 ms. */
  readonly lingerMs?: number;
  /** A batch is sent once it holds this many messages. Default 1000 (kafkajs groups a batch by partition in quadratic time, so much larger batches cost CPU). */
  readonly maxBatchMessages?: number;
  /** ... or this many key+value bytes (before compression). Default 512 KiB, under Kafka's 1 MiB message.max.bytes. */
  readonly maxBatchBytes?: number;
  /** Batches in flight at once = independent idempotent producer lanes (see batching-publisher.ts). Default 4. */
  readonly maxInFlight?: number;
  /** send() waits while this many messages are buffered or in flight. Default 4 × maxBatchMessages × maxInFlight. */
  readonly maxBufferedMessages?: number;
  /** ... or this many bytes. Default 4 × maxBatchBytes × maxInFlight. */
  readonly maxBufferedBytes?: number;
  /** Default 'none'. */
  readonly compression?: CompressionName;
  /** acks=all and kafkajs's idempotent producer. Default true. */
  readonly idempotent?: boolean;
  /** The first connect gives up after this long with BrokerUnreachableError. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Produce request timeout. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** kafkajs retries per batch before it fails with PublishError. Default 6 (about 15 s of backoff). */
  readonly retries?: number;
  /** kafkajs log level. Default 'nothing': failures surface as typed errors instead. */
  readonly logLevel?: PublisherLogLevel;
  /** Where kafkajs log lines go; default stderr. */
  readonly log?: (entry: PublisherLogEntry) => void;
}

export type ResolvedPublisherOptions = Required<Omit<PublisherOptions, 'log'>> & Pick<PublisherOptions, 'log'>;

export const PUBLISHER_DEFAULTS = {
  lingerMs: 10,
  maxBatchMessages: 1_000,
  maxBatchBytes: 512 * 1024,
  maxInFlight: 4,
  compression: 'none',
  idempotent: true,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  retries: 6,
  logLevel: 'nothing',
} as const satisfies Partial<PublisherOptions>;

/** Fills defaults and checks ranges; throws PublisherOptionsError naming the option. */
export function resolvePublisherOptions(options: PublisherOptions): ResolvedPublisherOptions {
  const merged = { ...PUBLISHER_DEFAULTS, ...withoutUndefined(options) };
  if (merged.brokers.length === 0) throw invalidOption('brokers', 'needs at least one host:port');
  for (const broker of merged.brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker)) throw invalidOption('brokers', `${JSON.stringify(broker)} is not host:port`);
  }
  if (merged.topic.length === 0) throw invalidOption('topic', 'must not be empty');
  positiveInt('maxBatchMessages', merged.maxBatchMessages);
  positiveInt('maxBatchBytes', merged.maxBatchBytes);
  positiveInt('maxInFlight', merged.maxInFlight);
  positiveInt('connectTimeoutMs', merged.connectTimeoutMs);
  positiveInt('requestTimeoutMs', merged.requestTimeoutMs);
  if (!Number.isInteger(merged.lingerMs) || merged.lingerMs < 0) throw invalidOption('lingerMs', 'must be an integer >= 0');
  if (!Number.isInteger(merged.retries) || merged.retries < 1) throw invalidOption('retries', 'must be an integer >= 1 (kafkajs refuses an idempotent producer without retries)');
  if (!['none', 'gzip', 'snappy'].includes(merged.compression)) throw invalidOption('compression', `unknown codec ${JSON.stringify(merged.compression)}`);
  const maxBufferedMessages = merged.maxBufferedMessages ?? 4 * merged.maxBatchMessages * merged.maxInFlight;
  const maxBufferedBytes = merged.maxBufferedBytes ?? 4 * merged.maxBatchBytes * merged.maxInFlight;
  positiveInt('maxBufferedMessages', maxBufferedMessages);
  positiveInt('maxBufferedBytes', maxBufferedBytes);
  return { ...merged, maxBufferedMessages, maxBufferedBytes };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function positiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw invalidOption(name, `must be a positive integer, got ${value}`);
}

function invalidOption(name: string, why: string): PublisherOptionsError {
  return new PublisherOptionsError(`publisher option ${name} ${why}`, { option: name });
}
