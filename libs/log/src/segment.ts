/**
 * One segment: a `.log` file of whole record batches starting at
 * `baseOffset` and its sparse `.index`. Only the partition's last segment
 * (the active one) is written; older ones are read-only and open their file
 * lazily. A segment being deleted while a read is in flight is unlinked
 * when the last reader releases it.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { LOG_OVERHEAD } from './batch.js';
import { BatchScanner, type ScannedBatch } from './batch-scanner.js';
import { segmentPaths } from './files.js';
import { INDEX_ENTRY_SIZE, SparseIndex } from './sparse-index.js';

/**
 * Index entries are appended to the index file in groups: one write per
 * entry would double the syscalls of small appends. An index file that lags
 * the log only makes recovery scan a longer tail.
 */
const INDEX_WRITE_BATCH = 64;

export interface SegmentInit {
  readonly dir: string;
  readonly baseOffset: number;
  readonly index: SparseIndex;
  readonly nextOffset: number;
  readonly size: number;
  readonly maxTimestamp: number;
  readonly bytesSinceIndexEntry: number;
  readonly createdAt: number;
  /** Open handles for an active segment; undefined for a read-only one. */
  readonly handles?: { readonly log: FileHandle; readonly index: FileHandle };
}

/** Facts about one appended batch that the segment keeps. */
export interface AppendedBatchMeta {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

export class Segment {
  readonly baseOffset: number;
  readonly paths: { readonly log: string; readonly index: string };
  readonly index: SparseIndex;
  /** Offset after the last batch written. */
  nextOffset: number;
  /** Bytes written. */
  size: number;
  /** Bytes readers may see: written and, under flush 'always', fsynced. */
  readableSize: number;
  /** Largest batch maxTimestamp in the segment; -1 when empty. */
  maxTimestamp: number;
  readonly createdAt: number;
  private bytesSinceIndexEntry: number;
  private log: FileHandle | undefined;
  private indexFile: FileHandle | undefined;
  /** Index entries already in the index file; the rest are written in one go later. */
  private persistedEntries: number;
  private opening: Promise<FileHandle> | undefined;
  private readers = 0;
  private retired = false;
  private removeOnRetire = false;

  constructor(init: SegmentInit) {
    this.baseOffset = init.baseOffset;
    this.paths = segmentPaths(init.dir, init.baseOffset);
    this.index = init.index;
    this.nextOffset = init.nextOffset;
    this.size = init.size;
    this.readableSize = init.size;
    this.maxTimestamp = init.maxTimestamp;
    this.bytesSinceIndexEntry = init.bytesSinceIndexEntry;
    this.createdAt = init.createdAt;
    this.log = init.handles?.log;
    this.indexFile = init.handles?.index;
    this.persistedEntries = init.index.length;
  }

  /** A new empty active segment (fails if the files exist). */
  static async create(dir: string, baseOffset: number, now: number): Promise<Segment> {
    const paths = segmentPaths(dir, baseOffset);
    const log = await open(paths.log, 'wx+');
    let index: FileHandle;
    try {
      index = await open(paths.index, 'w+');
    } catch (e) {
      await log.close();
      throw e;
    }
    return new Segment({
      dir,
      baseOffset,
      index: new SparseIndex(baseOffset),
      nextOffset: baseOffset,
      size: 0,
      maxTimestamp: -1,
      bytesSinceIndexEntry: 0,
      createdAt: now,
      handles: { log, index },
    });
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /**
   * Writes one batch at the end (not yet readable: see `publish`). Adds an
   * index entry first when `indexIntervalBytes` have passed since the last.
   */
  async append(bytes: Uint8Array, meta: AppendedBatchMeta, indexIntervalBytes: number): Promise<void> {
    const log = this.log;
    const indexFile = this.indexFile;
    if (!log || !indexFile) throw new Error(`segment ${this.paths.log} is not writable`);
    const position = this.size;
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await log.write(bytes, written, bytes.length - written, position + written);
      written += bytesWritten;
    }
    if (this.bytesSinceIndexEntry > indexIntervalBytes) {
      const entry = { relativeOffset: meta.baseOffset - this.baseOffset, position, timestampBefore: this.maxTimestamp };
      if (this.index.accepts(entry)) this.index.push(entry);
      this.bytesSinceIndexEntry = 0;
      if (this.index.length - this.persistedEntries >= INDEX_WRITE_BATCH) await this.persistIndex();
    }
    this.bytesSinceIndexEntry += bytes.length;
    this.size = position + bytes.length;
    this.nextOffset = meta.lastOffset + 1;
    this.maxTimestamp = Math.max(this.maxTimestamp, meta.maxTimestamp);
  }

  publish(): void {
    this.readableSize = this.size;
  }

