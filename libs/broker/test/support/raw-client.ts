/**
 * A bare Kafka client on a raw socket for wire-level tests: send frames
 * (well-formed or not), read size-prefixed responses in order, see closes.
 */
import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest, type ApiKey, type RequestBody, type ResponseBody } from '@lakestream/protocol';

export class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private correlationId = 1;
  closed = false;
  readonly whenClosed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 4 && this.buffer.length >= 4 + this.buffer.readInt32BE(0)) {
        const size = this.buffer.readInt32BE(0);
        this.frames.push(this.buffer.subarray(4, 4 + size));
        this.buffer = this.buffer.subarray(4 + size);
      }
      this.notify();
    });
    socket.on('error', () => undefined);
    this.whenClosed = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.notify();
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Encodes a request with the next correlation id and writes it; returns the id. */
  send<K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestBody<K>, clientId = 'raw-test'): number {
    const correlationId = this.correlationId++;
    this.write(encodeRequest({ apiKey, apiVersion, correlationId, clientId }, body));
    return correlationId;
  }

  /** The next response frame (after its size prefix), or undefined when the connection closes first or `timeoutMs` passes. */
  async nextFrame(timeoutMs = 5000): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift();
  }

  async request<K extends ApiKey>(apiKey: K, apiVersion: number, body: RequestBody<K>, timeoutMs = 5000): Promise<{ correlationId: number; body: ResponseBody<K> }> {
    const sent = this.send(apiKey, apiVersion, body);
    const frame = await this.nextFrame(timeoutMs);
    if (!frame) throw new Error(`no response to API ${apiKey} v${apiVersion} (closed: ${this.closed})`);
    const decoded = decodeResponse(apiKey, apiVersion, frame);
    if (decoded.correlationId !== sent) throw new Error(`correlation id ${decoded.correlationId}, expected ${sent}`);
    return decoded;
  }

  close(): void {
    this.socket.destroy();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
