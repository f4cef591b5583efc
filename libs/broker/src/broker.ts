/**
 * The embedded single-node Kafka-protocol broker.
 *
 *   start: check options ─▶ open storage (log recovery, offsets and group membership, producer ids, cluster id)
 *          ─▶ listen ─▶ timers (group sessions every 100 ms, retention) ─▶ running
 *   close: stop timers ─▶ stop accepting, finish received requests ─▶ flush and close logs and offsets
 *
 *   socket ─▶ frames ─▶ decode ─▶ handler ─▶ log / coordinator ─▶ encode ─▶ socket
 */
import { join } from 'node:path';
import { isLogError, LogManager, OffsetStore, resolveLogConfig } from '@lakestream/log';
import { GroupCoordinator } from './coordinator/coordinator.js';
import { BrokerError, isBrokerError } from './errors.js';
import type { HandlerContext } from './handlers/context.js';
import { RequestDispatcher } from './handlers/dispatcher.js';
import { TRANSACTIONS_REFUSED_REASON } from './handlers/no-transactions.js';
import type { BrokerLogger } from './logger.js';
import { NetworkServer, type ListenAddress } from './network/server.js';
import type { ConnectionInfo } from './network/types.js';
import { resolveBrokerOptions, type BrokerOptions, type ResolvedBrokerOptions } from './options.js';
import { loadClusterId } from './state/cluster-id.js';
import { StoreCommittedOffsets } from './state/committed-offsets.js';
import { STATE_DIR } from './state/files.js';
import { StoreGroupMembership } from './state/group-membership.js';
import { ProducerIdAllocator } from './state/producer-ids.js';
import { WarningLimiter } from './warning-limiter.js';

interface Storage {
  readonly logs: LogManager;
  readonly offsetStore: OffsetStore;
  readonly producerIds: ProducerIdAllocator;
  readonly clusterId: string;
}