  /** fdatasync of the log file; pending index entries are written but not synced (recovery rebuilds a lagging index tail). */
  async sync(): Promise<void> {
    await this.persistIndex();
    if (this.log) await this.log.datasync();
  }

  /** The segment stops being active: fsync both files and drop the index handle. */
  async seal(): Promise<void> {
    const indexFile = this.indexFile;
    if (!indexFile) return;
    await this.persistIndex();
    if (this.log) await this.log.datasync();
    await indexFile.sync();
    this.indexFile = undefined;
    await indexFile.close();
  }

  /**
   * Marks a read in progress until the returned release is called. Call it
   * synchronously right after picking the segment, so a concurrent retire
   * waits for the read. Undefined when the segment is already retired.
   */
  acquire(): (() => Promise<void>) | undefined {
    if (this.retired) return undefined;
    this.readers++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.readers--;
      if (this.retired && this.readers === 0) await this.finishRetire();
    };
  }

  /** The first batch whose last offset is >= `offset`, scanning from the index; undefined if none is readable. */
  async findBatch(offset: number): Promise<ScannedBatch | undefined> {
    return this.findFrom(this.index.positionForOffset(offset), (b) => b.lastOffset >= offset);
  }

  /** The first batch whose maxTimestamp is >= `timestamp` and that ends at or after `minOffset`. */
  async findBatchByTimestamp(timestamp: number, minOffset: number): Promise<ScannedBatch | undefined> {
    const from = Math.max(this.index.positionForTimestamp(timestamp), 0);
    return this.findFrom(from, (b) => b.header.maxTimestamp >= timestamp && b.lastOffset >= minOffset);
  }

  /** Every readable batch from `position` (header only), in order. */
  async *batchesFrom(position: number): AsyncGenerator<ScannedBatch> {
    const scanner = new BatchScanner(await this.handle(), { start: position, end: this.readableSize, verifyCrc: false });
    for (let b = await scanner.next(); b; b = await scanner.next()) yield b;
  }

  /**
   * Whole batches from `first` on: `first` itself even when larger than
   * `maxBytes`, then as many following batches as fit in `maxBytes`.
   */
  async readBatches(first: ScannedBatch, maxBytes: number): Promise<Buffer> {
    const fh = await this.handle();
    const limit = this.readableSize - first.position;
    const want = first.header.size >= maxBytes ? first.header.size : Math.min(limit, maxBytes);
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(want, limit)));
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, first.position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, wholeBatchPrefix(buf, filled));
  }

  async close(): Promise<void> {
    await this.seal();
    if (this.opening) await this.opening.catch(() => undefined);
    const log = this.log;
    this.log = undefined;
    this.opening = undefined;
    if (log) await log.close();
  }

  /**
   * Takes the segment out of service: closes it (and with `removeFiles`
   * deletes its files) now, or when the last reader releases it.
   */
  async retire(options: { readonly removeFiles: boolean }): Promise<void> {
    this.retired = true;
    this.removeOnRetire = options.removeFiles;
    if (this.readers === 0) await this.finishRetire();
  }

  private async finishRetire(): Promise<void> {
    await this.close();
    if (!this.removeOnRetire) return;
    await rm(this.paths.log, { force: true });
    await rm(this.paths.index, { force: true });
  }

  /** Appends the index entries not yet in the index file, in one write. */
  private async persistIndex(): Promise<void> {
    const indexFile = this.indexFile;
    if (!indexFile || this.persistedEntries >= this.index.length) return;
    const bytes = this.index.encode(this.persistedEntries);
    await indexFile.write(bytes, 0, bytes.length, this.persistedEntries * INDEX_ENTRY_SIZE);
    this.persistedEntries = this.index.length;
  }

  private async handle(): Promise<FileHandle> {
    if (this.log) return this.log;
    this.opening ??= open(this.paths.log, 'r').then((fh) => (this.log = fh));
    return this.opening;
  }

  private async findFrom(position: number, match: (b: ScannedBatch) => boolean): Promise<ScannedBatch | undefined> {
    for await (const b of this.batchesFrom(position)) if (match(b)) return b;
    return undefined;
  }
}

/** Index of the last segment whose baseOffset is <= `offset` (0 when none is). */
export function segmentIndexFor(segments: readonly Segment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((segments[mid] as Segment).baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Length of the longest run of whole batches at the start of `buf[0, filled)`; at least the first batch if it is whole. */
function wholeBatchPrefix(buf: Buffer, filled: number): number {
  let p = 0;
  while (p + LOG_OVERHEAD <= filled) {
    const size = LOG_OVERHEAD + buf.readInt32BE(p + 8);
    if (size <= LOG_OVERHEAD || p + size > filled) break;
    p += size;
  }
  return p;
}
