/**
 * Opening a segment after a restart, clean or not. States:
 *
 *   open files → load index → check index tail → scan & validate → truncate torn tail → write index → ready
 *
 * The scan starts at the last index entry (or at 0 when the index is missing
 * or does not match the log) and checks every batch from there: framing,
 * magic 2, contiguous offsets and CRC-32C. The first batch that fails ends
 * the segment: the file is cut there, so a batch torn by kill -9 or a power
 * cut never survives into the readable log. The index is rebuilt from the
 * scanned batches exactly as appends would have built it.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { BATCH_HEADER_SIZE, parseBatchHeader } from './batch.js';
import { BatchScanner, type ScanStop } from './batch-scanner.js';
import { isNotFound, segmentPaths } from './files.js';
import { Segment } from './segment.js';
import { SparseIndex } from './sparse-index.js';

export interface SegmentRecoveryOptions {
  readonly dir: string;
  readonly baseOffset: number;
  readonly indexIntervalBytes: number;
  /** Keep the files open for appends (the active segment) or close them (older segments open lazily). */
  readonly writable: boolean;
  readonly now: number;
}

export interface SegmentRecoveryReport {
  readonly baseOffset: number;
  /** Bytes cut from the end of the log file (a torn or corrupt tail). */
  readonly truncatedBytes: number;
  /** Why the scan stopped before the end of the file, when it did. */
  readonly truncationReason?: string;
  /** The index was missing or inconsistent and was rebuilt (from the last good entry, or from the whole segment). */
  readonly indexRepaired: boolean;
  readonly batchesScanned: number;
}

export async function recoverSegment(options: SegmentRecoveryOptions): Promise<{ readonly segment: Segment; readonly report: SegmentRecoveryReport }> {
  const { dir, baseOffset } = options;
  const paths = segmentPaths(dir, baseOffset);
  // State: open files.
  const log = await open(paths.log, 'r+');
  try {
    const fileSize = (await log.stat()).size;

    // State: load index.
    const loaded = await loadIndex(paths.index, baseOffset, fileSize);
    let index = loaded.index;
    let indexDirty = !loaded.intact;

    // State: check index tail — the last entry must point at a batch with the offset it claims.
    let start = index.last();
    if (start && !(await batchStartsAt(log, start.position, baseOffset + start.relativeOffset, fileSize))) {
      index = new SparseIndex(baseOffset);
      start = undefined;
      indexDirty = true;
    }
    const indexRepaired = indexDirty;

    // State: scan & validate from the last trusted entry.
    const scanner = new BatchScanner(log, {
      start: start?.position ?? 0,
      end: fileSize,
      verifyCrc: true,
      expectedBaseOffset: baseOffset + (start?.relativeOffset ?? 0),
    });
    let maxTimestamp = start?.timestampBefore ?? -1;
    // With no whole batch after the start entry, the segment ends where that entry's batch began.
    let nextOffset = baseOffset + (start?.relativeOffset ?? 0);
    let bytesSinceIndexEntry = 0;
    let batches = 0;
    for (let b = await scanner.next(); b; b = await scanner.next()) {
      const isStartEntry = start !== undefined && b.position === start.position;
      if (!isStartEntry && bytesSinceIndexEntry > options.indexIntervalBytes) {
        const entry = { relativeOffset: b.header.baseOffset - baseOffset, position: b.position, timestampBefore: maxTimestamp };
        if (index.accepts(entry)) {
          index.push(entry);
          indexDirty = true;
        }
        bytesSinceIndexEntry = 0;
      }
      bytesSinceIndexEntry += b.header.size;
      maxTimestamp = Math.max(maxTimestamp, b.header.maxTimestamp);
      nextOffset = b.lastOffset + 1;
      batches++;
    }
    const stop = scanner.stop as ScanStop;

    // State: truncate torn tail.
    const validEnd = scanner.position;
    if (validEnd < fileSize) await log.truncate(validEnd);

    // State: write index (whole file; it is small and this keeps it exact).
    let indexFile: FileHandle | undefined;
    if (indexDirty || options.writable) {
      indexFile = await open(paths.index, indexDirty ? 'w+' : 'r+');
      if (indexDirty) await indexFile.writeFile(index.encode());
      if (!options.writable) {
        await indexFile.sync();
        await indexFile.close();
        indexFile = undefined;
      }
    }

    // State: ready.
    if (!options.writable) await log.close();
    const segment = new Segment({
      dir,
      baseOffset,
      index,
      nextOffset,
      size: validEnd,
      maxTimestamp,
      bytesSinceIndexEntry,
      createdAt: options.now,
      ...(options.writable && indexFile ? { handles: { log, index: indexFile } } : {}),
    });
    const report: SegmentRecoveryReport = {
      baseOffset,
      truncatedBytes: fileSize - validEnd,
      ...(stop.kind === 'invalid' ? { truncationReason: stop.reason } : {}),
      indexRepaired,
      batchesScanned: batches,
    };
    return { segment, report };
  } catch (e) {
    await log.close().catch(() => undefined);
    throw e;
  }
}

async function loadIndex(path: string, baseOffset: number, logSize: number): Promise<{ index: SparseIndex; intact: boolean }> {
  try {
    return SparseIndex.decode(await readFile(path), baseOffset, logSize);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return { index: new SparseIndex(baseOffset), intact: false };
  }
}

async function batchStartsAt(fh: FileHandle, position: number, offset: number, fileSize: number): Promise<boolean> {
  if (position + BATCH_HEADER_SIZE > fileSize) return false;
  const head = Buffer.alloc(BATCH_HEADER_SIZE);
  const { bytesRead } = await fh.read(head, 0, BATCH_HEADER_SIZE, position);
  if (bytesRead < BATCH_HEADER_SIZE) return false;
  const h = parseBatchHeader(head);
  return typeof h !== 'string' && h.baseOffset === offset;
}
