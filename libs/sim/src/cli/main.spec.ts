import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { F1Event } from '@lakestream/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { main } from './main.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  // A plain Writable stands in for a non-TTY process stream: the CLI only writes to it.
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

async function run(argv: string[], cwd: string): Promise<Captured> {
  const out = sink();
  const err = sink();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, cwd };
  const code = await main(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'sim-main-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('lakestream-sim (in process)', () => {
  it('prints help for the CLI and each command', async () => {
    expect(await run(['--help'], cwd)).toMatchObject({ code: 0, stdout: expect.stringContaining('Commands:') });
    expect(await run([], cwd)).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: lakestream-sim <command>') });
    expect(await run(['satellite', '--help'], cwd)).toMatchObject({ code: 0, stdout: expect.stringContaining('--satellites N') });
    expect(await run(['f1', '-h'], cwd)).toMatchObject({ code: 0, stdout: expect.stringContaining('--cars N') });
  });

  it('refuses unknown commands and bad flags with exit code 2, naming the flag', async () => {
    expect(await run(['boats'], cwd)).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'boats'") });
    const bad = await run(['satellite', '--samples', 'lots'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--samples: expected an integer (got 'lots')");
    expect(bad.stderr).toContain("Run 'lakestream-sim satellite --help'");
    expect((await run(['satellite', '--colour'], cwd)).stderr).toContain('--colour');
    expect((await run(['satellite', '--satellites', '0'], cwd)).stderr).toContain('--satellites');
    expect((await run(['f1', '--session', 'sprint'], cwd)).stderr).toContain('--session');
    expect((await run(['f1', '--date', '2026-13-01'], cwd)).stderr).toContain('--date');
    expect(await readdir(cwd)).toEqual([]); // nothing written on usage errors
  });

  it('f1 prints schema-valid JSON lines with 64-bit integers as strings', async () => {
    const result = await run(['f1', '--cars', '2', '--seconds', '1'], cwd);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBe(2 * (1 + 10 + 20 + 50 + 10 + 20)); // session start + one second of each type
    for (const line of lines) {
      const raw = JSON.parse(line) as Record<string, unknown>;
      expect(typeof raw['event_id']).toBe('string');
      const event = F1Event.safeParse({ ...raw, event_id: BigInt(raw['event_id'] as string), event_time_ns: BigInt(raw['event_time_ns'] as string) });
      expect(event.success).toBe(true);
    }
  });

  it('f1 --format summary counts events per type', async () => {
    const result = await run(['f1', '--cars', '3', '--seconds', '2', '--format', 'summary', '--session', 'qualifying'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ events from 3 cars over 2 simulated s/);
    expect(result.stdout).toMatch(/power_unit\s+300\n/);
  });
});
