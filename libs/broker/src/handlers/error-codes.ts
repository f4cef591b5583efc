/** From the names our libs speak (log results, coordinator errors, LogError) to Kafka wire codes. */
import { isLogError } from '@lakestream/log';
import { ERROR_CODES, type ErrorName } from '@lakestream/protocol';

export function code(name: ErrorName): number {
  return ERROR_CODES[name];
}

/**
 * The Kafka code for a failure thrown by the log while serving a partition.
 * STORAGE_ERROR → KAFKA_STORAGE_ERROR (retriable, as Kafka reports an
 * offline log dir); CLOSED → the topic was deleted meanwhile. Anything that
 * is not a LogError is a bug and is rethrown.
 */
export function logFailureCode(e: unknown): number {
  if (!isLogError(e)) throw e;
  switch (e.code) {
    case 'CLOSED':
      return ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION;
    case 'INVALID_BATCH':
      return ERROR_CODES.CORRUPT_MESSAGE;
    case 'INVALID_ARGUMENT':
    case 'INVALID_CONFIG':
      return ERROR_CODES.INVALID_REQUEST;
    case 'STORAGE_ERROR':
    case 'CORRUPT_FILE':
      return ERROR_CODES.KAFKA_STORAGE_ERROR;
  }
}

/** A JS-number offset (the log's) as a wire int64. */
export function big(n: number): bigint {
  return BigInt(n);
}

/** A wire int64 offset as a JS number, or undefined when it is beyond what the log can address. */
export function safeNumber(n: bigint): number | undefined {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : undefined;
}
