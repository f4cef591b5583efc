/**
 * All topics of one data directory:
 *
 *   <dir>/topics/<topic>.json        topic metadata (id, partition count, config overrides)
 *   <dir>/<topic>-<partition>/       one PartitionLog each
 *
 * On open every described topic's partitions are opened (and recovered).
 * Create writes the metadata first, then opens the partitions; delete
 * renames the partition directories to `*-delete`, removes the metadata,
 * then the directories — a crash in between leaves either the whole topic
 * or leftovers that the next open removes.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveLogConfig, type LogConfig } from './config.js';
import { LogError, storageError } from './errors.js';
import { fsyncDir } from './files.js';
import { PartitionLog } from './partition-log.js';
import { SerialQueue } from './serial-queue.js';
import { checkTopicName, newTopicMetadata, readAllTopicMetadata, removeTopicMetadata, writeTopicMetadata, type TopicMetadata } from './topic-metadata.js';

const DELETE_SUFFIX = '-delete';
/** Partitions recovered at once on open: recovery is I/O-bound, and the machine has few cores. */
const OPEN_CONCURRENCY = 4;
const MAX_PARTITIONS = 10_000;

export interface LogManagerOptions {
  readonly dir: string;
  /** Defaults for every topic; a topic's own overrides win. */
  readonly defaults?: Partial<LogConfig>;
  readonly now?: () => number;
}

export interface TopicDescription extends TopicMetadata {
  /** The effective config: defaults with the topic's overrides applied. */
  readonly effectiveConfig: LogConfig;
}

/** Error names as in Kafka's protocol, so the broker maps them one to one. */
export type CreateTopicResult =
  | { readonly ok: true; readonly topic: TopicDescription }
  | { readonly ok: false; readonly code: 'TOPIC_ALREADY_EXISTS' | 'INVALID_TOPIC_EXCEPTION' | 'INVALID_PARTITIONS' | 'INVALID_CONFIG'; readonly message: string };

export type DeleteTopicResult = { readonly ok: true; readonly topicId: string } | { readonly ok: false; readonly code: 'UNKNOWN_TOPIC_OR_PARTITION'; readonly message: string };

export interface RetentionSummary {
  readonly deletedSegments: number;
  readonly deletedBytes: number;
}

interface OpenTopic {
  readonly meta: TopicMetadata;
  readonly config: LogConfig;
  readonly logs: readonly PartitionLog[];
}

export class LogManager {
  readonly dir: string;
  readonly defaults: LogConfig;
  private readonly topicsByName = new Map<string, OpenTopic>();
  private readonly queue = new SerialQueue();
  private readonly now: () => number;
  private closed = false;

  private constructor(options: LogManagerOptions, defaults: LogConfig) {
    this.dir = options.dir;
    this.defaults = defaults;
    this.now = options.now ?? Date.now;
  }

  /** Opens the data directory (creating it if needed) and every topic in it. */
  static async open(options: LogManagerOptions): Promise<LogManager> {
    const manager = new LogManager(options, resolveLogConfig(options.defaults));
    try {
      await mkdir(options.dir, { recursive: true });
      for (const name of await readdir(options.dir)) {
        if (name.endsWith(DELETE_SUFFIX)) await rm(join(options.dir, name), { recursive: true, force: true });
      }
      for (const meta of await readAllTopicMetadata(options.dir)) await manager.openTopic(meta);
    } catch (e) {
      await manager.close().catch(() => undefined);
      throw storageError(e, 'cannot open the log directory', { file: options.dir });
    }
    return manager;
  }

  /** Topics sorted by name. */
  listTopics(): TopicDescription[] {
    return [...this.topicsByName.values()].map(toDescription).sort((a, b) => a.name.localeCompare(b.name));
  }

  describeTopic(name: string): TopicDescription | undefined {
    const t = this.topicsByName.get(name);
    return t ? toDescription(t) : undefined;
  }

