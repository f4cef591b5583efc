/**
 * FindCoordinator: this broker coordinates every group. Transactions are not
 * supported, so a transaction coordinator (key type 1) is refused with a fatal
 * code and a message saying why (no-transactions.ts).
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';
import { TRANSACTIONS_REFUSED_CODE, TRANSACTIONS_REFUSED_REASON } from './no-transactions.js';

const GROUP = 0;

export const handleFindCoordinator: Handler<typeof API_KEYS.FindCoordinator> = (ctx, { body, connection }) => {
  const { nodeId, host, port } = ctx.node;
  if (body.keyType !== GROUP) {
    ctx.reportTransactionsRefused(body.key, connection);
    return {
      throttleTimeMs: 0,
      errorCode: TRANSACTIONS_REFUSED_CODE,
      errorMessage: TRANSACTIONS_REFUSED_REASON,
      nodeId: -1,
      host: '',
      port: -1,
    };
  }
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, errorMessage: null, nodeId, host, port };
};
