/**
 * Committed consumer-group offsets and group membership (generation, leader,
 * members, assignments; Kafka keeps both in __consumer_offsets), durable
 * across restarts: an append-only file of CRC-checked records (see
 * offset-records.ts) replayed into memory on open. A torn or corrupt tail (kill -9 mid-write) is cut off on open.
 * When the file has grown well past what it holds, it is compacted: the
 * live offsets are rewritten to a temp file that replaces it by rename.
 *
 *   commit / storeGroup: encode → write → fsync → apply in memory → compact?
 *   open:   read header → replay frames → truncate torn tail → (version 1: rewrite as 2) → ready
 */
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LogError, storageError } from './errors.js';
import { fsyncDir, isNotFound, TEMP_SUFFIX, writeFileAtomic } from './files.js';
import {
  decodeOffsetRecords,
  encodeOffsetRecord,
  offsetsFileHeader,
  offsetsFileVersion,
  OFFSETS_HEADER_SIZE,
  OFFSETS_VERSION,
  type CommittedOffset,
  type OffsetRecord,
  type StoredGroup,
} from './offset-records.js';
import { SerialQueue } from './serial-queue.js';

export const OFFSETS_FILE = 'consumer-offsets.log';

export interface OffsetStoreOptions {
  /** Directory of the store's file, `consumer-offsets.log`. */
  readonly dir: string;
  /** fsync each commit before it resolves (default true). */
  readonly sync?: boolean;
  /** Compact once the file is larger than this and than twice its live content (default 4 MiB). */
  readonly compactAfterBytes?: number;
  readonly now?: () => number;
}

export interface OffsetCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly leaderEpoch?: number;
  readonly metadata?: string | null;
  /** Defaults to now. */
  readonly commitTimestamp?: number;
}

export interface OffsetStoreRecovery {
  readonly records: number;
  /** Bytes of a torn or corrupt tail cut off on open. */
  readonly truncatedBytes: number;
}

const key = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

export class OffsetStore {
  readonly path: string;
  readonly recovery: OffsetStoreRecovery;
  private readonly groupsById = new Map<string, Map<string, CommittedOffset>>();
  private readonly membership = new Map<string, StoredGroup>();
  private readonly queue = new SerialQueue();
  private readonly sync: boolean;
  private readonly compactAfterBytes: number;
  private readonly now: () => number;
  private fh: FileHandle;
  private size: number;
  private liveBytes = 0;
  private closed = false;

  private constructor(options: OffsetStoreOptions, path: string, fh: FileHandle, size: number, records: readonly OffsetRecord[], truncatedBytes: number) {
    this.path = path;
    this.fh = fh;
    this.size = size;
    this.sync = options.sync ?? true;
    this.compactAfterBytes = options.compactAfterBytes ?? 4 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    for (const r of records) this.apply(r);
    this.liveBytes = this.compactedImage().length;
    this.recovery = { records: records.length, truncatedBytes };
  }

  static async open(options: OffsetStoreOptions): Promise<OffsetStore> {
    const path = join(options.dir, OFFSETS_FILE);
    try {
      await mkdir(options.dir, { recursive: true });
      let bytes: Buffer = await readFile(path).catch((e: unknown) => (isNotFound(e) ? Buffer.alloc(0) : Promise.reject(e)));
      // A missing file, or one shorter than its header (torn while being created): nothing was committed yet.
      if (bytes.length < OFFSETS_HEADER_SIZE) {
        bytes = offsetsFileHeader();
        await writeFileAtomic(path, bytes);
      }
      const version = offsetsFileVersion(bytes);
      if (version === undefined) throw new LogError('CORRUPT_FILE', 'not a committed-offsets file this version reads (bad header)', { file: path });
      const { records, validEnd } = decodeOffsetRecords(bytes, OFFSETS_HEADER_SIZE);
      const fh = await open(path, 'r+');
      if (validEnd < bytes.length) {
        await fh.truncate(validEnd);
        await fh.sync();
      }
      const store = new OffsetStore(options, path, fh, validEnd, records, bytes.length - validEnd);
      // Group records must never follow an older header: rewrite it as the current version first.
      if (version !== OFFSETS_VERSION) await store.compact();
      return store;
    } catch (e) {
      throw storageError(e, 'cannot open the offset store', { file: path });
    }
  }

