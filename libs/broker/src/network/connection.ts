/**
 * One client connection: frames in, handled strictly one at a time in
 * arrival order, responses out in the same order (Kafka's per-connection
 * ordering; clients may pipeline). Memory stays bounded: at most
 * `maxQueuedRequests` complete frames (and `maxRequestBytes` of them) wait
 * while one is handled, the socket is paused beyond that, and no request is
 * started while the previous response is still stuck in the socket's write
 * buffer (a client that does not read stops being read).
 *
 *   open ──(broker shutdown)──▶ draining ──(queue done)──▶ end ──▶ closed
 *     └──(violation, client close, error, idle)──────────────────────▶ closed
 *
 * One log line when the broker first answers the connection ('client
 * connected', with the client id by then), exactly one when it ends, with the
 * reason. A connection closed before it was ever answered (a client pinned to
 * versions this broker does not speak, reconnecting ten times a second) thus
 * costs only its disconnect line. A warning that the same client (address and
 * client id) already got for the same reason goes through the shared
 * `WarningLimiter`: logged again at most once a minute, with `(N suppressed)`.
 */
import type { Socket } from 'node:net';
import type { BrokerLogger, LogFields } from '../logger.js';
import type { WarningLimiter } from '../warning-limiter.js';
import { FrameReader, type FrameViolation } from './frame-reader.js';
import type { ConnectionInfo, FrameHandler } from './types.js';

export interface ConnectionOptions {
  readonly maxRequestBytes: number;
  readonly maxQueuedRequests: number;
  /** Close a connection with nothing in flight after this long without traffic (Kafka's connections.max.idle.ms). */
  readonly idleTimeoutMs: number;
  readonly handler: FrameHandler;
  readonly logger: BrokerLogger;
  /** Aborted when the broker shuts down. */
  readonly shutdown: AbortSignal;
  /** Rate limit for repeated warnings, shared by all connections (none: every warning is logged). */
  readonly warnings?: WarningLimiter;
}

type State = 'open' | 'draining' | 'closed';

interface CloseReason {
  readonly level: 'info' | 'warn' | 'error';
  readonly reason: string;
  readonly fields?: LogFields;
}

export class Connection {
  readonly info: ConnectionInfo;
  /** Resolves once the socket has closed. */
  readonly closed: Promise<void>;
  private state: State = 'open';
  private readonly reader: FrameReader;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private processing = false;
  private paused = false;
  private requests = 0;
  /** Whether the 'client connected' line was logged (at the first request not answered by a close). */
  private announced = false;
  private closeReason: CloseReason | undefined;
  private readonly abort = new AbortController();
  private readonly signal: AbortSignal;
  private resolveClosed!: () => void;

