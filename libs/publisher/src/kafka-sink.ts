import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, LogEntry, Producer, RecordMetadata } from 'kafkajs';
import { BrokerUnreachableError, IdempotenceUnavailableError, PublishError, type PublisherError } from './errors.js';
import type { PublisherLogEntry, PublisherLogLevel, ResolvedPublisherOptions } from './options.js';
import { registerSnappyCodec } from './snappy.js';

const { Kafka, CompressionTypes, Partitioners, logLevel: KafkaLogLevel } = kafkajs;

/** One message as handed to Kafka. */
export interface OutgoingMessage {
  readonly key: string | Buffer | null;
  readonly value: Buffer;
  /** key + value bytes, for batch and buffer limits. */
  readonly size: number;
}

/** Where a lane sends its batches. One sink = one idempotent producer session (one producer id). */
export interface BatchSink {
  send(messages: readonly OutgoingMessage[]): Promise<readonly RecordMetadata[]>;
  /** Drops the producer session and opens a new one (new producer id); see Lane for why. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const COMPRESSION = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
} as const;

const LOG_LEVELS: Record<PublisherLogLevel, kafkajs.logLevel> = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
};

const LEVEL_NAMES: Record<number, PublisherLogEntry['level']> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warns that bounded retries "may invalidate EoS guarantees". We bound
 * them on purpose (a dead broker must surface as an error) and restore the
 * guarantee another way: a lane whose batch failed resets its producer id
 * before sending again, so no later batch can reuse the failed batch's
 * sequence numbers.
 */
const SUPPRESSED_WARNINGS = [/Limiting retries for the idempotent producer/];

/** The kafkajs client shared by the lanes of one publisher (connections are per producer). */
export function createKafkaClient(options: ResolvedPublisherOptions): KafkaClient {
  if (options.compression === 'snappy') registerSnappyCodec();
  const sink = options.log ?? ((entry: PublisherLogEntry) => process.stderr.write(`[kafkajs ${entry.level}] ${entry.namespace}: ${entry.message}\n`));
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    // Connection attempts fail fast (refused: at once; silent host: after this), and the
    // cluster-level retry gives up after ~2-3 s of backoff; connect() also has a hard deadline.
    connectionTimeout: Math.min(3_000, Math.max(250, Math.floor(options.connectTimeoutMs / 4))),
    requestTimeout: options.requestTimeoutMs,
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
    logLevel: LOG_LEVELS[options.logLevel],
    logCreator: () => (entry: LogEntry) => {
      const level = LEVEL_NAMES[entry.level];
      if (!level) return;
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry.log as unknown as Record<string, unknown>;
      const text = String(message);
      if (SUPPRESSED_WARNINGS.some((pattern) => pattern.test(text))) return;
      sink({ level, namespace: entry.namespace, message: text, extra });
    },
  });
}

/** A BatchSink on one kafkajs producer. */
export class KafkaBatchSink implements BatchSink {
  private producer: Producer | undefined;

  private constructor(
    private readonly kafka: KafkaClient,
    private readonly options: ResolvedPublisherOptions,
  ) {}

  /** Creates and connects a sink; BrokerUnreachableError after connectTimeoutMs. */
  static async open(kafka: KafkaClient, options: ResolvedPublisherOptions): Promise<KafkaBatchSink> {
    const sink = new KafkaBatchSink(kafka, options);
    await sink.connect();
    return sink;
  }

  async send(messages: readonly OutgoingMessage[]): Promise<readonly RecordMetadata[]> {
    const producer = this.producer;
    if (!producer) throw new PublishError('producer is not connected', { topic: this.options.topic, messages: messages.length }, { retriable: true });
    try {
      return await producer.send({
        topic: this.options.topic,
        acks: -1,
        timeout: this.options.requestTimeoutMs,
        compression: COMPRESSION[this.options.compression],
        messages: messages.map((m) => ({ key: m.key, value: m.value })),
      });
    } catch (cause) {
      throw toPublishError(cause, this.options.topic, messages.length);
    }
  }

  async reset(): Promise<void> {
    await this.disconnect();
    await this.connect();
  }

  async close(): Promise<void> {
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await withTimeout(producer.disconnect().catch(() => undefined), this.options.requestTimeoutMs);
  }

  private async connect(): Promise<void> {
    const { options } = this;
    const producer = this.kafka.producer({
      idempotent: options.idempotent,
      // Java's murmur2 partitioner: the same key lands on the same partition as with Kafka's own clients.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      retry: { retries: options.retries, initialRetryTime: 250, maxRetryTime: 4_000 },
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BrokerUnreachableError(options.brokers, `no answer within ${options.connectTimeoutMs} ms`, { topic: options.topic })), options.connectTimeoutMs);
    });
    const connecting = producer.connect();
    // If the deadline wins, kafkajs keeps retrying in the background for a moment; its rejection must not go unhandled.
    connecting.catch(() => undefined);
    try {
      await Promise.race([connecting, deadline]);
      this.producer = producer;
    } catch (cause) {
      // kafkajs's disconnect waits for the stuck request; do not let it hold up the error.
      void producer.disconnect().catch(() => undefined);
      throw toConnectError(cause, options);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toConnectError(cause: unknown, options: ResolvedPublisherOptions): PublisherError {
  if (cause instanceof BrokerUnreachableError) return cause;
  const error = cause as { name?: string; message?: string };
  if (options.idempotent && error.name === 'KafkaJSBrokerNotFound') {
    return new IdempotenceUnavailableError(
      `the cluster at ${options.brokers.join(', ')} answered but cannot serve the idempotent producer: kafkajs sends InitProducerId to the controller, and the cluster names a controller that is not one of its brokers (librdkafka's mock cluster does this); use a real Kafka or disable idempotence (${error.message ?? String(cause)})`,
      { brokers: options.brokers, topic: options.topic },
      { cause },
    );
  }
  return new BrokerUnreachableError(options.brokers, describe(cause), { cause, topic: options.topic });
}

function toPublishError(cause: unknown, topic: string, messages: number): PublishError {
  const error = cause as { name?: string; message?: string; retriable?: boolean; partition?: unknown };
  const partition = typeof error.partition === 'number' ? error.partition : undefined;
  return new PublishError(
    `publishing ${messages} messages to ${topic}${partition === undefined ? '' : ` [${partition}]`} failed: ${describe(cause)}`,
    { topic, messages, ...(partition === undefined ? {} : { partition }) },
    { cause, retriable: error.retriable !== false },
  );
}

/** kafkajs wraps the root cause (e.g. ECONNREFUSED) in retry errors; show the innermost message too. */
function describe(cause: unknown): string {
  const outer = cause instanceof Error ? cause.message : String(cause);
  let inner: unknown = cause;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const innermost = inner instanceof Error ? inner.message : outer;
  return innermost === outer ? outer : `${outer} (${innermost})`;
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
