/**
 * Encoder threads shared by every write of the process. A write's columns
 * are packed once into shared memory; its files are dealt to the threads
 * by row count, and each file comes back (Parquet bytes transferred, stats)
 * as soon as it is encoded. Threads start on first use and never keep the
 * process alive while idle.
 */
import { Worker } from 'node:worker_threads';
import { SchemaMismatchError, SinkError, type SinkErrorCode } from '../errors.js';
import type { PackedColumns } from './column-pack.js';
import { DeltaDataError, ParquetError, type DataErrorCode, type DataErrorContext } from './errors.js';
import type { EncodedFile, RowSelection } from './encode-file.js';
import type { EncodeRequest, EncodeResponse, SerializedError, WarmRequest } from './encoder-protocol.js';

export interface PoolFile {
  readonly rows: RowSelection;
  readonly file: string;
}

interface Handlers {
  readonly onFile: (index: number, file: EncodedFile) => void;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface InFlight {
  /** The worker the request was posted to: only its death fails the request. */
  readonly worker: Worker;
  /** A file of the request, named in errors about the thread. */
  readonly file: string | undefined;
  readonly onFile: (index: number, file: EncodedFile) => void;
  readonly fail: (error: Error) => void;
}

/** Rows-equivalent of a file's fixed cost (schema, column writers, footer), for dealing files to threads. */
const FILE_COST_ROWS = 400;

class EncoderThread {
  private worker: Worker | undefined;
  /** Requests this thread still owes files for. */
  private readonly inFlight = new Map<number, InFlight>();
  /** warm() calls waiting for the thread's answer. */
  private readonly warming = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  /** Rows-equivalent of the work queued on this thread. */
  load = 0;

  send(request: EncodeRequest, cost: number, handlers: Handlers): void {
    const worker = this.worker ?? this.start();
    let remaining = request.files.length;
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      this.inFlight.delete(request.id);
      this.load -= cost;
      if (![...this.inFlight.values()].some((r) => r.worker === worker)) worker.unref();
      return true;
    };
    const fail = (error: Error): void => {
      if (finish()) handlers.reject(error);
    };
    this.inFlight.set(request.id, {
      worker,
      file: request.files[0]?.file,
      onFile: (index, file) => {
        try {
          handlers.onFile(index, file);
        } catch (error) {
          // The caller's callback threw (e.g. a store that fails synchronously): fail this write, not the thread.
          fail(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (--remaining === 0 && finish()) handlers.resolve();
      },
      fail,
    });
    this.load += cost;
    // Referenced only while it owes work: an idle pool never keeps the process alive.
    worker.ref();
    worker.postMessage(request);
  }

  /** Starts the thread if needed and resolves once it has loaded its modules (rejects if it fails to). */
  warm(id: number): Promise<void> {
    const worker = this.worker ?? this.start();
    return new Promise<void>((resolve, reject) => {
      this.warming.set(id, { resolve, reject });
      worker.ref();
      const request: WarmRequest = { id, warm: true };
      worker.postMessage(request);
    });
  }

  private settleWarm(id: number, worker: Worker, error?: Error): void {
    const waiter = this.warming.get(id);
    if (!waiter) return;
    this.warming.delete(id);
    if (![...this.inFlight.values()].some((r) => r.worker === worker)) worker.unref();
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  private start(): Worker {
    const worker = startWorker();
    worker.unref();
    worker.on('message', (message: EncodeResponse) => {
      if ('ready' in message) return this.settleWarm(message.id, worker);
      const request = this.inFlight.get(message.id);
      if (!request) return;
      if ('error' in message) request.fail(revive(message.error));
      else request.onFile(message.index, message.file);
    });
    const fail = (detail: string, cause?: unknown): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const id of [...this.warming.keys()]) this.settleWarm(id, worker, new SinkError('PARQUET_WRITE_FAILED', detail, {}, cause === undefined ? undefined : { cause }));
      for (const request of [...this.inFlight.values()]) {
        if (request.worker !== worker) continue;
        request.fail(new SinkError('PARQUET_WRITE_FAILED', detail, request.file === undefined ? {} : { file: request.file }, cause === undefined ? undefined : { cause }));
      }
    };
    worker.on('error', (error) => fail(`encoder thread failed: ${error.message}`, error));
    worker.on('exit', (code) => fail(`encoder thread exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

/** A larger young generation: every file leaves short-lived Arrow objects and buffers behind (a few % faster). */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 64 };

/** encoder-worker.js next to this file in dist; from TypeScript sources the thread registers tsx first. */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./encoder-worker.js', import.meta.url), { resourceLimits: WORKER_LIMITS });
  // Node 20 does not give worker threads the parent's module hooks (tsx, vitest).
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./encoder-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`, { eval: true, resourceLimits: WORKER_LIMITS });
}

/** The error a thread reported, as the class the calling thread would have thrown. */
function revive(e: SerializedError): Error {
  const context = e.context as DataErrorContext;
  switch (e.name) {
    case 'ParquetError':
      return new ParquetError(e.code as 'PARQUET_WRITE_FAILED' | 'PARQUET_READ_FAILED', e.message, context);
    case 'SchemaMismatchError':
      return new SchemaMismatchError(e.message, context);
    default:
      if (DATA_CODES.has(e.code)) return new DeltaDataError(e.code as DataErrorCode, e.message, context);
      return new SinkError(e.code as SinkErrorCode, e.message, context);
  }
}

const DATA_CODES: ReadonlySet<string> = new Set<DataErrorCode>([
  'UNSUPPORTED_TYPE', 'INVALID_SCHEMA', 'INVALID_PARTITION_VALUE', 'PARQUET_WRITE_FAILED', 'PARQUET_READ_FAILED', 'SCHEMA_MISMATCH', 'INVALID_PREDICATE',
]);

export class EncoderPool {
  private readonly threads: EncoderThread[];
  private nextId = 1;

  constructor(size: number) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => new EncoderThread());
  }

