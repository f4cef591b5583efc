import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { Connection } from './connection.js';
import type { FrameHandler, HandlerOutcome } from './types.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A server whose single connection is handled by `Connection`, and a client socket to it. */
async function pair(handler: FrameHandler, maxQueuedRequests = 4): Promise<{ connection: () => Connection; client: Socket }> {
  let connection: Connection | undefined;
  const server = createServer((socket) => {
    connection = new Connection(socket, 1, { maxRequestBytes: 1 << 20, maxQueuedRequests, idleTimeoutMs: 0, handler, logger: silentLogger, shutdown: new AbortController().signal });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = await new Promise<Socket>((resolve) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
  });
  while (!connection) await new Promise((r) => setTimeout(r, 5));
  return { connection: () => connection as Connection, client };
}

const frame = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeInt32BE(4, 0);
  b.writeInt32BE(n, 4);
  return b;
};

describe('Connection', () => {
  it('handles pipelined requests one at a time, answering in order even when later ones finish sooner', async () => {
    let active = 0;
    let maxActive = 0;
    const { client } = await pair({
      async handle(f): Promise<HandlerOutcome> {
        active++;
        maxActive = Math.max(maxActive, active);
        const n = f.readInt32BE(0);
        await new Promise((r) => setTimeout(r, 20 - n * 2));
        active--;
        return { type: 'respond', bytes: frame(n) };
      },
    });
    const got: number[] = [];
    client.on('data', (d: Buffer) => {
      for (let at = 0; at < d.length; at += 8) got.push(d.readInt32BE(at + 4));
    });
    client.write(Buffer.concat(Array.from({ length: 8 }, (_, i) => frame(i))));
    while (got.length < 8) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(maxActive).toBe(1);
    client.destroy();
  });

  it('stops reading from a client that does not read its responses: the queue stays bounded', async () => {
    let handled = 0;
    const big = Buffer.alloc(256 * 1024);
    big.writeInt32BE(big.length - 4, 0);
    const { connection, client } = await pair({
      handle(): Promise<HandlerOutcome> {
        handled++;
        return Promise.resolve({ type: 'respond', bytes: big });
      },
    });
    client.pause(); // never read
    for (let i = 0; i < 5000; i++) client.write(frame(i));
    await new Promise((r) => setTimeout(r, 500));
    const handledThen = handled;
    await new Promise((r) => setTimeout(r, 300));
    expect(handled).toBe(handledThen); // blocked on the unread responses
    expect(handled).toBeLessThan(5000);
    expect(connection().queuedRequests).toBeLessThanOrEqual(4);
    expect(connection().readingPaused).toBe(true);
    client.destroy();
  });
});
