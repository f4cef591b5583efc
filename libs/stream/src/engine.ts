/**
 * The micro-batch engine: a kafkajs consumer group feeds a bounded buffer;
 * a trigger loop takes batches from it and commits them to every table
 * exactly once (offsets live in each table's Delta txn, see offsets.ts).
 *
 *   fetch side   eachBatch: drop what a pending seek makes stale or what is
 *                below the partition's position, buffer the rest, and block
 *                (heartbeating) while the buffer holds `bufferedBatches`
 *                batches' worth: fetching pauses while batches are written.
 *   batch side   trigger (interval, or at once when a batch's worth is
 *                buffered) → take → runBatch (commit-batch.ts) → Kafka
 *                offsets committed for lag tools → hooks.
 *   assignment   GROUP_JOIN: revoked partitions' buffered records dropped;
 *                new ones prepared (tables refreshed, resume = smallest
 *                stored offset + 1) and sought before any record is taken.
 *   fence        another writer moved a txn: buffer dropped, every assigned
 *                partition prepared again from what the tables hold.
 */
import type { Admin, Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { RecordBuffer, type TakenBatch } from './buffer.js';
import { runBatch } from './commit-batch.js';
import { StreamError } from './errors.js';
import { PartitionBook, topicWatermarks } from './partitions.js';
import { tpKey, type SourceRecord, type TopicPartition } from './record.js';
import type { BatchReport, PartitionLag, StreamOptions, StreamSummary } from './types.js';

const DEFAULTS = { triggerMs: 5000, maxOffsetsPerTrigger: 10_000, maxBytesPerTrigger: 64 * 1024 * 1024, bufferedBatches: 2 };

export class StreamEngine {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly book: PartitionBook;
  private readonly buffer = new RecordBuffer();
  private readonly abort = new AbortController();
  private readonly o: Required<Pick<StreamOptions, 'triggerMs' | 'maxOffsetsPerTrigger' | 'maxBytesPerTrigger' | 'bufferedBatches'>> & StreamOptions;
  private stopping = false;
  private joined = false;
  private failure: unknown;
  private wakeUp: (() => void) | undefined;
  private drained: (() => void) | undefined;
  private endOffsets: Map<string, number> | undefined;
  private lastRecordAt = Date.now();
  private batches = 0;
  private records = 0;
  private fences = 0;
  private readonly rows: Record<string, number> = {};
  /** Settles when the engine has ended (caught up in once mode, stopped, or failed) and left the group. */
  readonly done: Promise<StreamSummary>;

  private constructor(options: StreamOptions) {
    this.o = { ...DEFAULTS, ...stripUndefined(options) };
    validateOptions(this.o);
    this.book = new PartitionBook(options.appId, options.tables, options.topics);
    const c = options.consumer ?? {};
    this.consumer = options.kafka.consumer({
      groupId: options.appId,
      ...(c.sessionTimeout === undefined ? {} : { sessionTimeout: c.sessionTimeout }),
      ...(c.rebalanceTimeout === undefined ? {} : { rebalanceTimeout: c.rebalanceTimeout }),
      ...(c.heartbeatInterval === undefined ? {} : { heartbeatInterval: c.heartbeatInterval }),
      ...(c.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: c.maxBytesPerPartition }),
      ...(c.maxBytes === undefined ? {} : { maxBytes: c.maxBytes }),
      maxWaitTimeInMs: c.maxWaitTimeInMs ?? 250,
    });
    this.admin = options.kafka.admin();
    this.done = new Promise<StreamSummary>((resolve) => {
      this.finish = resolve;
    });
  }

  private finish: (summary: StreamSummary) => void = () => undefined;

  /** Connects, joins the group and starts the trigger loop. */
  static async start(options: StreamOptions): Promise<StreamEngine> {
    const engine = new StreamEngine(options);
    await engine.connect();
    void engine.loop();
    return engine;
  }

  /**
   * First call: finish the batch in flight, commit, leave the group.
   * Second call: abandon the batch in flight (its tables that did not commit
   * yet replay it next start).
   */
  stop(): Promise<StreamSummary> {
    if (this.stopping) this.abort.abort();
    this.stopping = true;
    this.wake();
    this.drained?.();
    return this.done;
  }

  private async connect(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.GROUP_JOIN, (e) => this.onJoin(e.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.fail(new StreamError('KAFKA_ERROR', `the Kafka consumer crashed: ${e.payload.error.message}`, {}, { cause: e.payload.error }));
    });
    try {
      await this.admin.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.o.topics], fromBeginning: this.o.startingOffsets !== 'latest' });
      if (this.o.once) this.endOffsets = await this.readEndOffsets();
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch: (p) => this.onFetched(p) });
    } catch (cause) {
      await this.close();
      throw cause instanceof StreamError ? cause : new StreamError('KAFKA_ERROR', `cannot start consuming ${this.o.topics.join(', ')}: ${String(cause)}`, {}, { cause });
    }
  }

  private async readEndOffsets(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const topic of this.o.topics) for (const [p, m] of await topicWatermarks(this.admin, topic)) out.set(tpKey(topic, p), m.high);
    return out;
  }

  private onJoin(assignment: Record<string, number[]>): void {
    this.joined = true;
    const now = new Set<string>();
    const assigned: TopicPartition[] = [];
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        now.add(tpKey(topic, partition));
        assigned.push({ topic, partition });
      }
    }
    const revoked = this.book.assigned().filter((st) => !now.has(tpKey(st.topic, st.partition)));
    if (revoked.length > 0) {
      this.book.remove(revoked);
      const dropped = this.buffer.retain((topic, partition) => now.has(tpKey(topic, partition)));
      this.o.processor.onRevoked?.(revoked.map(({ topic, partition }) => ({ topic, partition })));
      this.log(`revoked ${revoked.map((r) => tpKey(r.topic, r.partition)).join(', ')} (${dropped} buffered records dropped)`);
    }
    const added = assigned.filter((tp) => this.book.get(tp.topic, tp.partition) === undefined);
    if (added.length > 0) this.prepare(added);
    this.wake();
  }

  /** (Re)prepares partitions: pending until the tables say where each resumes; then sought there. */
  private prepare(tps: readonly TopicPartition[]): void {
    const ready = (async () => {
      const points = await this.book.resumePoints(tps, this.o.startingOffsets ?? 'earliest', (topic) => topicWatermarks(this.admin, topic));
      await this.o.processor.onAssigned?.(points);
      // Where each partition ends now (the rebuild may have taken a while): "caught up" is judged against it until a
      // fetch says more, so a partition whose records were not fetched yet never looks caught up.
      const ends = new Map<string, number>();
      for (const topic of new Set(points.map((p) => p.topic))) for (const [partition, m] of await topicWatermarks(this.admin, topic)) ends.set(tpKey(topic, partition), m.high);
      this.book.markReady(points, this.consumer);
      for (const p of points) {
        const st = this.book.get(p.topic, p.partition);
        const end = ends.get(tpKey(p.topic, p.partition));
        if (st !== undefined && end !== undefined && BigInt(end) > st.highWatermark) st.highWatermark = BigInt(end);
      }
      // The idle clock starts when records can arrive, not while the tables were being read.
      this.lastRecordAt = Date.now();
      this.o.hooks?.onResume?.(points);
      this.wake();
    })();
    ready.catch((e: unknown) => this.fail(e));
    this.book.setPending(tps, ready);
  }

  private async onFetched({ batch, heartbeat, isStale, isRunning }: EachBatchPayload): Promise<void> {
    const st = this.book.get(batch.topic, batch.partition);
    if (st === undefined || this.stopping) return;
    if (st.status === 'pending') {
      // The tables are being read (resume offsets, the processor's state rebuild): heartbeat meanwhile, or a slow
      // rebuild stalls the group (no heartbeat: a session timeout; a joining member waits for us to rejoin).
      let settled = false;
      const ready = st.ready.then(() => undefined, () => undefined).finally(() => (settled = true));
      while (!settled && isRunning() && !this.stopping) {
        await Promise.race([ready, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
        if (!settled) await heartbeat();
      }
      return; // the seek markReady made replaces this fetch
    }
    if (isStale()) return;
    st.highWatermark = BigInt(batch.highWatermark);
    const records: SourceRecord[] = [];
    for (const m of batch.messages) {
      const offset = BigInt(m.offset);
      if (offset >= st.next) records.push(toRecord(batch.topic, batch.partition, offset, m));
    }
    const last = records[records.length - 1];
    if (last !== undefined) {
      st.next = last.offset + 1n;
      this.lastRecordAt = Date.now();
      this.buffer.push(records);
      this.wake();
    }
    // Backpressure: hold the fetch loop while enough is buffered, heartbeating so the group keeps us.
    while (this.overBuffered() && !this.stopping && isRunning() && this.book.get(batch.topic, batch.partition) === st) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        setTimeout(resolve, 1000).unref();
      });
      this.drained = undefined;
      await heartbeat();
    }
  }

  private overBuffered(): boolean {
    const n = this.o.bufferedBatches;
    return this.buffer.records >= n * this.o.maxOffsetsPerTrigger || this.buffer.bytes >= n * this.o.maxBytesPerTrigger;
  }

  private async loop(): Promise<void> {
    let reason: StreamSummary['reason'] = 'stopped';
    let lastTrigger = 0;
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        if (this.stopping) break;
        if (this.o.once && this.caughtUp()) {
          reason = 'caught-up';
          break;
        }
        const now = Date.now();
        if (this.o.idleTimeoutMs !== undefined && this.buffer.records === 0 && now - this.lastRecordAt >= this.o.idleTimeoutMs && this.caughtUpToHighWatermarks()) {
          reason = 'idle';
          break;
        }
        const full = this.buffer.records >= this.o.maxOffsetsPerTrigger || this.buffer.bytes >= this.o.maxBytesPerTrigger;
        const due = this.buffer.records > 0 && (now - lastTrigger >= this.o.triggerMs || (this.o.once === true && this.fetchedToEnd()));
        if (!full && !due) {
          const idleCheck = this.o.idleTimeoutMs === undefined ? this.o.triggerMs : Math.min(this.o.triggerMs, Math.max(50, this.o.idleTimeoutMs - (now - this.lastRecordAt)));
          await this.sleep(this.buffer.records > 0 ? this.o.triggerMs - (now - lastTrigger) : idleCheck);
          continue;
        }
        lastTrigger = now;
        const taken = this.buffer.take(this.o.maxOffsetsPerTrigger, this.o.maxBytesPerTrigger);
        this.drained?.();
        await this.batch(taken);
      }
    } catch (error) {
      reason = this.abort.signal.aborted ? 'abandoned' : 'failed';
      this.failure = error;
    }
    if (this.abort.signal.aborted && reason === 'stopped') reason = 'abandoned';
    await this.close();
    this.finish({
      batches: this.batches, records: this.records, rowsByTable: { ...this.rows }, fences: this.fences, reason,
      ...(reason === 'failed' ? { error: this.failure } : {}),
    });
  }

  private async batch(taken: TakenBatch): Promise<void> {
    if (taken.records.length === 0) return;
    const batchId = ++this.batches;
    const started = new Date();
    const t0 = performance.now();
    const outcome = await runBatch(
      { appId: this.o.appId, tables: this.o.tables, book: this.book, processor: this.o.processor, signal: this.abort.signal, fencing: this.o.fencing !== false },
      batchId,
      taken,
    );
    if (outcome.kind === 'fenced') {
      this.fences++;
      const partitions = this.book.assigned().map(({ topic, partition }) => ({ topic, partition }));
      this.o.hooks?.onFenced?.({ batchId, table: outcome.table, detail: outcome.detail, partitions: taken.ranges.map(({ topic, partition }) => ({ topic, partition })) });
      this.log(`batch ${batchId} fenced on ${outcome.table}: ${outcome.detail}; re-reading ${partitions.length} partitions from the tables`);
      this.buffer.clear();
      this.drained?.();
      this.prepare(partitions);
      return;
    }
    this.records += taken.records.length;
    for (const t of outcome.tables) this.rows[t.name] = (this.rows[t.name] ?? 0) + t.rows;
    const lag: PartitionLag[] = [];
    const commits: { topic: string; partition: number; offset: string }[] = [];
    for (const r of taken.ranges) {
      const st = this.book.get(r.topic, r.partition);
      const committed = this.book.committedOffset(r.topic, r.partition);
      if (st !== undefined) st.committed = committed;
      commits.push({ topic: r.topic, partition: r.partition, offset: String(committed + 1) });
    }
    for (const st of this.book.assigned()) {
      if (st.highWatermark < 0n) continue;
      lag.push({ topic: st.topic, partition: st.partition, highWatermark: st.highWatermark, committed: st.committed, lag: Math.max(0, Number(st.highWatermark) - st.committed - 1) });
    }
    if (this.o.commitKafkaOffsets !== false) {
      // Informational only (the Delta txns are the truth): a rebalance in progress may refuse it.
      await this.consumer.commitOffsets(commits).catch((e: unknown) => this.log(`Kafka offset commit skipped: ${e instanceof Error ? e.message : String(e)}`));
    }
    const report: BatchReport = {
      batchId, records: taken.records.length, bytes: taken.bytes, ranges: taken.ranges, startedAt: started,
      durationSeconds: (performance.now() - t0) / 1000, processSeconds: outcome.processSeconds, tables: outcome.tables, lag,
    };
    this.o.hooks?.onBatch?.(report);
  }

  /** Once mode: every assigned partition's tables hold everything up to the end offsets read at start. */
  private caughtUp(): boolean {
    if (!this.joined || this.endOffsets === undefined) return false;
    return this.book.assigned().every((st) => st.status === 'ready' && st.committed + 1 >= (this.endOffsets?.get(tpKey(st.topic, st.partition)) ?? 0));
  }

  /** Every assigned partition is ready and its tables hold everything below the last high watermark the fetch saw. */
  private caughtUpToHighWatermarks(): boolean {
    if (!this.joined) return false;
    return this.book.assigned().every((st) => st.status === 'ready' && (st.highWatermark < 0n || BigInt(st.committed + 1) >= st.highWatermark));
  }

  private fetchedToEnd(): boolean {
    if (this.endOffsets === undefined) return false;
    return this.book.assigned().every((st) => st.status === 'ready' && Number(st.next) >= (this.endOffsets?.get(tpKey(st.topic, st.partition)) ?? 0));
  }

  private fail(error: unknown): void {
    if (this.failure === undefined) this.failure = error;
    this.wake();
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(1, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async close(): Promise<void> {
    // Leaves the group (LeaveGroup), so the other members take the partitions at once.
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  private log(message: string): void {
    this.o.hooks?.onLog?.(message);
  }
}

function toRecord(topic: string, partition: number, offset: bigint, m: KafkaMessage): SourceRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  const key = m.key ?? null;
  const value = m.value ?? null;
  return { topic, partition, offset, timestamp: BigInt(m.timestamp), key, value, headers, size: (key?.length ?? 0) + (value?.length ?? 0) };
}

function validateOptions(o: StreamOptions & typeof DEFAULTS): void {
  const positive = (name: keyof typeof DEFAULTS): void => {
    const v = o[name];
    if (!Number.isFinite(v) || v <= 0) throw new StreamError('INVALID_OPTIONS', `${name} must be a positive number, got ${String(v)}`, { option: name });
  };
  positive('triggerMs');
  positive('maxOffsetsPerTrigger');
  positive('maxBytesPerTrigger');
  positive('bufferedBatches');
  if (o.appId.length === 0) throw new StreamError('INVALID_OPTIONS', 'appId must not be empty', { option: 'appId' });
  if (o.topics.length === 0) throw new StreamError('INVALID_OPTIONS', 'at least one topic is needed', { option: 'topics' });
  const names = new Set<string>();
  for (const t of o.tables) {
    if (names.has(t.name)) throw new StreamError('INVALID_OPTIONS', `table name ${t.name} is used twice`, { option: 'tables' });
    names.add(t.name);
    for (const topic of t.topics ?? []) {
      if (!o.topics.includes(topic)) throw new StreamError('INVALID_OPTIONS', `table ${t.name} reads topic ${topic}, which the stream does not subscribe to`, { option: 'tables' });
    }
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
