/** DeleteTopics (v0–v1): removes the topic's partitions and every group's committed offsets for it. */
import { ERROR_CODES, type API_KEYS } from '@lakestream/protocol';
import type { Handler } from './context.js';
import { logFailureCode } from './error-codes.js';

export const handleDeleteTopics: Handler<typeof API_KEYS.DeleteTopics> = async (ctx, { body }) => {
  const responses: { name: string; errorCode: number }[] = [];
  for (const name of body.topicNames) {
    try {
      const deleted = await ctx.logs.deleteTopic(name);
      if (deleted.ok) await ctx.offsets.deleteTopic(name);
      responses.push({ name, errorCode: deleted.ok ? ERROR_CODES.NONE : ERROR_CODES[deleted.code] });
    } catch (e) {
      responses.push({ name, errorCode: logFailureCode(ctx, e) });
    }
  }
  return { throttleTimeMs: 0, responses };
};
