/**
 * InitProducerId for idempotent producers: a fresh, durable-unique id with
 * epoch 0 every time, as Kafka does for a null transactional id (a producer
 * presenting its old id and epoch, KIP-360, also gets a new id).
 * Transactional ids are refused: transactions are not supported.
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

export const handleInitProducerId: Handler<typeof API_KEYS.InitProducerId> = async (ctx, { body }) => {
  if (body.transactionalId !== null) {
    return { throttleTimeMs: 0, errorCode: ERROR_CODES.COORDINATOR_NOT_AVAILABLE, producerId: -1n, producerEpoch: -1 };
  }
  const producerId = await ctx.producerIds.next();
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, producerId: BigInt(producerId), producerEpoch: 0 };
};
