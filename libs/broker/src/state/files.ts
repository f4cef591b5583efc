/** The broker's own small state files under `<dir>/_state/`, replaced atomically. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Not a valid partition directory name (`<topic>-<n>`), so it never collides with one. */
export const STATE_DIR = '_state';

export function statePath(dataDir: string, name: string): string {
  return join(dataDir, STATE_DIR, name);
}

/** The file's JSON, or undefined if it does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** temp file + fsync + rename + directory fsync: a crash leaves the old or the new content. */
export async function writeJsonFileAtomic(path: string, value: unknown): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(temp, 'w');
  try {
    await fh.writeFile(`${JSON.stringify(value)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(temp, path);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
