/**
 * The broker logs through an injected interface: one line per client
 * connect, disconnect or protocol error and per lifecycle event, never one
 * per request. The lib never writes to stdout/stderr itself.
 */
export type LogFieldValue = string | number | boolean | null | undefined;
export type LogFields = Readonly<Record<string, LogFieldValue>>;

export interface BrokerLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Discards everything (the default for in-process brokers in tests). */
export const silentLogger: BrokerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A logger writing `2024-01-01T00:00:00.000Z INFO message key=value …`
 * lines to `write` (an app passes a stderr writer).
 */
export function lineLogger(write: (line: string) => void, now: () => Date = () => new Date()): BrokerLogger {
  const emit = (level: string, message: string, fields?: LogFields): void => {
    write(`${now().toISOString()} ${level} ${message}${formatFields(fields)}\n`);
  };
  return {
    info: (m, f) => emit('INFO', m, f),
    warn: (m, f) => emit('WARN', m, f),
    error: (m, f) => emit('ERROR', m, f),
  };
}

export function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    out += ` ${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`;
  }
  return out;
}
