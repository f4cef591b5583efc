/** Runs the broker until a signal: start, print the listening line, wait, close. Returns the exit code. */
import { Broker, isBrokerError, lineLogger } from '@lakestream/broker';
import type { BrokerCliOptions } from './cli.js';

export interface ServeIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

export async function serve(options: BrokerCliOptions, io: ServeIo): Promise<number> {
  let broker: Broker;
  try {
    broker = await Broker.start({ ...options, logger: lineLogger(io.err) });
  } catch (error) {
    if (!isBrokerError(error)) throw error;
    io.err(`error: ${error.code === 'ADDRESS_IN_USE' || error.code === 'LISTEN_FAILED' ? error.detail : error.message}\n`);
    return 1;
  }
  io.out(`lakestream broker listening on ${broker.address.host}:${broker.address.port} (data: ${broker.dir})\n`);
  if (!io.signal.aborted) await new Promise((resolve) => io.signal.addEventListener('abort', resolve, { once: true }));
  try {
    await broker.close();
  } catch (error) {
    io.err(`error: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return 0;
}
