/**
 * Per-partition log configuration: typed options with Kafka's defaults where
 * they make sense for a single node, plus the mapping to and from Kafka's
 * topic config names (CreateTopics / DescribeConfigs speak those).
 */
import { LogError } from './errors.js';

/**
 * When appended bytes are fsynced. `'always'`: before `append` resolves.
 * `{ messages, ms }`: after that many records, or that long after the first
 * unflushed append, whichever comes first; `{}` leaves it to the OS (Kafka's
 * default). Segments are always fsynced when they roll and on close.
 */
export type FlushPolicy = 'always' | { readonly messages?: number; readonly ms?: number };

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface LogConfig {
  /** Roll to a new segment before an append would take the active one past this size. */
  readonly segmentBytes: number;
  /** Roll a non-empty active segment this long after it was created (or reopened). */
  readonly segmentMs: number;
  /** Bytes of batches between two sparse index entries. */
  readonly indexIntervalBytes: number;
  /** Keep at least this many bytes, deleting older whole segments beyond it; -1 = unlimited (Kafka's convention). */
  readonly retentionBytes: number;
  /** Delete segments whose newest batch timestamp is older than this; -1 = unlimited. */
  readonly retentionMs: number;
  readonly flush: FlushPolicy;
  /** `LogAppendTime` stamps each batch's maxTimestamp with the append time, as Kafka's message.timestamp.type. */
  readonly timestampType: TimestampType;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Index positions are int32; stay well clear of 2 GiB even with one oversized batch. */
const MAX_SEGMENT_BYTES = 1024 * 1024 * 1024;

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 64 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  indexIntervalBytes: 4096,
  retentionBytes: -1,
  retentionMs: 7 * DAY_MS,
  flush: { ms: 1000 },
  timestampType: 'CreateTime',
};

/** Fills unset fields from `base` and checks ranges; throws INVALID_CONFIG. */
export function resolveLogConfig(overrides: Partial<LogConfig> = {}, base: LogConfig = DEFAULT_LOG_CONFIG): LogConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<LogConfig>;
  const config: LogConfig = { ...base, ...defined };
  const problem = checkLogConfig(config);
  if (problem !== undefined) throw new LogError('INVALID_CONFIG', problem);
  return config;
}

function checkLogConfig(c: LogConfig): string | undefined {
  if (!isInt(c.segmentBytes) || c.segmentBytes < 1024 || c.segmentBytes > MAX_SEGMENT_BYTES) {
    return `segmentBytes must be an integer in [1024, ${MAX_SEGMENT_BYTES}], got ${c.segmentBytes}`;
  }
  if (!isInt(c.segmentMs) || c.segmentMs < 1) return `segmentMs must be a positive integer, got ${c.segmentMs}`;
  if (!isInt(c.indexIntervalBytes) || c.indexIntervalBytes < 0) return `indexIntervalBytes must be >= 0, got ${c.indexIntervalBytes}`;
  if (!isInt(c.retentionBytes) || c.retentionBytes < -1) return `retentionBytes must be -1 or >= 0, got ${c.retentionBytes}`;
  if (!isInt(c.retentionMs) || c.retentionMs < -1) return `retentionMs must be -1 or >= 0, got ${c.retentionMs}`;
  if (c.timestampType !== 'CreateTime' && c.timestampType !== 'LogAppendTime') return `timestampType must be CreateTime or LogAppendTime`;
  if (c.flush !== 'always') {
    if (typeof c.flush !== 'object' || c.flush === null) return `flush must be 'always' or { messages?, ms? }`;
    const { messages, ms } = c.flush;
    if (messages !== undefined && (!isInt(messages) || messages < 1)) return `flush.messages must be a positive integer, got ${messages}`;
    if (ms !== undefined && (!isInt(ms) || ms < 0)) return `flush.ms must be an integer >= 0, got ${ms}`;
  }
  return undefined;
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

export type KafkaConfigResult =
  | { readonly ok: true; readonly config: Partial<LogConfig>; readonly ignored: readonly string[] }
  | { readonly ok: false; readonly code: 'INVALID_CONFIG'; readonly key: string; readonly message: string };

/** Kafka's "never" for flush.messages / flush.ms. */
const KAFKA_LONG_MAX = '9223372036854775807';

/**
 * Topic configs by Kafka name (as CreateTopics sends them) to log overrides.
 * Names the log has no use for (cleanup.policy, compression.type, …) are
 * returned in `ignored` for the broker to accept or refuse.
 */
export function fromKafkaTopicConfig(entries: Readonly<Record<string, string | null | undefined>>): KafkaConfigResult {
  const config: { -readonly [K in keyof LogConfig]?: LogConfig[K] } = {};
  const ignored: string[] = [];
  let flushMessages: number | undefined;
  let flushMs: number | undefined;
  for (const [key, raw] of Object.entries(entries)) {
    if (raw === null || raw === undefined) continue;
    const n = raw === KAFKA_LONG_MAX ? Number.MAX_SAFE_INTEGER : Number(raw);
    const numeric = raw.trim() !== '' && Number.isSafeInteger(n);
    const bad = (): KafkaConfigResult => ({ ok: false, code: 'INVALID_CONFIG', key, message: `invalid value ${JSON.stringify(raw)} for ${key}` });
    switch (key) {
      case 'segment.bytes': if (!numeric) return bad(); config.segmentBytes = n; break;
      case 'segment.ms': if (!numeric) return bad(); config.segmentMs = n; break;
      case 'index.interval.bytes': if (!numeric) return bad(); config.indexIntervalBytes = n; break;
      case 'retention.bytes': if (!numeric) return bad(); config.retentionBytes = n; break;
      case 'retention.ms': if (!numeric) return bad(); config.retentionMs = n; break;
      case 'flush.messages': if (!numeric) return bad(); flushMessages = n; break;
      case 'flush.ms': if (!numeric) return bad(); flushMs = n; break;
      case 'message.timestamp.type':
        if (raw !== 'CreateTime' && raw !== 'LogAppendTime') return bad();
        config.timestampType = raw;
        break;
      default: ignored.push(key);
    }
  }
  if (flushMessages !== undefined || flushMs !== undefined) {
    const messages = flushMessages === Number.MAX_SAFE_INTEGER ? undefined : flushMessages;
    const ms = flushMs === Number.MAX_SAFE_INTEGER ? undefined : flushMs;
    config.flush = messages === 1 ? 'always' : { ...(messages !== undefined ? { messages } : {}), ...(ms !== undefined ? { ms } : {}) };
  }
  try {
    resolveLogConfig(config);
  } catch (e) {
    return { ok: false, code: 'INVALID_CONFIG', key: '*', message: e instanceof Error ? e.message : String(e) };
  }
  return { ok: true, config, ignored };
}

/** The effective config under Kafka's names (for DescribeConfigs). */
export function toKafkaTopicConfig(c: LogConfig): Record<string, string> {
  const flushMessages = c.flush === 'always' ? '1' : c.flush.messages !== undefined ? String(c.flush.messages) : KAFKA_LONG_MAX;
  const flushMs = c.flush === 'always' ? '0' : c.flush.ms !== undefined ? String(c.flush.ms) : KAFKA_LONG_MAX;
  return {
    'segment.bytes': String(c.segmentBytes),
    'segment.ms': String(c.segmentMs),
    'index.interval.bytes': String(c.indexIntervalBytes),
    'retention.bytes': String(c.retentionBytes),
    'retention.ms': String(c.retentionMs),
    'flush.messages': flushMessages,
    'flush.ms': flushMs,
    'message.timestamp.type': c.timestampType,
    'cleanup.policy': 'delete',
  };
}
