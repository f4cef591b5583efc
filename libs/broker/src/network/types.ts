import type { LogFields } from '../logger.js';

/** What a request handler may know about the connection a frame came from. */
export interface ConnectionInfo {
  /** Unique per broker run, for log lines. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Kafka's spelling of the client host in group descriptions: "/127.0.0.1". */
  readonly clientHost: string;
  /** The client id of the first request (set by the dispatcher; for the disconnect log line). */
  clientId: string | undefined;
}

/** What becomes of one request frame. */
export type HandlerOutcome =
  /** Write these size-prefixed bytes as the response. */
  | { readonly type: 'respond'; readonly bytes: Uint8Array }
  /** No response (Produce with acks=0). */
  | { readonly type: 'silent' }
  /** Close the connection, logging the reason once (malformed frame, unknown API). */
  | { readonly type: 'close'; readonly reason: string; readonly fields?: LogFields; readonly level?: 'warn' | 'error' };

/**
 * Turns one frame (the bytes after the size prefix; the handler owns them)
 * into an outcome. `signal` aborts when the connection closes or the broker
 * shuts down: long polls return early then. Rejecting is a bug and closes
 * the connection.
 */
export interface FrameHandler {
  handle(frame: Buffer, connection: ConnectionInfo, signal: AbortSignal): Promise<HandlerOutcome>;
}