  /** The log of one partition, or undefined if the topic or partition does not exist. */
  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topicsByName.get(topic)?.logs[partition];
  }

  partitions(topic: string): readonly PartitionLog[] {
    return this.topicsByName.get(topic)?.logs ?? [];
  }

  createTopic(name: string, options: { readonly partitions: number; readonly config?: Partial<LogConfig> }): Promise<CreateTopicResult> {
    return this.queue.run(async () => {
      this.assertOpen();
      const badName = checkTopicName(name);
      if (badName !== undefined) return { ok: false, code: 'INVALID_TOPIC_EXCEPTION', message: badName };
      if (this.topicsByName.has(name)) return { ok: false, code: 'TOPIC_ALREADY_EXISTS', message: `topic ${name} already exists` };
      const { partitions } = options;
      if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
        return { ok: false, code: 'INVALID_PARTITIONS', message: `partition count must be an integer in [1, ${MAX_PARTITIONS}], got ${partitions}` };
      }
      const overrides = options.config ?? {};
      try {
        resolveLogConfig(overrides, this.defaults);
      } catch (e) {
        return { ok: false, code: 'INVALID_CONFIG', message: e instanceof LogError ? e.detail : String(e) };
      }
      const meta = newTopicMetadata(name, partitions, overrides, this.now());
      try {
        await writeTopicMetadata(this.dir, meta);
        return { ok: true, topic: toDescription(await this.openTopic(meta)) };
      } catch (e) {
        throw storageError(e, 'cannot create topic', { topic: name });
      }
    });
  }

  deleteTopic(name: string): Promise<DeleteTopicResult> {
    return this.queue.run(async () => {
      this.assertOpen();
      const topic = this.topicsByName.get(name);
      if (!topic) return { ok: false, code: 'UNKNOWN_TOPIC_OR_PARTITION', message: `topic ${name} does not exist` };
      this.topicsByName.delete(name);
      try {
        await Promise.all(topic.logs.map((l) => l.close().catch(() => undefined)));
        const doomed: string[] = [];
        for (const log of topic.logs) {
          const target = `${log.path}.${randomUUID()}${DELETE_SUFFIX}`;
          await rename(log.path, target);
          doomed.push(target);
        }
        await fsyncDir(this.dir);
        await removeTopicMetadata(this.dir, name);
        await Promise.all(doomed.map((d) => rm(d, { recursive: true, force: true })));
      } catch (e) {
        throw storageError(e, 'cannot delete topic', { topic: name });
      }
      return { ok: true, topicId: topic.meta.topicId };
    });
  }

  /** Applies retention to every partition (call it on a timer). */
  async enforceRetention(now: number = this.now()): Promise<RetentionSummary> {
    let deletedSegments = 0;
    let deletedBytes = 0;
    for (const topic of [...this.topicsByName.values()]) {
      for (const log of topic.logs) {
        const r = await log.enforceRetention(now).catch((e: unknown) => {
          if (e instanceof LogError && e.code === 'CLOSED') return undefined; // deleted meanwhile
          throw e;
        });
        deletedSegments += r?.deletedSegments ?? 0;
        deletedBytes += r?.deletedBytes ?? 0;
      }
    }
    return { deletedSegments, deletedBytes };
  }

  async flush(): Promise<void> {
    for (const topic of [...this.topicsByName.values()]) await Promise.all(topic.logs.map((l) => l.flush()));
  }

  /** Closes every partition (flushing and snapshotting). Idempotent. */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      const logs = [...this.topicsByName.values()].flatMap((t) => t.logs);
      this.topicsByName.clear();
      const results = await Promise.allSettled(logs.map((l) => l.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw storageError(failed.reason, 'closing a partition failed', { file: this.dir });
    });
  }

  private async openTopic(meta: TopicMetadata): Promise<OpenTopic> {
    const config = resolveLogConfig(meta.config, this.defaults);
    const logs: PartitionLog[] = new Array<PartitionLog>(meta.partitions);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < meta.partitions) {
        const partition = next++;
        logs[partition] = await PartitionLog.open({ dir: this.dir, topic: meta.name, partition, config, now: this.now });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(OPEN_CONCURRENCY, meta.partitions) }, worker));
    } catch (e) {
      await Promise.all(logs.filter(Boolean).map((l) => l.close().catch(() => undefined)));
      throw e;
    }
    const topic: OpenTopic = { meta, config, logs };
    this.topicsByName.set(meta.name, topic);
    return topic;
  }

  private assertOpen(): void {
    if (this.closed) throw new LogError('CLOSED', 'log manager is closed', { file: this.dir });
  }
}

function toDescription(t: OpenTopic): TopicDescription {
  return { ...t.meta, effectiveConfig: t.config };
}