  constructor(
    private readonly socket: Socket,
    id: number,
    private readonly options: ConnectionOptions,
  ) {
    const remoteAddress = socket.remoteAddress ?? 'unknown';
    this.info = { id, remoteAddress, remotePort: socket.remotePort ?? 0, clientHost: `/${remoteAddress}`, clientId: undefined };
    this.reader = new FrameReader(options.maxRequestBytes);
    this.signal = AbortSignal.any([this.abort.signal, options.shutdown]);
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) socket.setTimeout(options.idleTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (e: NodeJS.ErrnoException) => this.onError(e));
    socket.on('timeout', () => this.onIdle());
    socket.on('drain', () => this.pump());
    socket.on('close', () => this.onClose());
  }

  /** Complete requests waiting behind the one in hand (bounded by maxQueuedRequests / maxRequestBytes). */
  get queuedRequests(): number {
    return this.queue.length;
  }

  /** Whether the socket is paused because the queue is full. */
  get readingPaused(): boolean {
    return this.paused;
  }

  /** Graceful shutdown: read nothing more, finish what was received, then end the socket. */
  drain(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'draining';
      this.closeReason ??= { level: 'info', reason: 'broker shutting down' };
      this.socket.pause();
      this.reader.reset();
      this.finishDrainIfIdle();
    }
    return this.closed;
  }

  /** Hard stop (shutdown deadline passed). */
  destroy(reason: string): void {
    this.closeReason ??= { level: 'warn', reason };
    this.teardown();
  }

  private onData(chunk: Buffer): void {
    if (this.state !== 'open') return;
    this.reader.push(chunk);
    if (this.fill()) this.pump();
  }

  /**
   * Moves complete frames from the reader into the queue while there is
   * room; pauses the socket when the queue is full (frames not taken stay in
   * the reader) and resumes it when the reader is drained of them. False
   * when a violation closed the connection.
   */
  private fill(): boolean {
    while (this.queue.length < this.options.maxQueuedRequests && this.queuedBytes < this.options.maxRequestBytes) {
      const next = this.reader.next();
      if (next === undefined) {
        if (this.paused && this.state === 'open') {
          this.paused = false;
          this.socket.resume();
        }
        return true;
      }
      if (!Buffer.isBuffer(next)) {
        this.fail({ level: 'warn', reason: describeViolation(next) });
        return false;
      }
      this.queue.push(next);
      this.queuedBytes += next.length;
    }
    if (!this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    return true;
  }

  private pump(): void {
    if (this.processing || this.state === 'closed') return;
    if (this.queue.length === 0 || this.socket.writableNeedDrain) {
      this.finishDrainIfIdle();
      return;
    }
    this.processing = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      while (this.state !== 'closed' && this.queue.length > 0 && !this.socket.writableNeedDrain) {
        const frame = this.queue.shift() as Buffer;
        this.queuedBytes -= frame.length;
        if (this.state === 'open' && !this.fill()) break;
        this.requests++;
        const outcome = await this.options.handler.handle(frame, this.info, this.signal);
        if (this.isClosed()) break;
        if (outcome.type !== 'close' && !this.announced) {
          this.announced = true;
          this.options.logger.info('client connected', this.fields());
        }
        if (outcome.type === 'respond') {
          if (this.socket.writable) this.socket.write(outcome.bytes);
        } else if (outcome.type === 'close') {
          this.fail({ level: outcome.level ?? 'warn', reason: outcome.reason, ...(outcome.fields ? { fields: outcome.fields } : {}) });
          break;
        }
      }
    } catch (e) {
      this.fail({ level: 'error', reason: 'request handler failed', fields: { error: e instanceof Error ? e.message : String(e) } });
    } finally {
      this.processing = false;
    }
    this.pump();
  }

  /** A method, not a field test: the state changes while a request is awaited. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private finishDrainIfIdle(): void {
    // Once the last response is flushed, close without waiting for the client's FIN: shutdown must not hang on a client.
    if (this.state === 'draining' && !this.processing && this.queue.length === 0 && !this.socket.writableEnded) {
      this.socket.end(() => this.socket.destroy());
    }
  }

  private onEnd(): void {
    if (this.state === 'closed') return;
    if (this.reader.midFrame) {
      const size = this.reader.announcedSize;
      const got = this.reader.bufferedBytes;
      this.closeReason ??= {
        level: 'warn',
        reason: size === undefined ? `truncated frame: connection ended inside a size prefix (${got} of 4 bytes)` : `truncated frame: connection ended after ${got} of ${size} bytes`,
      };
    } else {
      this.closeReason ??= { level: 'info', reason: 'client closed the connection' };
    }
    this.teardown();
  }

  private onError(e: NodeJS.ErrnoException): void {
    const expected = e.code === 'ECONNRESET' || e.code === 'EPIPE';
    this.closeReason ??= { level: expected ? 'info' : 'warn', reason: expected ? 'connection reset by client' : `socket error: ${e.message}`, fields: { code: e.code } };
  }

  private onIdle(): void {
    if (this.processing || this.queue.length > 0) return;
    this.closeReason ??= { level: 'info', reason: `idle for ${this.options.idleTimeoutMs} ms` };
    this.teardown();
  }

  private fail(reason: CloseReason): void {
    this.closeReason ??= reason;
    this.teardown();
  }

  private teardown(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.queue = [];
    this.queuedBytes = 0;
    this.reader.reset();
    this.abort.abort();
    this.socket.destroy();
  }

  private onClose(): void {
    this.closeReason ??= { level: 'info', reason: 'connection closed' };
    this.teardown();
    const { level, reason, fields } = this.closeReason;
    let message = 'client disconnected';
    let suppressed: number | undefined;
    if (level === 'warn' && this.options.warnings) {
      const decision = this.options.warnings.admit(this.warningKey(reason));
      if (decision.log && decision.suppressed > 0) {
        suppressed = decision.suppressed;
        message += ` (${suppressed} suppressed)`;
      }
      if (!decision.log) message = '';
    }
    if (message !== '') this.options.logger[level](message, { ...this.fields(), requests: this.requests, reason, ...fields, suppressed });
    this.resolveClosed();
  }

  /** The same client (host and client id, not the ephemeral port) and the same reason, numbers aside (correlation ids, sizes). */
  private warningKey(reason: string): string {
    return `${this.info.remoteAddress}|${this.info.clientId ?? ''}|${reason.replace(/\d+/g, '#')}`;
  }

  private fields(): LogFields {
    return { conn: this.info.id, client: `${this.info.remoteAddress}:${this.info.remotePort}`, clientId: this.info.clientId };
  }
}

function describeViolation(v: FrameViolation): string {
  switch (v.kind) {
    case 'oversized':
      return `request size ${v.size} exceeds socket.request.max.bytes ${v.limit}`;
    case 'negative-size':
      return `invalid request size ${v.size}`;
  }
}