export class Broker {
  /** Where the broker listens (the actual port when 0 was asked for). */
  readonly address: ListenAddress;
  /** `host:port` for clients' bootstrap servers (the advertised host). */
  readonly bootstrap: string;
  readonly dir: string;
  readonly clusterId: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private retentionRunning = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: ResolvedBrokerOptions,
    private readonly storage: Storage,
    private readonly network: NetworkServer,
    private readonly coordinator: GroupCoordinator,
  ) {
    this.address = network.address;
    this.bootstrap = `${options.advertisedHost}:${network.address.port}`;
    this.dir = options.dir;
    this.clusterId = storage.clusterId;
    this.timers.push(setInterval(() => this.tick(), options.coordinatorTickMs).unref());
    this.timers.push(setInterval(() => void this.enforceRetention(), options.retentionCheckIntervalMs).unref());
  }

  /** Opens (and recovers) the data directory and listens. Throws BrokerError: INVALID_OPTIONS, STORAGE_ERROR, ADDRESS_IN_USE, LISTEN_FAILED. */
  static async start(options: BrokerOptions): Promise<Broker> {
    const o = resolveBrokerOptions(options);
    try {
      resolveLogConfig(o.log);
    } catch (e) {
      throw new BrokerError('INVALID_OPTIONS', `log config: ${isLogError(e) ? e.detail : String(e)}`, { option: 'log' });
    }
    const storage = await openStorage(o);
    reportRecovery(storage.logs, o.logger);

    const offsets = new StoreCommittedOffsets(storage.offsetStore);
    const reportStorageFailure = storageFailureReporter(o.logger);
    const coordinator = new GroupCoordinator({
      offsets,
      membership: new StoreGroupMembership(storage.offsetStore),
      // A save racing shutdown (the store already closed) is not a storage failure.
      onStoreFailure: (e) => (isLogError(e) && e.code === 'CLOSED' ? undefined : reportStorageFailure(e)),
      now: o.now,
      minSessionTimeoutMs: o.groupMinSessionTimeoutMs,
      maxSessionTimeoutMs: o.groupMaxSessionTimeoutMs,
      initialRebalanceDelayMs: o.groupInitialRebalanceDelayMs,
    });
    // The port is known only once listening; no connection is accepted before it is filled in.
    const node = { nodeId: o.nodeId, host: o.advertisedHost, port: o.port };
    const ctx: HandlerContext = {
      logs: storage.logs,
      offsets,
      coordinator,
      producerIds: storage.producerIds,
      node,
      clusterId: storage.clusterId,
      defaultPartitions: o.defaultPartitions,
      autoCreateTopics: o.autoCreateTopics,
      messageMaxBytes: o.messageMaxBytes,
      now: o.now,
      reportStorageFailure,
      reportTransactionsRefused: transactionsRefusedReporter(o.logger, o.now),
    };
    let network: NetworkServer;
    try {
      network = await NetworkServer.listen({
        host: o.host,
        port: o.port,
        maxRequestBytes: o.maxRequestBytes,
        maxQueuedRequests: o.maxQueuedRequests,
        idleTimeoutMs: o.connectionsMaxIdleMs,
        handler: new RequestDispatcher(ctx),
        logger: o.logger,
        now: o.now,
      });
    } catch (e) {
      await closeStorage(storage).catch(() => undefined);
      throw e;
    }
    node.port = network.address.port;
    const broker = new Broker(o, storage, network, coordinator);
    o.logger.info('broker started', {
      listen: `${o.host}:${network.address.port}`,
      advertised: broker.bootstrap,
      dir: o.dir,
      topics: storage.logs.listTopics().length,
      groupMembers: storage.offsetStore.storedGroups().reduce((n, g) => n + g.members.length, 0),
    });
    return broker;
  }

  /** Open client connections. */
  get connectionCount(): number {
    return this.network.connectionCount;
  }

  /** Graceful shutdown: stop accepting, finish received requests, flush and close the logs. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.network.close(this.options.shutdownTimeoutMs);
    await closeStorage(this.storage);
    this.options.logger.info('broker stopped', { dir: this.dir });
  }

  private tick(): void {
    try {
      this.coordinator.tick();
    } catch (e) {
      // A coordinator bug must not take the process down from a timer.
      this.options.logger.error('group coordinator tick failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async enforceRetention(): Promise<void> {
    if (this.retentionRunning || this.closing) return;
    this.retentionRunning = true;
    try {
      const r = await this.storage.logs.enforceRetention(this.options.now());
      if (r.deletedSegments > 0) this.options.logger.info('retention deleted segments', { segments: r.deletedSegments, bytes: r.deletedBytes });
    } catch (e) {
      if (!this.closing) this.options.logger.error('retention failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.retentionRunning = false;
    }
  }
}

async function openStorage(o: ResolvedBrokerOptions): Promise<Storage> {
  let logs: LogManager | undefined;
  let offsetStore: OffsetStore | undefined;
  try {
    logs = await LogManager.open({ dir: o.dir, defaults: o.log, now: o.now });
    offsetStore = await OffsetStore.open({ dir: join(o.dir, STATE_DIR), now: o.now });
    const producerIds = await ProducerIdAllocator.open(o.dir);
    const clusterId = await loadClusterId(o.dir);
    return { logs, offsetStore, producerIds, clusterId };
  } catch (e) {
    await logs?.close().catch(() => undefined);
    await offsetStore?.close().catch(() => undefined);
    if (isBrokerError(e)) throw e;
    throw new BrokerError('STORAGE_ERROR', `cannot open the data directory: ${e instanceof Error ? e.message : String(e)}`, { path: o.dir }, { cause: e });
  }
}

async function closeStorage(storage: Storage): Promise<void> {
  const results = await Promise.allSettled([storage.logs.close(), storage.offsetStore.close()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw new BrokerError('STORAGE_ERROR', 'closing the logs failed', {}, { cause: failed.reason });
}

/** One line per partition whose tail was repaired on open (after a crash). */
function reportRecovery(logs: LogManager, logger: BrokerLogger): void {
  for (const topic of logs.listTopics()) {
    for (const log of logs.partitions(topic.name)) {
      const r = log.recovery;
      if (r.truncatedBytes > 0) {
        const reasons = r.repaired.map((s) => s.truncationReason).filter((x): x is string => x !== undefined);
        logger.warn('recovered partition tail', { topic: topic.name, partition: log.partition, truncatedBytes: r.truncatedBytes, reason: reasons[0] });
      }
    }
  }
}

/**
 * Logs why a transactional producer was refused (the clients show a code, not
 * always the reason: kafkajs never does): once per transactional id, then at
 * most once a minute with the number suppressed. A WarningLimiter bounds the
 * ids remembered, so a new id is always logged, however many came before.
 */
function transactionsRefusedReporter(logger: BrokerLogger, now: () => number): (transactionalId: string, connection: ConnectionInfo) => void {
  const limiter = new WarningLimiter({ now });
  return (transactionalId, connection) => {
    const decision = limiter.admit(transactionalId);
    if (!decision.log) return;
    logger.warn(TRANSACTIONS_REFUSED_REASON, {
      transactionalId,
      client: connection.clientId,
      remote: `${connection.remoteAddress}:${connection.remotePort}`,
      ...(decision.suppressed > 0 ? { suppressed: decision.suppressed } : {}),
    });
  };
}

/** Logs each distinct storage failure once: a full disk fails every append after the first. */
function storageFailureReporter(logger: BrokerLogger): (error: Error) => void {
  const seen = new Set<string>();
  return (error) => {
    if (seen.has(error.message) || seen.size > 1000) return;
    seen.add(error.message);
    logger.error('storage failure: clients get a retriable error until it is fixed and the broker restarted', { error: error.message });
  };
}
