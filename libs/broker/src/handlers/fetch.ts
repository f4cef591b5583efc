/**
 * Fetch (v4–v11), a long poll:
 *
 *   subscribe to appends ─▶ read every partition ─▶ enough bytes (min_bytes), an error,
 *   the deadline (max_wait_ms) or shutdown? ── no ─▶ wait for appends ─▶ read again
 *                                              └─ yes ─▶ trim to partition/response max_bytes ─▶ respond
 *
 * Limits follow KIP-74: whole batches only, within partition_max_bytes and
 * what is left of the response's max_bytes, except that the first batch of
 * the first partition with data is always returned, however large, so a
 * consumer always progresses. No fetch sessions: session id 0 is answered
 * (KIP-227 lets a broker decline to create one). No transactions, so the
 * last stable offset is the high watermark.
 */
import type { PartitionLog, ReadResult } from '@lakestream/log';
import { batchSizeAt, ERROR_CODES, type API_KEYS, type FetchPartitionData, type FetchRequest, type FetchResponse } from '@lakestream/protocol';
import type { Handler, HandlerContext } from './context.js';
import { logFailureCode, safeNumber } from './error-codes.js';
import { AppendWaiter } from './long-poll.js';

const READ_COMMITTED = 1;
const EMPTY = new Uint8Array(0);

interface PartitionRead {
  readonly topic: string;
  readonly partition: number;
  readonly partitionMaxBytes: number;
  /** A read, or the error code to answer with. */
  readonly result: ReadResult | number;
}

export const handleFetch: Handler<typeof API_KEYS.Fetch> = async (ctx, { body, signal }) => {
  if (body.sessionId !== 0) return { throttleTimeMs: 0, errorCode: ERROR_CODES.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] };
  const maxWait = Math.max(0, body.maxWaitMs);
  const deadline = ctx.now() + maxWait;
  const logs = new Set<PartitionLog>();
  for (const t of body.topics) for (const p of t.partitions) {
    const log = ctx.logs.partition(t.topic, p.partition);
    if (log) logs.add(log);
  }
  const waiter = maxWait > 0 && body.minBytes > 0 ? new AppendWaiter(logs) : undefined;
  try {
    for (;;) {
      waiter?.reset();
      const reads = await readAll(ctx, body);
      const response = assemble(body, reads);
      const now = ctx.now();
      const done = !waiter || response.bytes >= body.minBytes || response.failed || now >= deadline || signal.aborted;
      if (done) return response.body;
      await waiter.wait(body.minBytes - response.bytes, deadline, now, signal);
    }
  } finally {
    waiter?.close();
  }
};

function readAll(ctx: HandlerContext, body: FetchRequest): Promise<PartitionRead[]> {
  const jobs: Promise<PartitionRead>[] = [];
  for (const t of body.topics) {
    for (const p of t.partitions) {
      const partitionMaxBytes = Math.max(0, p.partitionMaxBytes);
      const read = async (): Promise<ReadResult | number> => {
        const log = ctx.logs.partition(t.topic, p.partition);
        if (!log) return ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION;
        const offset = safeNumber(p.fetchOffset);
        if (offset === undefined) {
          return { ok: false, code: 'OFFSET_OUT_OF_RANGE', fetchOffset: -1, logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset };
        }
        try {
          return await log.read(offset, Math.max(1, Math.min(partitionMaxBytes, body.maxBytes)));
        } catch (e) {
          return logFailureCode(ctx, e);
        }
      };
      jobs.push(read().then((result) => ({ topic: t.topic, partition: p.partition, partitionMaxBytes, result })));
    }
  }
  return Promise.all(jobs);
}

function assemble(body: FetchRequest, reads: readonly PartitionRead[]): { body: FetchResponse; bytes: number; failed: boolean } {
  let remaining = Math.max(0, body.maxBytes);
  let bytes = 0;
  let failed = false;
  let someData = false;
  const byTopic = new Map<string, FetchPartitionData[]>();
  for (const read of reads) {
    let data: FetchPartitionData;
    const r = read.result;
    if (typeof r === 'number') {
      failed = true;
      data = { partitionIndex: read.partition, errorCode: r, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: null, records: EMPTY };
    } else if (!r.ok) {
      failed = true;
      const hw = BigInt(r.logEndOffset);
      data = { partitionIndex: read.partition, errorCode: ERROR_CODES.OFFSET_OUT_OF_RANGE, highWatermark: hw, lastStableOffset: hw, logStartOffset: BigInt(r.logStartOffset), abortedTransactions: null, records: EMPTY };
    } else {
      let keep = wholeBatchesWithin(r.records, Math.min(read.partitionMaxBytes, remaining));
      if (keep === 0 && !someData && r.records.length > 0) keep = batchSizeAt(r.records, 0) ?? 0;
      if (keep > 0) someData = true;
      remaining = Math.max(0, remaining - keep);
      bytes += keep;
      const hw = BigInt(r.highWatermark);
      data = {
        partitionIndex: read.partition,
        errorCode: ERROR_CODES.NONE,
        highWatermark: hw,
        lastStableOffset: hw,
        logStartOffset: BigInt(r.logStartOffset),
        abortedTransactions: body.isolationLevel === READ_COMMITTED ? [] : null,
        records: keep > 0 ? r.records.subarray(0, keep) : EMPTY,
      };
    }
    let partitions = byTopic.get(read.topic);
    if (!partitions) byTopic.set(read.topic, (partitions = []));
    partitions.push(data);
  }
  const responses = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  return { body: { throttleTimeMs: 0, errorCode: ERROR_CODES.NONE, sessionId: 0, responses }, bytes, failed };
}

/** Bytes of the whole batches at the start of `records` that fit in `limit`. */
function wholeBatchesWithin(records: Uint8Array, limit: number): number {
  let at = 0;
  for (;;) {
    const size = batchSizeAt(records, at);
    if (size === undefined || size <= 0 || at + size > records.length || at + size > limit) return at;
    at += size;
  }
}
