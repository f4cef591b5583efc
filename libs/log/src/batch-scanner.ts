/**
 * Walks the batches of a segment file in order with buffered reads: recovery
 * (validating each batch), offset and timestamp lookups, producer-state
 * replay. The scan stops at the first batch that is torn or inconsistent and
 * says where and why.
 */
import type { FileHandle } from 'node:fs/promises';
import { BATCH_HEADER_SIZE, batchCrcMatches, checkBatchHeader, parseBatchHeader, type BatchHeader } from './batch.js';

export interface ScannedBatch {
  readonly position: number;
  readonly header: BatchHeader;
  readonly lastOffset: number;
}

export type ScanStop =
  | { readonly kind: 'end'; readonly position: number }
  | { readonly kind: 'invalid'; readonly position: number; readonly reason: string };

export interface ScanOptions {
  readonly start: number;
  /** Exclusive end of the region to scan (the file size, or the readable size of an active segment). */
  readonly end: number;
  /** Check every batch's CRC-32C (recovery), or only its framing (lookups). */
  readonly verifyCrc: boolean;
  /** When set, the first batch must have exactly this baseOffset and each next one must follow the previous without a gap. */
  readonly expectedBaseOffset?: number;
  readonly chunkBytes?: number;
}

const DEFAULT_CHUNK = 64 * 1024;

/** A read-through window over a file: batches usually arrive many per read. */
export class FileWindow {
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;

  constructor(
    private readonly fh: FileHandle,
    private readonly end: number,
    private readonly chunkBytes = DEFAULT_CHUNK,
  ) {}

  /** `len` bytes at `pos`, fewer only where the region ends. The view is valid until the next call. */
  async read(pos: number, len: number): Promise<Buffer> {
    const want = Math.max(0, Math.min(len, this.end - pos));
    if (pos >= this.bufStart && pos + want <= this.bufStart + this.buf.length) {
      return this.buf.subarray(pos - this.bufStart, pos - this.bufStart + want);
    }
    const size = Math.min(Math.max(want, this.chunkBytes), this.end - pos);
    const buf = Buffer.allocUnsafe(Math.max(size, 0));
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await this.fh.read(buf, filled, size - filled, pos + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.buf = buf.subarray(0, filled);
    this.bufStart = pos;
    return this.buf.subarray(0, Math.min(want, filled));
  }
}

export class BatchScanner {
  private pos: number;
  private expected: number | undefined;
  private readonly window: FileWindow;
  private stopped: ScanStop | undefined;

  constructor(
    fh: FileHandle,
    private readonly options: ScanOptions,
  ) {
    this.pos = options.start;
    this.expected = options.expectedBaseOffset;
    this.window = new FileWindow(fh, options.end, options.chunkBytes ?? DEFAULT_CHUNK);
  }

  /** Where the scan stopped; undefined while it can go on. */
  get stop(): ScanStop | undefined {
    return this.stopped;
  }

  /** Position after the last good batch. */
  get position(): number {
    return this.pos;
  }

  /** The next valid batch, or undefined once the scan has stopped (see `stop`). */
  async next(): Promise<ScannedBatch | undefined> {
    if (this.stopped) return undefined;
    const available = this.options.end - this.pos;
    if (available <= 0) return this.halt({ kind: 'end', position: this.pos });
    if (available < BATCH_HEADER_SIZE) return this.invalid(`${available} trailing bytes, less than a batch header`);
    const head = await this.window.read(this.pos, BATCH_HEADER_SIZE);
    if (head.length < BATCH_HEADER_SIZE) return this.invalid('file ended inside a batch header');
    const header = parseBatchHeader(head, 0);
    if (typeof header === 'string') return this.invalid(header);
    const problem = checkBatchHeader(header, available);
    if (problem !== undefined) return this.invalid(problem);
    if (this.expected !== undefined && header.baseOffset !== this.expected) {
      return this.invalid(`baseOffset ${header.baseOffset}, expected ${this.expected}`);
    }
    if (this.options.verifyCrc) {
      const whole = await this.window.read(this.pos, header.size);
      if (whole.length < header.size) return this.invalid('file ended inside a batch');
      if (!batchCrcMatches(whole, 0)) return this.invalid('CRC-32C mismatch');
    }
    const batch: ScannedBatch = { position: this.pos, header, lastOffset: header.baseOffset + header.lastOffsetDelta };
    this.pos += header.size;
    this.expected = batch.lastOffset + 1;
    return batch;
  }

  private invalid(reason: string): undefined {
    return this.halt({ kind: 'invalid', position: this.pos, reason });
  }

  private halt(stop: ScanStop): undefined {
    this.stopped = stop;
    return undefined;
  }
}
