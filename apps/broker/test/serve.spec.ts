/** The built app: --help, the listening line, graceful SIGTERM/SIGINT, a clear error for a port in use. */
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaFor, runMain, startBrokerProcess, tempDir } from './support/process.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('lakestream-broker', () => {
  it('--help lists the flags and exits 0; a bad flag exits 2', async () => {
    const help = await runMain(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--host', '--port', '--dir', '--partitions', '--retention-ms', '--retention-bytes', '--segment-bytes', '--flush', '--max-request-bytes', '--message-max-bytes']) {
      expect(help.stdout).toContain(flag);
    }
    const bad = await runMain(['--partitions', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--partitions');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints one listening line, serves clients, and exits 0 on ${signal}`, async () => {
      const dir = await tempDir();
      dirs.push(dir);
      const broker = await startBrokerProcess(['--port', '0', '--dir', dir, '--partitions', '2']);
      expect(broker.stdout()).toBe(`lakestream broker listening on 127.0.0.1:${broker.port} (data: ${dir})\n`);
      const admin = kafkaFor(broker.bootstrap).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'from-app' }] });
      expect((await admin.fetchTopicMetadata({ topics: ['from-app'] })).topics[0]?.partitions).toHaveLength(2);
      await admin.disconnect();
      broker.child.kill(signal);
      expect(await broker.exited).toBe(0);
      expect(broker.stderr()).toMatch(/client connected/);
      expect(broker.stderr()).toMatch(/broker stopped/);
    });
  }

  it('--message-max-bytes: a larger batch gets MESSAGE_TOO_LARGE (10), a smaller one is stored', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const broker = await startBrokerProcess(['--port', '0', '--dir', dir, '--message-max-bytes', '10000']);
    const producer = kafkaFor(broker.bootstrap).producer();
    await producer.connect();
    try {
      const refused = await producer.send({ topic: 'sized', messages: [{ partition: 0, value: Buffer.alloc(20_000, 1) }] }).then(
        () => 'stored',
        (e: { type?: string }) => e.type,
      );
      expect(refused).toBe('MESSAGE_TOO_LARGE');
      await producer.send({ topic: 'sized', messages: [{ partition: 0, value: Buffer.alloc(5_000, 1) }] });
    } finally {
      await producer.disconnect();
      broker.child.kill('SIGTERM');
    }
    expect(await broker.exited).toBe(0);
  });

  it('names the address and exits 1 when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    const dir = await tempDir();
    dirs.push(dir);
    try {
      const r = await runMain(['--port', String(port), '--dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      expect(r.stderr).toMatch(/already in use/);
    } finally {
      taken.close();
    }
  });
});
