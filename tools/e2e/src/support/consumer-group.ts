/**
 * Steps of the consumer-group tests (consumer-group.spec.ts): who holds which
 * partitions (from the consumer's `resume …` lines and the engine's
 * `revoked …` log), waiting for batch lines after a point in the output, and
 * SIGSTOP / SIGCONT for a deterministic zombie.
 */
import type { AppProcess } from '@lakestream/testing';
import { resumedPartitions, sleep } from './consumer-fixtures.js';

/** kafkajs's default session timeout (the consumer does not change it): how long a silent member stays in the group. */
export const SESSION_TIMEOUT_MS = 30_000;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits until `app` has printed resume lines (stdout, from line `from`) for every partition in `partitions`. */
export async function waitForResume(app: AppProcess, topic: string, partitions: Iterable<number>, timeoutMs: number, from = 0): Promise<void> {
  const want = [...partitions];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = resumedPartitions(app.stdoutLines, topic, from);
    if (want.every((p) => got.has(p))) return;
    if (app.child.exitCode !== null || app.child.signalCode !== null) throw new Error(`${app.name} exited waiting for resume of ${topic} ${want.join(',')}\n${app.describe()}`);
    if (Date.now() > deadline) throw new Error(`${app.name} did not resume ${topic} ${want.join(',')} within ${timeoutMs} ms (got ${[...got].join(',')})\n${app.describe()}`);
    await sleep(200);
  }
}

/** Waits for any resume line of `topic` (from line `from`); resolves with the partitions resumed so far, after a short settle. */
export async function waitForAnyResume(app: AppProcess, topic: string, timeoutMs: number, from = 0): Promise<Set<number>> {
  await app.waitForLine(new RegExp(`^resume ${escape(topic)}/\\d+ at offset`), timeoutMs, 'stdout');
  const deadline = Date.now() + timeoutMs;
  while (resumedPartitions(app.stdoutLines, topic, from).size === 0 && Date.now() < deadline) await sleep(100);
  await sleep(500); // the lines of one assignment are printed together
  return resumedPartitions(app.stdoutLines, topic, from);
}

/** Waits until `app` has printed `count` batch lines after stdout line `from`; resolves with the stdout line count then. */
export async function waitForBatches(app: AppProcess, count: number, timeoutMs: number, from = 0): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = app.stdoutLines;
    if (lines.slice(from).filter((l) => /^batch \d+: /.test(l)).length >= count) return lines.length;
    if (app.child.exitCode !== null || app.child.signalCode !== null) throw new Error(`${app.name} exited waiting for ${count} batch(es)\n${app.describe()}`);
    if (Date.now() > deadline) throw new Error(`${app.name}: fewer than ${count} batch lines within ${timeoutMs} ms\n${app.describe()}`);
    await sleep(100);
  }
}

/** Partitions the engine logged as revoked (`revoked <topic>/<p>, … (n buffered records dropped)` on stderr). */
export function revokedPartitions(app: AppProcess, topic: string): Set<number> {
  const out = new Set<number>();
  const re = new RegExp(`${escape(topic)}/(\\d+)`, 'g');
  for (const line of app.stderrLines.filter((l) => l.startsWith('revoked '))) for (const m of line.matchAll(re)) out.add(Number(m[1]));
  return out;
}

export function freeze(app: AppProcess): void {
  app.kill('SIGSTOP');
}

export function thaw(app: AppProcess): void {
  app.kill('SIGCONT');
}
