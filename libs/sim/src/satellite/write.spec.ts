import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidSimOptionsError, OutputExistsError, SimError } from '../errors.js';
import { formatSatelliteCsv } from './format.js';
import { generateSatelliteRows } from './generate.js';
import { parseSatelliteCsv } from './parse.js';
import { writeSatelliteSamples } from './write.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sim-write-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeSatelliteSamples', () => {
  it('writes sat<i>.csv per satellite, exactly the generated rows, reporting progress', async () => {
    const dir = join(root, 'data', 'samples');
    const progress: number[] = [];
    const result = await writeSatelliteSamples({ dir, satellites: 12, samples: 50, seed: 88, onProgress: (done, total) => progress.push(done / total) });
    expect(result).toMatchObject({ dir, files: 12, rows: 600, replaced: false });
    const files = (await readdir(dir)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(files).toEqual(Array.from({ length: 12 }, (_, i) => `sat${i}.csv`));
    const text = await readFile(join(dir, 'sat11.csv'), 'utf8');
    expect(text).toBe(formatSatelliteCsv(generateSatelliteRows(11, { samples: 50, seed: 88 })));
    expect(parseSatelliteCsv(text, 'sat11.csv', 'sat11').errors).toEqual([]);
    expect(result.bytes).toBeGreaterThan(12 * text.length - 100);
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)).toBe(1);
    expect((await readdir(join(root, 'data'))).filter((n) => n.startsWith('.'))).toEqual([]); // no staging left
  });

  it('refuses an existing non-empty directory unless force, naming it', async () => {
    const dir = join(root, 'samples');
    await writeSatelliteSamples({ dir, satellites: 3, samples: 5, seed: 1 });
    const refusal = writeSatelliteSamples({ dir, satellites: 2, samples: 5, seed: 2 });
    await expect(refusal).rejects.toBeInstanceOf(OutputExistsError);
    await expect(refusal).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', retriable: false, dir, context: { path: dir } });
    await expect(refusal).rejects.toThrow(dir);
    expect(await readdir(dir)).toHaveLength(3); // untouched

    const replaced = await writeSatelliteSamples({ dir, satellites: 2, samples: 5, seed: 2, force: true });
    expect(replaced.replaced).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['sat0.csv', 'sat1.csv']);
    expect(await readFile(join(dir, 'sat0.csv'), 'utf8')).toBe(formatSatelliteCsv(generateSatelliteRows(0, { samples: 5, seed: 2 })));
    expect((await readdir(root)).sort()).toEqual(['samples']);
  });

  it('treats a directory holding only dot-files (.gitkeep) as empty and keeps them', async () => {
    const dir = join(root, 'samples');
    await mkdir(dir);
    await writeFile(join(dir, '.gitkeep'), '');
    await writeSatelliteSamples({ dir, satellites: 1, samples: 1 });
    expect((await readdir(dir)).sort()).toEqual(['.gitkeep', 'sat0.csv']);
  });

  it('refuses a file in the way, a directory holding the working directory, and bad counts', async () => {
    await writeFile(join(root, 'file'), 'x');
    await expect(writeSatelliteSamples({ dir: join(root, 'file'), satellites: 1 })).rejects.toThrow(/not a directory/);
    await expect(writeSatelliteSamples({ dir: process.cwd(), satellites: 1, force: true })).rejects.toBeInstanceOf(InvalidSimOptionsError);
    await expect(writeSatelliteSamples({ dir: join(root, 'x'), satellites: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('wraps file-system failures in a typed error and leaves nothing behind', async () => {
    await writeFile(join(root, 'parent'), 'not a directory');
    const failure = writeSatelliteSamples({ dir: join(root, 'parent', 'samples'), satellites: 1 });
    await expect(failure).rejects.toBeInstanceOf(SimError);
    await expect(failure).rejects.toMatchObject({ code: 'OUTPUT_WRITE_FAILED' });
  });
});
