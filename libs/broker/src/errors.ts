/**
 * The broker lib's only error type. Expected outcomes a client is told about
 * (unknown topic, stale generation, out-of-order sequence) are Kafka error
 * codes in responses, never exceptions; a `BrokerError` is thrown by
 * `Broker.start` / `close` for what the caller must branch on (address in
 * use, bad options, unusable data directory).
 */
export type BrokerErrorCode =
  /** An option is missing or out of range. */
  | 'INVALID_OPTIONS'
  /** Another process listens on host:port. */
  | 'ADDRESS_IN_USE'
  /** Listening failed for another reason (permission, unknown host). */
  | 'LISTEN_FAILED'
  /** The data directory could not be opened or its state files are unreadable. */
  | 'STORAGE_ERROR'
  /** Operation on a broker that is closed or closing. */
  | 'CLOSED';

const RETRIABLE: ReadonlySet<BrokerErrorCode> = new Set<BrokerErrorCode>(['ADDRESS_IN_USE']);

export interface BrokerErrorContext {
  readonly host?: string;
  readonly port?: number;
  /** Data directory or file involved. */
  readonly path?: string;
  /** The option at fault. */
  readonly option?: string;
}

export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  readonly retriable: boolean;

  constructor(
    readonly code: BrokerErrorCode,
    /** What was wrong, without the code and context the full message adds. */
    readonly detail: string,
    readonly context: BrokerErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}${describe(context)}`, options);
    this.retriable = RETRIABLE.has(code);
  }
}

export function isBrokerError(value: unknown): value is BrokerError {
  return value instanceof BrokerError;
}

function describe(context: BrokerErrorContext): string {
  const parts = Object.entries(context)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
