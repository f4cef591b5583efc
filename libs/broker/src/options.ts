/**
 * The broker's typed options, their defaults (Kafka's where one applies) and
 * their checks. Libs take values, not env: apps validate flags at the edge.
 */
import type { LogConfig } from '@lakestream/log';
import { BrokerError } from './errors.js';
import { silentLogger, type BrokerLogger } from './logger.js';

export interface BrokerOptions {
  /** Data directory: topics, partitions, committed offsets, producer ids. Created if missing. */
  readonly dir: string;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 9092); 0 picks a free one, see `Broker.address`. */
  readonly port?: number;
  /** Host clients are told to connect to (Metadata, FindCoordinator); default `host`, or 127.0.0.1 when listening on all interfaces. */
  readonly advertisedHost?: string;
  /** Kafka broker.id (default 1). */
  readonly nodeId?: number;
  /** Partitions of auto-created topics and of CreateTopics with -1 (Kafka's num.partitions; default 6). */
  readonly defaultPartitions?: number;
  /** Kafka's auto.create.topics.enable (default true): Metadata and Produce create unknown topics. */
  readonly autoCreateTopics?: boolean;
  /** Log defaults for every topic: flush policy, retention bytes/ms, segment bytes… (see @lakestream/log's LogConfig). */
  readonly log?: Partial<LogConfig>;
  /** Kafka's socket.request.max.bytes (default 100 MiB): a larger size prefix closes the connection. */
  readonly maxRequestBytes?: number;
  /**
   * Kafka's message.max.bytes (default 1048588): the largest record batch a
   * Produce may carry, measured as on the wire (after compression); a larger
   * one gets MESSAGE_TOO_LARGE (10) for its partition.
   */
  readonly messageMaxBytes?: number;
  /** Complete requests a connection may queue behind the one being handled before its socket is paused (default 32). */
  readonly maxQueuedRequests?: number;
  /** Kafka's connections.max.idle.ms (default 10 min; 0 disables). */
  readonly connectionsMaxIdleMs?: number;
  /** Kafka's group.min.session.timeout.ms (default 6000). */
  readonly groupMinSessionTimeoutMs?: number;
  /** Kafka's group.max.session.timeout.ms (default 1800000). */
  readonly groupMaxSessionTimeoutMs?: number;
  /** Kafka's group.initial.rebalance.delay.ms (default 0 here; Kafka's 3000 only slows a single machine down). */
  readonly groupInitialRebalanceDelayMs?: number;
  /** How often expired group members are evicted (default 100 ms). */
  readonly coordinatorTickMs?: number;
  /** Kafka's log.retention.check.interval.ms (default 5 min). */
  readonly retentionCheckIntervalMs?: number;
  /** How long `close()` lets connections finish the requests they have received (default 5 s). */
  readonly shutdownTimeoutMs?: number;
  readonly logger?: BrokerLogger;
  /** Wall clock in ms (tests may pass their own). */
  readonly now?: () => number;
}

export type ResolvedBrokerOptions = Required<Omit<BrokerOptions, 'log'>> & { readonly log: Partial<LogConfig> };

export const DEFAULT_PORT = 9092;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PARTITIONS = 6;
export const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
/** Kafka's message.max.bytes default: 1 MiB plus the 12-byte log overhead of a batch. */
export const DEFAULT_MESSAGE_MAX_BYTES = 1048588;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export function resolveBrokerOptions(options: BrokerOptions): ResolvedBrokerOptions {
  const host = options.host ?? DEFAULT_HOST;
  const resolved: ResolvedBrokerOptions = {
    dir: options.dir,
    host,
    port: options.port ?? DEFAULT_PORT,
    advertisedHost: options.advertisedHost ?? (WILDCARD_HOSTS.has(host) ? '127.0.0.1' : host),
    nodeId: options.nodeId ?? 1,
    defaultPartitions: options.defaultPartitions ?? DEFAULT_PARTITIONS,
    autoCreateTopics: options.autoCreateTopics ?? true,
    log: options.log ?? {},
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    messageMaxBytes: options.messageMaxBytes ?? DEFAULT_MESSAGE_MAX_BYTES,
    maxQueuedRequests: options.maxQueuedRequests ?? 32,
    connectionsMaxIdleMs: options.connectionsMaxIdleMs ?? 600_000,
    groupMinSessionTimeoutMs: options.groupMinSessionTimeoutMs ?? 6_000,
    groupMaxSessionTimeoutMs: options.groupMaxSessionTimeoutMs ?? 1_800_000,
    groupInitialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 0,
    coordinatorTickMs: options.coordinatorTickMs ?? 100,
    retentionCheckIntervalMs: options.retentionCheckIntervalMs ?? 300_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5_000,
    logger: options.logger ?? silentLogger,
    now: options.now ?? Date.now,
  };
  check(typeof resolved.dir === 'string' && resolved.dir.length > 0, 'dir', 'must be a non-empty path');
  check(Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535, 'port', `must be an integer in [0, 65535], got ${resolved.port}`);
  check(Number.isInteger(resolved.nodeId) && resolved.nodeId >= 0, 'nodeId', 'must be a non-negative integer');
  check(Number.isInteger(resolved.defaultPartitions) && resolved.defaultPartitions >= 1 && resolved.defaultPartitions <= 10_000, 'defaultPartitions', 'must be an integer in [1, 10000]');
  check(Number.isInteger(resolved.maxRequestBytes) && resolved.maxRequestBytes >= 1024 && resolved.maxRequestBytes <= 0x7fffffff, 'maxRequestBytes', 'must be an integer in [1024, 2^31-1]');
  check(Number.isInteger(resolved.messageMaxBytes) && resolved.messageMaxBytes >= 0 && resolved.messageMaxBytes <= 0x7fffffff, 'messageMaxBytes', 'must be an integer in [0, 2^31-1]');
  check(Number.isInteger(resolved.maxQueuedRequests) && resolved.maxQueuedRequests >= 1, 'maxQueuedRequests', 'must be a positive integer');
  for (const key of ['connectionsMaxIdleMs', 'groupInitialRebalanceDelayMs'] as const) {
    check(Number.isInteger(resolved[key]) && resolved[key] >= 0, key, 'must be an integer >= 0');
  }
  for (const key of ['groupMinSessionTimeoutMs', 'groupMaxSessionTimeoutMs', 'coordinatorTickMs', 'retentionCheckIntervalMs', 'shutdownTimeoutMs'] as const) {
    check(Number.isInteger(resolved[key]) && resolved[key] > 0, key, 'must be a positive integer');
  }
  check(resolved.groupMinSessionTimeoutMs <= resolved.groupMaxSessionTimeoutMs, 'groupMinSessionTimeoutMs', 'must not exceed groupMaxSessionTimeoutMs');
  return resolved;
}

function check(ok: boolean, option: string, detail: string): void {
  if (!ok) throw new BrokerError('INVALID_OPTIONS', `${option} ${detail}`, { option });
}