  /** Durably records one OffsetCommit request's offsets for `group` (all or none survive a crash). */
  commit(group: string, offsets: readonly OffsetCommit[]): Promise<void> {
    const now = this.now();
    const record: OffsetRecord = {
      type: 'commit',
      group,
      offsets: offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        leaderEpoch: o.leaderEpoch ?? -1,
        metadata: o.metadata ?? null,
        commitTimestamp: o.commitTimestamp ?? now,
      })),
    };
    return this.write(record);
  }

  fetch(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groupsById.get(group)?.get(key(topic, partition));
  }

  /** All offsets of a group, sorted by topic then partition. */
  fetchGroup(group: string): CommittedOffset[] {
    return [...(this.groupsById.get(group)?.values() ?? [])].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** Groups with at least one committed offset. */
  groups(): string[] {
    return [...this.groupsById.keys()].sort();
  }

  /**
   * Durably records a group's membership (after a rebalance completes, or
   * when its last member left); the latest per group is what `storedGroups`
   * returns, after a restart too, except that an empty group without
   * committed offsets is forgotten (Kafka's Dead group).
   */
  storeGroup(group: Omit<StoredGroup, 'timestamp'> & { readonly timestamp?: number }): Promise<void> {
    return this.write({ type: 'group', ...group, timestamp: group.timestamp ?? this.now() });
  }

  /** The latest stored membership of every group, by group id. */
  storedGroups(): StoredGroup[] {
    return [...this.membership.values()].sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  }

  /** Removes a group's offsets and membership (DeleteGroups); false if it had neither. */
  async deleteGroup(group: string): Promise<boolean> {
    if (!this.groupsById.has(group) && !this.membership.has(group)) return false;
    await this.write({ type: 'delete-group', group });
    return true;
  }

  /** Removes a deleted topic's offsets from every group. */
  async deleteTopic(topic: string): Promise<void> {
    const used = [...this.groupsById.values()].some((g) => [...g.values()].some((o) => o.topic === topic));
    if (used) await this.write({ type: 'delete-topic', topic });
  }

  /** Bytes in the file now. */
  get fileBytes(): number {
    return this.size;
  }

  /** Rewrites the file with only the live offsets and the latest membership of each group. */
  compact(): Promise<void> {
    return this.queue.run(async () => {
      this.assertOpen();
      await this.compactNow();
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.fh.close();
    });
  }

  private write(record: OffsetRecord): Promise<void> {
    let frame: Buffer;
    try {
      frame = encodeOffsetRecord(record);
    } catch (e) {
      return Promise.reject(e instanceof LogError ? new LogError(e.code, e.detail, { file: this.path }) : e);
    }
    return this.queue.run(async () => {
      this.assertOpen();
      try {
        let written = 0;
        while (written < frame.length) {
          written += (await this.fh.write(frame, written, frame.length - written, this.size + written)).bytesWritten;
        }
        if (this.sync) await this.fh.datasync();
      } catch (e) {
        // Cut what may have been written so the next frame does not follow garbage.
        await this.fh.truncate(this.size).catch(() => undefined);
        throw storageError(e, 'writing to the offset store failed', { file: this.path });
      }
      this.size += frame.length;
      this.apply(record);
      if (this.size > this.compactAfterBytes && this.size > 2 * this.liveBytes) {
        // The record is durable already; a failed compaction is retried after the next write.
        await this.compactNow().catch(() => undefined);
      }
    });
  }

  private apply(record: OffsetRecord): void {
    switch (record.type) {
      case 'commit': {
        let group = this.groupsById.get(record.group);
        if (!group) this.groupsById.set(record.group, (group = new Map()));
        for (const o of record.offsets) group.set(key(o.topic, o.partition), o);
        break;
      }
      case 'delete-group':
        this.groupsById.delete(record.group);
        this.membership.delete(record.group);
        break;
      case 'group': {
        const { type: _type, ...group } = record;
        this.membership.set(record.group, group);
        this.forgetIfDead(record.group);
        break;
      }
      case 'delete-topic':
        for (const [id, group] of this.groupsById) {
          for (const [k, o] of group) if (o.topic === record.topic) group.delete(k);
          if (group.size === 0) {
            this.groupsById.delete(id);
            this.forgetIfDead(id);
          }
        }
        break;
    }
  }

  /**
   * A group with no members and no committed offsets is what Kafka calls Dead
   * (its metadata is tombstoned): its membership is not kept, so group ids
   * used once do not pile up in the file and come back after every restart.
   * Decided as records are applied (in file order), so a commit queued before
   * the empty membership record keeps it.
   */
  private forgetIfDead(group: string): void {
    if (this.membership.get(group)?.members.length === 0 && !this.groupsById.has(group)) this.membership.delete(group);
  }

  private compactedImage(): Buffer {
    const frames = [offsetsFileHeader()];
    for (const [group, offsets] of this.groupsById) frames.push(encodeOffsetRecord({ type: 'commit', group, offsets: [...offsets.values()] }));
    for (const group of this.membership.values()) frames.push(encodeOffsetRecord({ type: 'group', ...group }));
    return Buffer.concat(frames);
  }

  /**
   * The temp file's handle becomes the store's handle: after the rename it
   * is the file at `path`, so there is no window where appends could go to
   * the replaced inode. Before the rename, a failure leaves the old file.
   */
  private async compactNow(): Promise<void> {
    const image = this.compactedImage();
    const temp = `${this.path}${TEMP_SUFFIX}`;
    let fh: FileHandle | undefined;
    try {
      fh = await open(temp, 'w+');
      await fh.writeFile(image);
      await fh.sync();
      await rename(temp, this.path);
    } catch (e) {
      await fh?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      throw storageError(e, 'compacting the offset store failed', { file: this.path });
    }
    const old = this.fh;
    this.fh = fh;
    this.size = image.length;
    this.liveBytes = image.length;
    await old.close().catch(() => undefined);
    await fsyncDir(dirname(this.path)).catch(() => undefined); // the rename is durable at the next fsync anyway
  }

  private assertOpen(): void {
    if (this.closed) throw new LogError('CLOSED', 'offset store is closed', { file: this.path });
  }
}