  get size(): number {
    return this.threads.length;
  }

  /**
   * Encodes `files` of the packed columns; `onFile` sees each file as it
   * arrives (in any order). Resolves with all files in input order.
   */
  async encode(
    schemaJson: string,
    packed: PackedColumns,
    files: readonly PoolFile[],
    rowGroupSize: number,
    onFile: (index: number, file: EncodedFile) => void = () => undefined,
  ): Promise<EncodedFile[]> {
    const out: (EncodedFile | undefined)[] = new Array(files.length);
    // Biggest files first, each to the thread with the least work queued.
    const order = files.map((f, index) => ({ index, cost: rowsOf(f.rows) + FILE_COST_ROWS })).sort((a, b) => b.cost - a.cost);
    const shares = this.threads.map(() => ({ files: [] as EncodeRequest['files'][number][], cost: 0 }));
    const loads = this.threads.map((t) => t.load);
    for (const { index, cost } of order) {
      let best = 0;
      for (let t = 1; t < loads.length; t++) if ((loads[t] as number) < (loads[best] as number)) best = t;
      loads[best] = (loads[best] as number) + cost;
      const share = shares[best] as (typeof shares)[number];
      const f = files[index] as PoolFile;
      share.files.push({ index, rows: f.rows, file: f.file });
      share.cost += cost;
    }
    const runs = shares.map((share, t) => {
      if (share.files.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const request: EncodeRequest = { id: this.nextId++, schemaJson, packed, rowGroupSize, files: share.files };
        (this.threads[t] as EncoderThread).send(request, share.cost, {
          resolve,
          reject,
          onFile: (index, file) => {
            out[index] = file;
            onFile(index, file);
          },
        });
      });
    });
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return out as EncodedFile[];
  }

  /** Starts every thread and waits until each has loaded, so the first write pays no start-up. */
  async warm(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.warm(this.nextId++)));
  }

  /** Stops the threads (tests; a process that exits need not call it). */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

function rowsOf(rows: RowSelection): number {
  return rows instanceof Int32Array ? rows.length : rows.end - rows.start;
}

const pools = new Map<number, EncoderPool>();

/** The process-wide pool of `size` threads. */
export function sharedEncoderPool(size: number): EncoderPool {
  let pool = pools.get(size);
  if (!pool) {
    pool = new EncoderPool(size);
    pools.set(size, pool);
  }
  return pool;
}
