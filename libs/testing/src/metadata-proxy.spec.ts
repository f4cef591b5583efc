import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatMetadata } from './kcat.js';
import { rewriteMetadataResponse } from './metadata-proxy.js';
import { startMockCluster, type MockCluster } from './mock-cluster.js';
import { requireTool } from './tools.js';

interface Broker {
  nodeId: number;
  host: string;
  port: number;
}

function str(s: string | null): Buffer {
  if (s === null) return Buffer.from([0xff, 0xff]);
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeInt16BE(b.length, 0);
  return Buffer.concat([len, b]);
}

function i32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v, 0);
  return b;
}

/** A Metadata response frame as a broker would send it (versions 1..8). */
function metadataResponse(version: number, correlationId: number, brokers: Broker[], controllerId: number, tail: Buffer): Buffer {
  const body = Buffer.concat([
    version >= 3 ? i32(7) : Buffer.alloc(0),
    i32(brokers.length),
    ...brokers.flatMap((b) => [i32(b.nodeId), str(b.host), i32(b.port), str(b.nodeId === 2 ? 'rack-b' : null)]),
    version >= 2 ? str('cluster-x') : Buffer.alloc(0),
    i32(controllerId),
    tail,
  ]);
  return Buffer.concat([i32(body.length + 4), i32(correlationId), body]);
}

/** Decodes what the proxy produced, the way a client would. */
function decode(frame: Buffer, version: number): { correlationId: number; brokers: Broker[]; controllerId: number; tail: Buffer } {
  let off = 8 + (version >= 3 ? 4 : 0);
  const count = frame.readInt32BE(off);
  off += 4;
  const brokers: Broker[] = [];
  for (let i = 0; i < count; i++) {
    const nodeId = frame.readInt32BE(off);
    const hostLen = frame.readInt16BE(off + 4);
    const host = frame.subarray(off + 6, off + 6 + hostLen).toString('utf8');
    const port = frame.readInt32BE(off + 6 + hostLen);
    off += 10 + hostLen;
    const rackLen = frame.readInt16BE(off);
    off += 2 + Math.max(rackLen, 0);
    brokers.push({ nodeId, host, port });
  }
  if (version >= 2) off += 2 + Math.max(frame.readInt16BE(off), 0);
  const controllerId = frame.readInt32BE(off);
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  return { correlationId: frame.readInt32BE(4), brokers, controllerId, tail: frame.subarray(off + 4) };
}

describe('rewriteMetadataResponse', () => {
  const brokers = [
    { nodeId: 1, host: '127.0.0.1', port: 1001 },
    { nodeId: 2, host: '127.0.0.1', port: 1002 },
  ];
  const advertised = new Map([
    ['127.0.0.1:1001', { host: 'localhost', port: 2001 }],
    ['127.0.0.1:1002', { host: 'localhost', port: 2002 }],
  ]);
  const tail = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0x74, 0xff, 0x00]);

  for (const version of [1, 2, 6]) {
    it(`v${version}: names a real broker as controller and advertises the proxy, keeping the rest`, () => {
      const out = decode(rewriteMetadataResponse(metadataResponse(version, 42, brokers, 0, tail), version, advertised), version);
      expect(out.correlationId).toBe(42);
      expect(out.controllerId).toBe(1);
      expect(out.brokers).toEqual([
        { nodeId: 1, host: 'localhost', port: 2001 },
        { nodeId: 2, host: 'localhost', port: 2002 },
      ]);
      expect(out.tail).toEqual(tail);
    });
  }

  it('keeps a controller id that names a broker', () => {
    const out = decode(rewriteMetadataResponse(metadataResponse(5, 1, brokers, 2, tail), 5, advertised), 5);
    expect(out.controllerId).toBe(2);
  });
});

const hasKcat = requireTool('kcat', ['-V']);

describe.skipIf(!hasKcat)('metadata proxy in front of the kcat mock cluster', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster({ brokers: 2 });
  });
  afterAll(() => cluster?.stop());

  /** Sends a raw Metadata v1 request (all topics) and returns the decoded answer. */
  async function rawMetadata(address: string): Promise<ReturnType<typeof decode>> {
    const [host, port] = address.split(':') as [string, string];
    const socket = connect(Number(port), host);
    const request = Buffer.concat([Buffer.from([0, 3, 0, 1]), i32(99), str('spec'), i32(-1)]);
    socket.write(Buffer.concat([i32(request.length), request]));
    let data = Buffer.alloc(0);
    for await (const chunk of socket) {
      data = Buffer.concat([data, chunk as Buffer]);
      if (data.length >= 4 && data.length >= 4 + data.readInt32BE(0)) break;
    }
    socket.destroy();
    return decode(data, 1);
  }

  it('the mock alone reports controller 0, which is no broker', async () => {
    const meta = await kcatMetadata(cluster.directBootstrap);
    expect(meta.controllerId).toBe(0);
    expect(meta.brokers.map((b) => b.id).sort()).toEqual([1, 2]);
  });

  it('through the proxy the controller is broker 1 and every broker address is a proxy listener', async () => {
    const proxies = cluster.bootstrap.split(',');
    const meta = await rawMetadata(proxies[1] as string);
    expect(meta.correlationId).toBe(99);
    expect(meta.controllerId).toBe(1);
    expect(meta.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...proxies].sort());
  });
});
