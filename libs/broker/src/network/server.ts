/**
 * The TCP listener: accepts connections, hands each to a `Connection`, and
 * shuts down in order — stop accepting, abort long polls, let every
 * connection finish the requests it has received, then (after a deadline)
 * destroy whatever is left.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { BrokerError } from '../errors.js';
import type { BrokerLogger } from '../logger.js';
import { WarningLimiter } from '../warning-limiter.js';
import { Connection } from './connection.js';
import type { FrameHandler } from './types.js';

export interface NetworkServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxRequestBytes: number;
  readonly maxQueuedRequests: number;
  readonly idleTimeoutMs: number;
  readonly handler: FrameHandler;
  readonly logger: BrokerLogger;
  /** Clock for rate-limiting repeated warnings (default Date.now). */
  readonly now?: () => number;
}

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export class NetworkServer {
  private readonly connections = new Set<Connection>();
  /** One for all connections: a client that reconnects in a loop gets the same keys each time. */
  private readonly warnings: WarningLimiter;
  private readonly shutdown = new AbortController();
  private nextId = 1;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    readonly address: ListenAddress,
    private readonly options: NetworkServerOptions,
  ) {
    this.warnings = new WarningLimiter({ now: options.now });
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', (e) => options.logger.error('listener error', { error: e.message }));
  }

  /** Listens; rejects with ADDRESS_IN_USE or LISTEN_FAILED. */
  static listen(options: NetworkServerOptions): Promise<NetworkServer> {
    const server = createServer({ noDelay: true });
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        const where = `${options.host}:${options.port}`;
        const context = { host: options.host, port: options.port };
        reject(
          e.code === 'EADDRINUSE'
            ? new BrokerError('ADDRESS_IN_USE', `cannot listen on ${where}: address already in use`, context, { cause: e })
            : new BrokerError('LISTEN_FAILED', `cannot listen on ${where}: ${e.message}`, context, { cause: e }),
        );
      };
      server.once('error', onError);
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', onError);
        const bound = server.address();
        const port = bound !== null && typeof bound === 'object' ? bound.port : options.port;
        resolve(new NetworkServer(server, { host: options.host, port }, options));
      });
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Graceful close: no new connections; long polls return now; each
   * connection finishes its received requests; after `timeoutMs` the rest
   * are destroyed. Idempotent.
   */
  close(timeoutMs: number): Promise<void> {
    this.closing ??= this.closeNow(timeoutMs);
    return this.closing;
  }

  private async closeNow(timeoutMs: number): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.shutdown.abort();
    const drained = Promise.all([...this.connections].map((c) => c.drain()));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([drained, deadline])) === 'timeout') {
      for (const c of this.connections) c.destroy(`still busy ${timeoutMs} ms after shutdown began`);
    }
    clearTimeout(timer);
    await Promise.all([...this.connections].map((c) => c.closed));
    await stopped;
  }

  private accept(socket: Socket): void {
    if (this.shutdown.signal.aborted) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, this.nextId++, { ...this.options, warnings: this.warnings, shutdown: this.shutdown.signal });
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
  }
}
