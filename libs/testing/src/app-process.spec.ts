import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnApp } from './app-process.js';
import { AppProcessError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'app-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in app: prints a listening line, echoes env, exits 0 on SIGTERM after a summary, or hangs when told. */
const script = join(dir, 'fake-app.mjs');
writeFileSync(script, `
const mode = process.argv[2] ?? 'serve';
if (mode === 'fail') { console.error('boom: bad flag'); process.exit(2); }
if (mode === 'stubborn') process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
else process.on('SIGTERM', () => { console.log('summary: 3 events'); process.exit(0); });
console.log('fake listening on 127.0.0.1:' + (40000 + Number(process.env.FAKE_PORT_OFFSET ?? 0)));
process.stderr.write('partial line without newline');
setInterval(() => {}, 1000);
`);

describe('spawnApp', () => {
  it('captures lines, finds past and future lines, passes env, stops gracefully', async () => {
    const app = spawnApp(script, [], { env: { FAKE_PORT_OFFSET: '7' }, name: 'fake' });
    const m = await app.waitForLine(/listening on (\S+):(\d+)/, 10_000, 'stdout');
    expect(m[2]).toBe('40007');
    // Already printed: resolves from the captured lines.
    expect((await app.waitForLine(/listening/, 10))[0]).toBe('listening');
    const exit = await app.stop('SIGTERM', 10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.stdoutLines).toContain('summary: 3 events');
    expect(app.stderrLines).toEqual(['partial line without newline']);
  });

  it('times out with APP_TIMEOUT and the output in the error', async () => {
    const app = spawnApp(script, [], { name: 'fake' });
    await app.waitForLine(/listening/, 10_000);
    const error = await app.waitForLine(/never printed/, 500).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppProcessError);
    expect((error as AppProcessError).code).toBe('APP_TIMEOUT');
    expect((error as AppProcessError).message).toContain('fake listening on');
    expect(await app.kill9()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('rejects a wait with APP_EXITED when the process exits first, showing stderr', async () => {
    const app = spawnApp(script, ['fail'], { name: 'fake' });
    const error = await app.waitForLine(/listening/, 10_000).catch((e: unknown) => e);
    expect((error as AppProcessError).code).toBe('APP_EXITED');
    expect((error as AppProcessError).message).toContain('boom: bad flag');
    expect(await app.exited).toEqual({ code: 2, signal: null });
  });

  it('stop() SIGKILLs a process that ignores SIGTERM and reports APP_TIMEOUT', async () => {
    const app = spawnApp(script, ['stubborn'], { name: 'fake' });
    await app.waitForLine(/listening/, 10_000);
    const error = await app.stop('SIGTERM', 500).catch((e: unknown) => e);
    expect((error as AppProcessError).code).toBe('APP_TIMEOUT');
    expect((await app.exited).signal).toBe('SIGKILL');
  });

  it('refuses a script that is not built with APP_START_FAILED', () => {
    expect(() => spawnApp(join(dir, 'apps', 'consumer', 'dist', 'main.js'))).toThrow(/consumer:build/);
  });
});
