/** From the names our libs speak (log results, coordinator errors, LogError) to Kafka wire codes. */
import { isLogError } from '@lakestream/log';
import { ERROR_CODES } from '@lakestream/protocol';
import type { HandlerContext } from './context.js';

/**
 * The Kafka code for a failure thrown by the log while serving a partition.
 * STORAGE_ERROR → KAFKA_STORAGE_ERROR (retriable, as Kafka reports an
 * offline log dir); CLOSED → the topic was deleted meanwhile. Anything that
 * is not a LogError is a bug and is rethrown. Storage failures are also
 * reported to the operator: clients only see a retriable code.
 */
export function logFailureCode(ctx: Pick<HandlerContext, 'reportStorageFailure'>, e: unknown): number {
  if (!isLogError(e)) throw e;
  if (e.code === 'STORAGE_ERROR' || e.code === 'CORRUPT_FILE') ctx.reportStorageFailure(e);
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

/** A wire int64 offset as a JS number, or undefined when it is beyond what the log can address. */
export function safeNumber(n: bigint): number | undefined {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : undefined;
}
