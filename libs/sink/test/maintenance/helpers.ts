import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, LogStore, PutIfAbsentResult } from '../../src/index.js';

/** Every `add`/`remove` line of every JSON commit in the log, in version order. */
export function logActions(dir: string): { version: number; action: Record<string, Record<string, unknown>> }[] {
  const log = join(dir, '_delta_log');
  const out: { version: number; action: Record<string, Record<string, unknown>> }[] = [];
  for (const name of readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
    for (const line of readFileSync(join(log, name), 'utf8').split('\n')) {
      if (line.trim() !== '') out.push({ version: Number(name.slice(0, 20)), action: JSON.parse(line) as Record<string, Record<string, unknown>> });
    }
  }
  return out;
}

export function exists(dir: string, relativePath: string): boolean {
  return existsSync(join(dir, relativePath));
}

/**
 * A store that runs `beforeCommit` once, just before the first commit
 * (put-if-absent of a `.json`) goes out: a deterministic "concurrent writer
 * won the race" for conflict tests.
 */
export class RacingStore implements LogStore {
  private fired = false;
  constructor(
    private readonly inner: LogStore,
    private readonly beforeCommit: () => Promise<void>,
  ) {}
  get location(): string {
    return this.inner.location;
  }
  list(prefix: string): Promise<FileInfo[]> {
    return this.inner.list(prefix);
  }
  read(path: string): Promise<Uint8Array> {
    return this.inner.read(path);
  }
  head(path: string): Promise<FileInfo | undefined> {
    return this.inner.head(path);
  }
  async putIfAbsent(path: string, bytes: Uint8Array): Promise<PutIfAbsentResult> {
    if (!this.fired && path.endsWith('.json')) {
      this.fired = true;
      await this.beforeCommit();
    }
    return this.inner.putIfAbsent(path, bytes);
  }
  write(path: string, bytes: Uint8Array): Promise<void> {
    return this.inner.write(path, bytes);
  }
  delete(path: string): Promise<void> {
    return this.inner.delete(path);
  }
}
