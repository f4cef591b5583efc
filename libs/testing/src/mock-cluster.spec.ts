import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KcatError, MockClusterError } from './errors.js';
import { kcatConsume, kcatMetadata, kcatProduce } from './kcat.js';
import { startMockCluster, type MockCluster } from './mock-cluster.js';
import { requireTool } from './tools.js';

const hasKcat = requireTool('kcat', ['-V']);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(!hasKcat)('startMockCluster + kcat helpers', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster();
  });
  afterAll(() => cluster?.stop());

  it('logs a bootstrap address within 10 s and auto-creates topics with 4 partitions', async () => {
    expect(cluster.directBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(cluster.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const meta = await kcatMetadata(cluster.directBootstrap, 'auto');
    expect(meta.topics.find((t) => t.topic === 'auto')?.partitions).toHaveLength(4);
  });

  it('round-trips arbitrary bytes, keys, null keys and partitions byte-exact', async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const messages = [
      { key: 'sat0', value: binary, partition: 1 },
      { key: 'sat0', value: Buffer.from('@0 0 0 0 t\n%R'), partition: 1 },
      { key: null, value: Buffer.from([0x0a]), partition: 2 },
      { key: 'sat1', value: binary.subarray(10, 20), partition: 1 },
    ];
    await kcatProduce({ bootstrap: cluster.directBootstrap, topic: 'bytes', messages });
    const records = await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'bytes', count: 4, timeoutMs: 15_000 });
    expect(records).toHaveLength(4);
    const p1 = records.filter((r) => r.partition === 1);
    expect(p1.map((r) => [r.offset, r.key?.toString(), r.value])).toEqual([
      [0, 'sat0', binary],
      [1, 'sat0', Buffer.from('@0 0 0 0 t\n%R')],
      [2, 'sat1', binary.subarray(10, 20)],
    ]);
    const p2 = records.find((r) => r.partition === 2);
    expect(p2?.key).toBeNull();
    expect(p2?.value).toEqual(Buffer.from([0x0a]));
    expect(p2?.topic).toBe('bytes');
    expect(p2?.timestamp).toBeGreaterThan(Date.now() - 60_000);
  });

  it('untilEof reads an empty topic as no records', async () => {
    expect(await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'empty', untilEof: true })).toEqual([]);
  });

  it('times out with KCAT_TIMEOUT when fewer records than asked for arrive', async () => {
    await kcatProduce({ bootstrap: cluster.directBootstrap, topic: 'few', messages: [{ key: 'a', value: Buffer.from('1') }] });
    // The one record is readable before the short wait starts, so only the missing four can time out.
    expect(await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'few', count: 1, timeoutMs: 15_000 })).toHaveLength(1);
    const error = await kcatConsume({ bootstrap: cluster.directBootstrap, topic: 'few', count: 5, timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KcatError);
    expect((error as KcatError).code).toBe('KCAT_TIMEOUT');
    expect((error as KcatError).context['records']).toHaveLength(1);
  });
});

describe.skipIf(!hasKcat)('startMockCluster lifecycle', () => {
  it('stop() kills the kcat process group and is idempotent', async () => {
    const cluster = await startMockCluster({ brokers: 3 });
    expect(cluster.directBootstrap.split(',')).toHaveLength(3);
    expect(alive(cluster.pid)).toBe(true);
    await cluster.stop();
    await cluster.stop();
    expect(alive(cluster.pid)).toBe(false);
  });

  it('fails with MOCK_CLUSTER_TIMEOUT when no address is logged in time, leaving no process behind', async () => {
    // A stand-in kcat that stays silent, so the outcome never depends on how fast the real one starts.
    const dir = mkdtempSync(join(tmpdir(), 'lakestream-silent-kcat-'));
    const silent = join(dir, 'kcat');
    const pidFile = join(dir, 'pid');
    writeFileSync(silent, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 60\n`, { mode: 0o755 });
    try {
      const error = await startMockCluster({ kcat: silent, startTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MockClusterError);
      expect((error as MockClusterError).code).toBe('MOCK_CLUSTER_TIMEOUT');
      expect((error as MockClusterError).message).toContain('within 300 ms');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await waitFor(() => !alive(pid), 5_000);
      expect(alive(pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
