import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { link, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { StorageError } from '../errors.js';
import type { FileInfo, LogStore, PutIfAbsentResult } from './log-store.js';

/**
 * `LogStore` on a local (POSIX) file system. Atomicity comes from the file
 * system: every write goes to a hidden temp file in the target directory
 * first, then `link()` (fails with EEXIST, never replaces) for commits or
 * `rename()` (replaces) for everything else. Temp names start with `.` so a
 * Delta reader listing the directory ignores leftovers of a crashed writer.
 */
export class LocalFileStore implements LogStore {
  readonly location: string;

  constructor(rootDir: string) {
    this.location = resolve(rootDir);
  }

  async list(prefix: string, options: { readonly startAfter?: string } = {}): Promise<FileInfo[]> {
    const out: FileInfo[] = [];
    const slash = prefix.lastIndexOf('/');
    const dir = slash >= 0 ? prefix.slice(0, slash) : '';
    await this.walk(this.abs(dir), out, options.startAfter);
    return out.filter((f) => f.path.startsWith(prefix)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async read(path: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.abs(path)));
    } catch (error) {
      throw this.fail(error, 'read', path);
    }
  }

  async head(path: string): Promise<FileInfo | undefined> {
    try {
      const s = await stat(this.abs(path));
      return { path, size: s.size, modificationTime: Math.floor(s.mtimeMs) };
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      throw this.fail(error, 'stat', path);
    }
  }

  async putIfAbsent(path: string, bytes: Uint8Array): Promise<PutIfAbsentResult> {
    const tmp = await this.writeTemp(path, bytes);
    try {
      await link(tmp, this.abs(path));
      return { ok: true };
    } catch (error) {
      if (errno(error) === 'EEXIST') return { ok: false, reason: 'EXISTS' };
      throw this.fail(error, 'link', path);
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const tmp = await this.writeTemp(path, bytes);
    try {
      await rename(tmp, this.abs(path));
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw this.fail(error, 'rename', path);
    }
  }

  async delete(path: string): Promise<void> {
    try {
      await unlink(this.abs(path));
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw this.fail(error, 'delete', path);
    }
  }

  private async writeTemp(path: string, bytes: Uint8Array): Promise<string> {
    const target = this.abs(path);
    const tmp = join(dirname(target), `.${randomUUID()}.tmp`);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(tmp, bytes, { flush: true });
      return tmp;
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw this.fail(error, 'write', path);
    }
  }

  /** Files under `dir` (recursively); with `startAfter`, files whose path is not greater are skipped before their stat. */
  private async walk(dir: string, out: FileInfo[], startAfter?: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A missing directory lists as empty; a file where a directory should be is an error, not an empty table.
      if (errno(error) === 'ENOENT') return;
      throw this.fail(error, 'list', relative(this.location, dir).split(sep).join('/'));
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        await this.walk(full, out, startAfter);
      } else if (entry.isFile()) {
        const path = relative(this.location, full).split(sep).join('/');
        if (startAfter !== undefined && path <= startAfter) continue;
        const s = await stat(full).catch(() => undefined);
        // A file can vanish between readdir and stat (vacuum, temp cleanup).
        if (s) out.push({ path, size: s.size, modificationTime: Math.floor(s.mtimeMs) });
      }
    }
  }

  private abs(path: string): string {
    const full = resolve(this.location, path);
    if (full !== this.location && !full.startsWith(this.location + sep)) {
      throw new StorageError('STORAGE_ERROR', 'path escapes the table root', { table: this.location, file: path });
    }
    return full;
  }

  private fail(error: unknown, op: string, path: string): StorageError {
    if (error instanceof StorageError) return error;
    const code = errno(error);
    if (code === 'ENOENT') return new StorageError('NOT_FOUND', `${op}: no such file`, { table: this.location, file: path }, { cause: error });
    if (code === 'ENOTDIR' || (code === 'EEXIST' && op === 'write')) {
      // Retrying cannot help: the table root, or a directory on the way to `path`, is a file.
      const what = isFile(this.location) ? 'the table root is a file, not a directory' : 'a directory on the path is a file';
      return new StorageError('NOT_FOUND', `${op}: ${what}`, { table: this.location, file: path }, { cause: error });
    }
    return new StorageError('STORAGE_ERROR', `${op} failed (${code ?? 'unknown'})`, { table: this.location, file: path }, { cause: error });
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function errno(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
