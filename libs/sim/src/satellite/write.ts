/**
 * Writes one `sat<i>.csv` per satellite into a directory, all or nothing:
 * files go to a temporary sibling directory that is renamed into place at
 * the end, so a crash never leaves a half-written set under the real name.
 */
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InvalidSimOptionsError, OutputExistsError, OutputWriteError, SimError } from '../errors.js';
import { encodeSatelliteCentiCsv } from './format.js';
import { checkCount, generateSatelliteCenti, SATELLITE_DEFAULTS, satelliteFileName } from './generate.js';

export interface WriteSatelliteSamplesOptions {
  /** Output directory (created; its parent too). */
  readonly dir: string;
  /** Number of satellites, i.e. files (default 1000). */
  readonly satellites?: number;
  /** Rows per file (default 1000). */
  readonly samples?: number;
  /** PRNG seed (default 88). */
  readonly seed?: number;
  /** Replace a directory that already holds files (default false: OutputExistsError). */
  readonly force?: boolean;
  /** Called after each file is written. */
  readonly onProgress?: (filesDone: number, filesTotal: number) => void;
}

export interface WriteSatelliteSamplesResult {
  /** Absolute output directory. */
  readonly dir: string;
  readonly files: number;
  readonly rows: number;
  readonly bytes: number;
  /** True when an existing non-empty directory was replaced (force). */
  readonly replaced: boolean;
}

/** Writes in flight at once: enough to overlap generation with I/O. */
const WRITE_CONCURRENCY = 4;

/**
 * Generates and writes the satellite CSV files. Dot-files already in the
 * directory (such as `.gitkeep`) are kept and do not make it count as
 * non-empty; anything else is only replaced when `force` is set.
 */
export async function writeSatelliteSamples(options: WriteSatelliteSamplesOptions): Promise<WriteSatelliteSamplesResult> {
  const satellites = options.satellites ?? SATELLITE_DEFAULTS.satellites;
  const samples = options.samples ?? SATELLITE_DEFAULTS.samples;
  const seed = options.seed ?? SATELLITE_DEFAULTS.seed;
  checkCount('satellites', satellites, 1, 1_000_000);
  checkCount('samples', samples, 0, 100_000_000);
  checkCount('seed', seed, -(2 ** 31), 2 ** 32 - 1);
  if (!options.dir) throw new InvalidSimOptionsError('dir', 'must be a non-empty path');
  const dir = resolve(options.dir);
  const cwd = process.cwd();
  if (dir === dirname(dir) || cwd === dir || cwd.startsWith(dir + sep)) {
    // Replacing this directory would delete the working directory (or /) itself.
    throw new InvalidSimOptionsError('dir', `${dir} contains the working directory; choose a dedicated output directory`);
  }

  const existing = await inspect(dir);
  if (existing.kind === 'file') throw new OutputExistsError(dir, 'exists and is not a directory');
  const replaced = existing.kind === 'dir' && existing.visible > 0;
  if (replaced && !options.force) {
    throw new OutputExistsError(dir, `already exists and is not empty (${existing.visible} entries); use force (--force) to replace it`);
  }

  const parent = dirname(dir);
  await guard(parent, () => mkdir(parent, { recursive: true }));
  const staging = await guard(parent, () => mkdtemp(join(parent, `.${basename(dir)}.tmp-`)));
  let bytes = 0;
  try {
    for (const hidden of existing.kind === 'dir' ? existing.hidden : []) {
      await guard(join(dir, hidden), () => cp(join(dir, hidden), join(staging, hidden), { recursive: true }));
    }
    let done = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < satellites) {
        const index = next++;
        const csv = encodeSatelliteCentiCsv(generateSatelliteCenti(index, samples, seed));
        const file = join(staging, satelliteFileName(index));
        await guard(file, () => writeFile(file, csv));
        bytes += csv.length;
        done++;
        options.onProgress?.(done, satellites);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, satellites) }, worker));
    await swapIn(staging, dir, existing.kind === 'dir');
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return { dir, files: satellites, rows: satellites * samples, bytes, replaced };
}

type Existing = { kind: 'none' } | { kind: 'file' } | { kind: 'dir'; visible: number; hidden: string[] };

async function inspect(dir: string): Promise<Existing> {
  try {
    if (!(await stat(dir)).isDirectory()) return { kind: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw new OutputWriteError(dir, error);
  }
  const entries = await guard(dir, () => readdir(dir));
  const hidden = entries.filter((name) => name.startsWith('.'));
  return { kind: 'dir', visible: entries.length - hidden.length, hidden };
}

/** Old directory aside, new one in, old one deleted: the real name only ever holds a complete set. */
async function swapIn(staging: string, dir: string, exists: boolean): Promise<void> {
  if (!exists) {
    await guard(dir, () => rename(staging, dir));
    return;
  }
  const trash = `${staging}.old`;
  await guard(dir, () => rename(dir, trash));
  try {
    await guard(dir, () => rename(staging, dir));
  } catch (error) {
    await rename(trash, dir).catch(() => undefined);
    throw error;
  }
  await rm(trash, { recursive: true, force: true }).catch(() => undefined);
}

/** Runs a file-system step, turning Node errors into OutputWriteError naming the path. */
async function guard<T>(path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof SimError) throw error;
    throw new OutputWriteError(path, error);
  }
}

