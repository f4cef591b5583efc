import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of librdkafka's mock cluster that repairs one field of
 * Metadata responses so kafkajs can use the mock as a full broker.
 *
 * Why: the mock (librdkafka 2.0.2) answers Metadata with ControllerId 0, which
 * is not one of its brokers (they are numbered from 1). kafkajs's idempotent
 * producer sends InitProducerId to the controller, fails with "Broker 0 not
 * found in the cached metadata" and never connects, although the mock itself
 * serves InitProducerId and checks producer sequences fine. The proxy rewrites
 * ControllerId to the first broker when it names none, and advertises the
 * proxy's own listeners as the brokers' addresses, so every connection of the
 * client goes through it. Every other byte is passed through untouched.
 *
 * Only non-flexible Metadata versions (0..8) are rewritten; kafkajs 2.x uses
 * at most v6. Test infrastructure only: real Kafka reports a real controller.
 */
export interface MetadataProxy {
  /** Proxy listeners, in the order of the upstream addresses, as a bootstrap list. */
  readonly bootstrap: string;
  close(): Promise<void>;
}

interface Address {
  readonly host: string;
  readonly port: number;
}

const METADATA_API_KEY = 3;
const MAX_REWRITTEN_VERSION = 8;

export async function startMetadataProxy(upstreams: readonly string[], listenHost = '127.0.0.1'): Promise<MetadataProxy> {
  const targets = upstreams.map(parseAddress);
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  /** upstream "host:port" → the proxy address that stands for it. */
  const advertised = new Map<string, Address>();

  for (const target of targets) {
    const server = createServer((client) => bridge(client, target, advertised, sockets));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, listenHost, () => resolve());
    });
    const info = server.address();
    if (info === null || typeof info === 'string') throw new Error('proxy listener has no TCP address');
    advertised.set(`${target.host}:${target.port}`, { host: listenHost, port: info.port });
    servers.push(server);
  }

  return {
    bootstrap: targets.map((t) => advertised.get(`${t.host}:${t.port}`)).map((a) => `${a?.host}:${a?.port}`).join(','),
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

function parseAddress(text: string): Address {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port)) throw new Error(`not a host:port address: ${text}`);
  return { host: text.slice(0, at), port };
}

function bridge(client: Socket, target: Address, advertised: ReadonlyMap<string, Address>, sockets: Set<Socket>): void {
  const upstream = connect(target.port, target.host);
  sockets.add(client);
  sockets.add(upstream);
  /** correlation id → Metadata request version, for responses we rewrite. */
  const metadataRequests = new Map<number, number>();

  const requests = new FrameReader((frame) => {
    if (frame.length >= 12 && frame.readInt16BE(4) === METADATA_API_KEY) {
      metadataRequests.set(frame.readInt32BE(8), frame.readInt16BE(6));
    }
    return frame;
  });
  const responses = new FrameReader((frame) => {
    if (frame.length < 8) return frame;
    const correlationId = frame.readInt32BE(4);
    const version = metadataRequests.get(correlationId);
    if (version === undefined) return frame;
    metadataRequests.delete(correlationId);
    return version <= MAX_REWRITTEN_VERSION ? rewriteMetadataResponse(frame, version, advertised) : frame;
  });

  pipeFrames(client, upstream, requests);
  pipeFrames(upstream, client, responses);
  const close = () => {
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  client.on('close', close);
  upstream.on('close', close);
  client.on('error', close);
  upstream.on('error', close);
}

function pipeFrames(from: Socket, to: Socket, reader: FrameReader): void {
  from.on('data', (chunk: Buffer) => {
    let flowing = true;
    for (const frame of reader.push(chunk)) flowing = to.write(frame);
    if (!flowing) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
}

/** Splits a byte stream into Kafka frames (int32 size + body) and maps each. */
class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly map: (frame: Buffer) => Buffer) {}

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (this.pending.length < 4 + size) break;
      frames.push(this.map(this.pending.subarray(0, 4 + size)));
      this.pending = this.pending.subarray(4 + size);
    }
    return frames;
  }
}

/**
 * Metadata response, versions 0..8 (response header v0 = correlation id):
 * [throttle_time_ms v3+] [brokers: node_id host port rack(v1+)] cluster_id(v2+) controller_id(v1+) [topics...]
 */
export function rewriteMetadataResponse(frame: Buffer, version: number, advertised: ReadonlyMap<string, Address>): Buffer {
  const body = frame.subarray(8);
  const parts: Buffer[] = [];
  let off = 0;
  if (version >= 3) off += 4;
  parts.push(body.subarray(0, off));
  const count = body.readInt32BE(off);
  off += 4;
  parts.push(int32(count));
  const brokerIds: number[] = [];
  for (let i = 0; i < count; i++) {
    const nodeId = body.readInt32BE(off);
    const hostLen = body.readInt16BE(off + 4);
    const host = body.subarray(off + 6, off + 6 + hostLen).toString('utf8');
    const port = body.readInt32BE(off + 6 + hostLen);
    off += 10 + hostLen;
    brokerIds.push(nodeId);
    const replacement = advertised.get(`${host}:${port}`) ?? { host, port };
    const hostBytes = Buffer.from(replacement.host, 'utf8');
    parts.push(int32(nodeId), int16(hostBytes.length), hostBytes, int32(replacement.port));
    if (version >= 1) {
      const rackLen = body.readInt16BE(off);
      const rackEnd = off + 2 + Math.max(rackLen, 0);
      parts.push(body.subarray(off, rackEnd));
      off = rackEnd;
    }
  }
  if (version >= 2) {
    const clusterLen = body.readInt16BE(off);
    const clusterEnd = off + 2 + Math.max(clusterLen, 0);
    parts.push(body.subarray(off, clusterEnd));
    off = clusterEnd;
  }
  if (version >= 1) {
    const controllerId = body.readInt32BE(off);
    off += 4;
    const fixed = brokerIds.includes(controllerId) || brokerIds.length === 0 ? controllerId : Math.min(...brokerIds);
    parts.push(int32(fixed));
  }
  parts.push(body.subarray(off));
  const newBody = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeInt32BE(newBody.length + 4, 0);
  header.writeInt32BE(frame.readInt32BE(4), 4);
  return Buffer.concat([header, newBody]);
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value, 0);
  return b;
}

function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value, 0);
  return b;
}
