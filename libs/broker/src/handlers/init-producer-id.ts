/**
 * InitProducerId for idempotent producers: a fresh, durable-unique id with
 * epoch 0 every time, as Kafka does for a null transactional id (a producer
 * presenting its old id and epoch, KIP-360, also gets a new id).
 * Transactional ids are refused with a fatal code (no-transactions.ts).
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';
import { TRANSACTIONS_REFUSED_CODE } from './no-transactions.js';

export const handleInitProducerId: Handler<typeof API_KEYS.InitProducerId> = async (ctx, { body, connection }) => {
  if (body.transactionalId !== null) {
    ctx.reportTransactionsRefused(body.transactionalId, connection);
    return { throttleTimeMs: 0, errorCode: TRANSACTIONS_REFUSED_CODE, producerId: -1n, producerEpoch: -1 };
  }
  const producerId = await ctx.producerIds.next();
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, producerId: BigInt(producerId), producerEpoch: 0 };
};
