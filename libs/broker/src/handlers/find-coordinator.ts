/**
 * FindCoordinator: this broker coordinates every group. Transactions are not
 * supported, so a transaction coordinator (key type 1) is
 * COORDINATOR_NOT_AVAILABLE, with a message saying why.
 */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';

const GROUP = 0;

export const handleFindCoordinator: Handler<typeof API_KEYS.FindCoordinator> = (ctx, { body }) => {
  const { nodeId, host, port } = ctx.node;
  if (body.keyType !== GROUP) {
    return {
      throttleTimeMs: 0,
      errorCode: ERROR_CODES.COORDINATOR_NOT_AVAILABLE,
      errorMessage: 'transactions are not supported by the lakestream embedded broker',
      nodeId: -1,
      host: '',
      port: -1,
    };
  }
  return { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, errorMessage: null, nodeId, host, port };
};
