/**
 * File names inside a partition directory and the few fs moves the log
 * relies on for crash safety (atomic replace = temp file + fsync + rename +
 * directory fsync).
 */
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const SNAPSHOT_SUFFIX = '.snapshot';
export const TEMP_SUFFIX = '.tmp';
export const LOG_START_FILE = 'log-start-offset';

/** Kafka's 20-digit zero-padded base offset. */
export function offsetFileStem(offset: number): string {
  return String(offset).padStart(20, '0');
}

/** The offset in `00000000000000000042.log` (for the given suffix), or undefined for other names. */
export function parseOffsetFileName(name: string, suffix: string): number | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const stem = name.slice(0, -suffix.length);
  if (!/^\d{20}$/.test(stem)) return undefined;
  const n = Number(stem);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function segmentPaths(dir: string, baseOffset: number): { readonly log: string; readonly index: string } {
  const stem = join(dir, offsetFileStem(baseOffset));
  return { log: stem + LOG_SUFFIX, index: stem + INDEX_SUFFIX };
}

/** fsync a directory so a create, rename or unlink in it survives a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

let tempCounter = 0;

/** Replaces `path` with `data` so a crash leaves either the old or the new content, never a mix. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: { sync?: boolean } = {}): Promise<void> {
  const sync = options.sync ?? true;
  const temp = `${path}.${process.pid}-${++tempCounter}${TEMP_SUFFIX}`;
  const fh = await open(temp, 'w');
  try {
    await fh.writeFile(data);
    if (sync) await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(temp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(temp, path);
  if (sync) await fsyncDir(join(path, '..'));
}

export function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}
