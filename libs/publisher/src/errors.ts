/**
 * Typed publisher failures. Callers branch on `code`; `retriable` says whether
 * trying again later can succeed; `context` names the Kafka coordinates.
 */
export type PublisherErrorCode =
  | 'BROKER_UNREACHABLE'
  | 'IDEMPOTENCE_UNAVAILABLE'
  | 'PUBLISH_FAILED'
  | 'PUBLISHER_CLOSED'
  | 'INVALID_OPTIONS';

export interface PublisherErrorContext {
  readonly brokers?: readonly string[];
  readonly topic?: string;
  readonly partition?: number;
  /** Messages in the failed batch. */
  readonly messages?: number;
  readonly [key: string]: unknown;
}

export abstract class PublisherError extends Error {
  abstract readonly code: PublisherErrorCode;
  abstract readonly retriable: boolean;
  readonly context: PublisherErrorContext;

  constructor(message: string, context: PublisherErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** No broker of the bootstrap list answered within the connect timeout. */
export class BrokerUnreachableError extends PublisherError {
  readonly code = 'BROKER_UNREACHABLE';
  readonly retriable = true;
  readonly brokers: readonly string[];

  constructor(brokers: readonly string[], detail: string, options?: { cause?: unknown; topic?: string }) {
    super(`no Kafka broker reachable at ${brokers.join(', ')}: ${detail}`, { brokers, ...(options?.topic ? { topic: options.topic } : {}) }, options);
    this.brokers = brokers;
  }
}

/**
 * The cluster cannot give the idempotent producer an id: kafkajs asks the
 * controller, and some Kafka-protocol servers (librdkafka's mock cluster)
 * report a controller that is not one of their brokers.
 */
export class IdempotenceUnavailableError extends PublisherError {
  readonly code = 'IDEMPOTENCE_UNAVAILABLE';
  readonly retriable = false;
}

/** A batch was not acknowledged (after kafkajs's retries); its messages may or may not have been written. */
export class PublishError extends PublisherError {
  readonly code = 'PUBLISH_FAILED';
  readonly retriable: boolean;

  constructor(message: string, context: PublisherErrorContext, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, context, options);
    this.retriable = options?.retriable ?? true;
  }
}

/** send() after close(). */
export class PublisherClosedError extends PublisherError {
  readonly code = 'PUBLISHER_CLOSED';
  readonly retriable = false;
}

/** Options out of range; apps validate at the edge, this guards library users. */
export class PublisherOptionsError extends PublisherError {
  readonly code = 'INVALID_OPTIONS';
  readonly retriable = false;
}

export function isPublisherError(error: unknown): error is PublisherError {
  return error instanceof PublisherError;
}
