/**
 * Produce (v3–v7, record batch v2). Per partition:
 *
 *   topic (auto-create) ─▶ scan batches, CRC-32C each ─▶ header checks ─▶ appendChecked (idempotent sequence check) ─▶ offsets
 *
 * Header checks include Kafka's message.max.bytes: a batch larger than
 * `messageMaxBytes` (its bytes as sent, i.e. after compression) fails the
 * partition with MESSAGE_TOO_LARGE, nothing of it appended.
 *
 * Partitions are appended concurrently; each partition's log serializes its
 * own appends. acks=0 gets no response, and a failure then closes the
 * connection (Kafka's way of telling such a producer). acks=-1 equals
 * acks=1 on a single node.
 */
import type { PartitionLog } from '@lakestream/log';
import {
  BATCH_ATTRIBUTES,
  ERROR_CODES,
  errorName,
  isProtocolError,
  kafkaErrorCodeFor,
  scanBatches,
  type API_KEYS,
  type BatchSpan,
  type ProducePartitionData,
  type ProducePartitionResponse,
} from '@lakestream/protocol';
import { CloseConnection, NO_RESPONSE, type Handler, type HandlerContext } from './context.js';
import { logFailureCode } from './error-codes.js';
import { checkProducerSequence } from './produce-sequence.js';
import { lookupTopic } from './topics.js';

const VALID_ACKS = new Set([0, 1, -1]);

export const handleProduce: Handler<typeof API_KEYS.Produce> = async (ctx, { body }) => {
  const refused = body.transactionalId !== null ? ERROR_CODES.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : !VALID_ACKS.has(body.acks) ? ERROR_CODES.INVALID_REQUIRED_ACKS : undefined;
  const responses = await Promise.all(
    body.topicData.map(async (topic) => {
      const found = refused === undefined ? await lookupTopic(ctx, topic.name, true) : ({ ok: false, errorCode: refused } as const);
      const partitionResponses = await Promise.all(
        topic.partitionData.map((p) => (found.ok ? producePartition(ctx, topic.name, p) : failed(p.index, found.errorCode))),
      );
      return { name: topic.name, partitionResponses };
    }),
  );
  if (body.acks !== 0) return { responses, throttleTimeMs: 0 };
  for (const t of responses) {
    const bad = t.partitionResponses.find((p) => p.errorCode !== ERROR_CODES.NONE);
    if (bad) return new CloseConnection(`acks=0 produce to ${t.name}-${bad.index} failed with ${errorName(bad.errorCode) ?? bad.errorCode}`);
  }
  return NO_RESPONSE;
};

async function producePartition(ctx: HandlerContext, topic: string, data: ProducePartitionData): Promise<ProducePartitionResponse> {
  const log = ctx.logs.partition(topic, data.index);
  if (!log) return failed(data.index, ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
  const records = data.records;
  if (records === null || records.length === 0) return failed(data.index, ERROR_CODES.CORRUPT_MESSAGE);
  let batches: BatchSpan[];
  try {
    const scan = scanBatches(records, { verifyCrc: true });
    if (scan.partialBytes > 0 || scan.batches.length === 0) return failed(data.index, ERROR_CODES.CORRUPT_MESSAGE);
    batches = scan.batches;
  } catch (e) {
    if (!isProtocolError(e)) throw e;
    return failed(data.index, kafkaErrorCodeFor(e.code));
  }
  for (const { header, size } of batches) {
    if (size > ctx.messageMaxBytes) return failed(data.index, ERROR_CODES.MESSAGE_TOO_LARGE);
    if (header.recordCount < 1 || header.lastOffsetDelta !== header.recordCount - 1) return failed(data.index, ERROR_CODES.CORRUPT_MESSAGE);
    if ((header.attributes & (BATCH_ATTRIBUTES.transactional | BATCH_ATTRIBUTES.control)) !== 0) return failed(data.index, ERROR_CODES.INVALID_TXN_STATE);
  }
  return appendAll(ctx, log, data.index, records, batches);
}

async function appendAll(ctx: HandlerContext, log: PartitionLog, index: number, records: Uint8Array, batches: readonly BatchSpan[]): Promise<ProducePartitionResponse> {
  let first: ProducePartitionResponse | undefined;
  for (const span of batches) {
    let answer: ProducePartitionResponse;
    try {
      const result = await log.appendChecked(records.subarray(span.offset, span.offset + span.size), checkProducerSequence);
      if (result.ok) {
        const a = result.appended;
        answer = { index, errorCode: ERROR_CODES.NONE, baseOffset: BigInt(a.baseOffset), logAppendTimeMs: BigInt(a.logAppendTime), logStartOffset: BigInt(a.logStartOffset) };
      } else if (result.rejection.kind === 'duplicate') {
        // Kafka answers a retried batch it still remembers with success and the offset it got the first time.
        answer = { index, errorCode: ERROR_CODES.NONE, baseOffset: BigInt(result.rejection.batch.firstOffset), logAppendTimeMs: -1n, logStartOffset: BigInt(log.logStartOffset) };
      } else {
        return failed(index, ERROR_CODES[result.rejection.error]);
      }
    } catch (e) {
      return failed(index, logFailureCode(ctx, e));
    }
    first ??= answer;
  }
  return first ?? failed(index, ERROR_CODES.CORRUPT_MESSAGE);
}

function failed(index: number, errorCode: number): ProducePartitionResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n };
}
