import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from sources, as `nx run sim:generate` does, in `cwd`. */
function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@lakestream/source', '--import', TSX, CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sim-cli-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('lakestream-sim satellite', () => {
  it('writes the CSVs into data/samples, refuses to overwrite them without --force, replaces them with it', async () => {
    const first = await cli(['satellite', '--satellites', '7', '--samples', '25', '--seed', '88'], cwd);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^wrote 7 files × 25 rows .* to data\/samples in /);
    const dir = join(cwd, 'data', 'samples');
    expect((await readdir(dir)).sort()).toEqual(['sat0.csv', 'sat1.csv', 'sat2.csv', 'sat3.csv', 'sat4.csv', 'sat5.csv', 'sat6.csv']);
    const lines = (await readFile(join(dir, 'sat0.csv'), 'utf8')).split('\n');
    expect(lines[0]).toBe('temp_c,battery_charge_pct,altitude,sensor1,sensor2,sensor3');
    expect(lines[1]).toBe('-55.32,20.31,171.86,0.12,0.39,0.54'); // same seed, same first row as the library
    expect(lines).toHaveLength(27); // header, 25 rows, final newline

    const refused = await cli(['satellite', '--satellites', '3'], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(dir);
    expect(refused.stderr).toContain('--force');
    expect(await readdir(dir)).toHaveLength(7);

    const forced = await cli(['satellite', '--satellites', '3', '--samples', '2', '--force'], cwd);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('(replaced)');
    expect((await readdir(dir)).sort()).toEqual(['sat0.csv', 'sat1.csv', 'sat2.csv']);
  });
});
