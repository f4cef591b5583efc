import { randomUUID } from 'node:crypto';
import type { Schema, Table } from 'apache-arrow';
import { CommitConflictError, SchemaMismatchError, SinkError, withErrorContext, type SinkErrorContext } from '../errors.js';
import type { Action, AddAction, MetadataAction, ProtocolAction } from '../log/actions.js';
import { commitPath, encodeCommit } from '../log/commit-file.js';
import { readHistory, versionAtTimestamp } from '../log/history.js';
import { loadSnapshot, refreshSnapshot, type CommitRecord, type Snapshot } from '../log/snapshot.js';
import { arrowToDeltaSchema, parseSchemaString, schemaToString, type DeltaStructType } from '../schema/delta-schema.js';
import { protocolForNewTable, upgradeProtocolFor } from '../log/protocol-features.js';
import { matchesPartition } from '../data/partitions.js';
import { mergeSchemas } from '../schema/merge.js';
import type { LogStore } from '../storage/log-store.js';
import { alreadyCommittedTxns, commitDidNotLand, commitTransaction, type CommitResult, type PreparedCommit } from './commit.js';
import {
  appendOptionsSchema, createOptionsSchema, overwriteOptionsSchema, validate, versionSelectorSchema,
  type AppendOptions, type CreateOptions, type OverwriteOptions, type TxnId, type VersionSelector,
} from './options.js';
import { readTable, type ReadOptions } from './read.js';
import { arrowSchemaOf, deltaSchemaOf } from './snapshot-schema.js';
import { checkPartitionColumns, resolvePartitionFilter } from './partition-columns.js';
import { AppendPipeline, type PipelineOptions, type PreparedAppend, type ValidAppendOptions } from './append-pipeline.js';
import { deleteDataFiles, writeDataFiles } from './write-files.js';
import { checkTxnFence } from './txn-fence.js';

export type WriteResult =
  | { readonly skipped: true; readonly version: number; readonly reason: string }
  | {
      readonly skipped: false; readonly version: number; readonly filesAdded: number; readonly filesRemoved: number; readonly rows: number; readonly retries: number;
      readonly checkpoint?: string;
      /** The commit landed, but a step after it (checkpoint, expired-log cleanup) failed; the table is fine and the next checkpoint retries. */
      readonly postCommitError?: unknown;
    };

/**
 * A Delta table behind a `LogStore`. Holds the snapshot it last saw;
 * `refresh()` re-reads the log. Writes go through the commit state machine
 * in `commit.ts` and leave the handle at the version they committed.
 */
export class DeltaTable {
  private constructor(
    readonly store: LogStore,
    private current: Snapshot,
  ) {}

  /** Version 0: protocol 1/2 and metaData. Fails with `TABLE_EXISTS` if the table has a version 0. */
  static async create(store: LogStore, options: CreateOptions): Promise<DeltaTable> {
    const o = validate(createOptionsSchema, options, store.location);
    const deltaSchema = inContext(() => arrowToDeltaSchema(options.schema), { table: store.location });
    const partitionColumns = checkPartitionColumns(deltaSchema, o.partitionColumns, store.location);
    const protocol: ProtocolAction = protocolForNewTable(deltaSchema, o.configuration);
    const metaData: MetadataAction = {
      id: randomUUID(),
      ...(o.name === undefined ? {} : { name: o.name }),
      ...(o.description === undefined ? {} : { description: o.description }),
      format: { provider: 'parquet', options: {} },
      schemaString: schemaToString(deltaSchema),
      partitionColumns,
      configuration: o.configuration,
      createdTime: Date.now(),
    };
    const commitInfo = {
      timestamp: Date.now(), operation: 'CREATE TABLE', engineInfo: 'lakestream-sink/0.1.0', isBlindAppend: true,
      operationParameters: { partitionBy: JSON.stringify(partitionColumns), properties: JSON.stringify(o.configuration) },
    };
    const put = await store.putIfAbsent(commitPath(0), encodeCommit([{ commitInfo }, { protocol }, { metaData }]));
    if (!put.ok) throw new SinkError('TABLE_EXISTS', 'a Delta table already exists here', { table: store.location, version: 0 });
    return new DeltaTable(store, await loadSnapshot(store, { version: 0 }));
  }

  /** Latest snapshot (or the one selected); `TABLE_NOT_FOUND` when there is no log. */
  static async open(store: LogStore, at: VersionSelector = {}): Promise<DeltaTable> {
    return new DeltaTable(store, await resolveSnapshot(store, at));
  }

  get version(): number {
    return this.current.version;
  }

  /** The snapshot this handle holds (no I/O). */
  get state(): Snapshot {
    return this.current;
  }

  get schema(): Schema {
    return arrowSchemaOf(this.current);
  }

  /**
   * The txn version this handle's snapshot holds for `appId` (the last
   * offset a streaming writer recorded), `undefined` when it holds none. No
   * I/O: call `refresh()` first for the newest version in storage.
   */
  txnVersion(appId: string): number | undefined {
    return this.current.appTransactions.get(appId)?.version;
  }

  /** Move to the newest version in storage. */
  async refresh(): Promise<Snapshot> {
    const latest = await refreshSnapshot(this.store, this.current);
    this.moveTo(latest);
    return latest;
  }

  /** The handle only moves forward: a refresh that started before a commit of ours must not undo it. */
  private moveTo(snapshot: Snapshot): void {
    if (snapshot.version >= this.current.version) this.current = snapshot;
  }

  /** A snapshot at a version or timestamp (no argument: latest in storage). Does not move the handle. */
  snapshot(at: VersionSelector = {}): Promise<Snapshot> {
    return resolveSnapshot(this.store, at);
  }

  /** Rows of a snapshot as one Arrow table, partition columns included. */
  async read(options: ReadOptions & VersionSelector = {}): Promise<Table> {
    const snap = options.version === undefined && options.timestamp === undefined ? await this.refresh() : await this.snapshot(options);
    return readTable(this.store, snap, options);
  }

  /** commitInfo of every commit still in the log, newest first. */
  history(limit?: number): Promise<CommitRecord[]> {
    return readHistory(this.store, limit === undefined ? {} : { limit });
  }

  /**
   * Append rows. With `txn`, the write is skipped when the table already
   * holds each appId at a version ≥ the given one; the txn actions commit
   * atomically with the data, which is what makes a consumer exactly-once.
   * With `expectTxn`, the commit lands only on a version whose txn versions
   * are the expected ones, else `CommitConflictError` `TXN_FENCED` (never a
   * skip), and the write's data files are deleted. Zero rows with `txn`
   * commit the txn actions alone.
   */
  async append(data: Table, options: AppendOptions = {}): Promise<WriteResult> {
    const o = validate(appendOptionsSchema, options, this.store.location);
    const prepared = await this.prepareAppend(data, o, false);
    return 'skipped' in prepared ? prepared : this.commitAppend(prepared, false);
  }

  /**
   * Appends that overlap: each `append` encodes and stores its files at
   * once (up to `depth` writes in flight), while the commits land one after
   * another in call order, each against the version its predecessor made.
   * For a consumer committing micro-batches with txn ids.
   */
  pipeline(options: PipelineOptions = {}): AppendPipeline {
    return new AppendPipeline(
      {
        prepare: (data, o) => {
          const v = validate(appendOptionsSchema, o, this.store.location);
          if (v.mergeSchema) throw new SinkError('INVALID_OPTIONS', 'a pipeline cannot merge schemas; append schema changes with table.append', { table: this.store.location, option: 'mergeSchema' });
          return this.prepareAppend(data, v, true);
        },
        commit: (prepared) => this.commitAppend(prepared, true),
        discard: (prepared) => deleteDataFiles(this.store, prepared.adds),
      },
      options,
    );
  }

  /**
   * Skips a write whose txn ids are all committed, evolves the schema,
   * writes the data files. Refusing partly committed txn ids waits for the
   * commit in a pipeline: batches before this one may still commit some.
   */
  private async prepareAppend(data: Table, o: ValidAppendOptions, pipelined: boolean): Promise<PreparedAppend | Extract<WriteResult, { skipped: true }>> {
    const base = this.current;
    // Fenced already: no data files. The snapshot may be older than the table (or than earlier pipelined
    // batches), so only a txn already past the expected version proves it here; the commit checks exactly.
    checkTxnFence(o.expectTxn, base, 'passed');
    const replayed = alreadyCommittedTxns({ txns: o.txn }, base);
    if (replayed !== undefined) return { skipped: true, version: base.version, reason: replayed };
    if (!pipelined) partlyCommitted(o.txn, base);
    const { metadataAction, schema } = this.evolveSchema(base, data, o.mergeSchema);
    const written = await writeDataFiles(this.store, base, data, schema, o).catch((e: unknown) => {
      throw withErrorContext(e, { table: base.table, version: base.version });
    });
    return { options: o, base, metadataAction, adds: written.adds, rows: written.rows };
  }

  /**
   * Commits prepared files. A plain append commits on the snapshot it was
   * prepared from (so any concurrent commit goes through the conflict
   * checks); a pipelined one on the version this handle holds now, its
   * predecessor's, provided the table metadata is still the one it was
   * prepared with.
   */
  private async commitAppend(p: PreparedAppend, pipelined: boolean): Promise<WriteResult> {
    const base = pipelined ? this.current : p.base;
    const o = p.options;
    let replayed: string | undefined;
    try {
      if (pipelined && !sameMetadata(base.metadata, p.base.metadata)) {
        throw new CommitConflictError('METADATA_CHANGED', `the table metadata changed at or before version ${base.version}, after this write was prepared`, { table: base.table, version: base.version });
      }
      // A fence that no longer holds wins over the replay skip: a zombie must learn it was fenced.
      checkTxnFence(o.expectTxn, base, 'passed');
      // Commits before this one may have recorded the txn ids since the prepare.
      replayed = alreadyCommittedTxns({ txns: o.txn }, base);
      if (replayed === undefined) partlyCommitted(o.txn, base);
    } catch (error) {
      await deleteDataFiles(this.store, p.adds);
      throw error;
    }
    if (replayed !== undefined) {
      await deleteDataFiles(this.store, p.adds);
      return { skipped: true, version: base.version, reason: replayed };
    }
    const now = Date.now();
    // A merged column may need a newer protocol (timestamp_ntz → 3/7 + timestampNtz): upgraded in the same commit.
    const protocol = p.metadataAction ? upgradeProtocolFor(base.protocol, parseSchemaString(p.metadataAction.schemaString)) : undefined;
    const actions: Action[] = [
      ...(protocol ? [{ protocol }] : []),
      ...(p.metadataAction ? [{ metaData: p.metadataAction }] : []),
      ...o.txn.map((t) => ({ txn: { appId: t.appId, version: t.version, lastUpdated: now } })),
      ...p.adds.map((add) => ({ add })),
    ];
    return this.commit(base, {
      actions,
      operation: o.txn.length > 0 ? 'STREAMING UPDATE' : 'WRITE',
      operationParameters: { mode: 'Append', partitionBy: JSON.stringify(base.partitionColumns) },
      operationMetrics: metrics(p.adds, p.rows),
      appIds: o.txn.map((t) => t.appId),
      txns: o.txn.map((t) => ({ appId: t.appId, version: t.version })),
      expectTxn: o.expectTxn,
      readFiles: new Set(),
      changesMetadata: p.metadataAction !== undefined,
      isBlindAppend: true,
    }, o, p.adds, p.rows, 0);
  }

  /** Replace the whole table, or the partitions `where` selects, with `data`, via `remove` actions. */
  async overwrite(data: Table, options: OverwriteOptions = {}): Promise<WriteResult> {
    const o = validate(overwriteOptionsSchema, options, this.store.location);
    const base = this.current;
    if (base.configuration['delta.appendOnly'] === 'true') {
      throw new SinkError('INVALID_OPTIONS', 'table is append-only (delta.appendOnly=true)', { table: base.table, version: base.version });
    }
    const where = o.where && resolvePartitionFilter(o.where, base.partitionColumns, { table: base.table, version: base.version });
    const matches = (add: Pick<AddAction, 'partitionValues'>): boolean => matchesPartition(add, where);
    const { schema } = this.evolveSchema(base, data, false);
    const written = await writeDataFiles(this.store, base, data, schema, o).catch((e: unknown) => {
      throw withErrorContext(e, { table: base.table, version: base.version });
    });
    const outside = written.adds.filter((a) => !matches(a));
    if (outside.length > 0) {
      await deleteDataFiles(this.store, written.adds);
      throw new SinkError('INVALID_OPTIONS', `rows fall outside where=${JSON.stringify(where)} (e.g. partition ${JSON.stringify(outside[0]?.partitionValues)})`, { table: base.table, option: 'where' });
    }
    const now = Date.now();
    const removed = [...base.files.values()].filter(matches);
    const actions: Action[] = [
      ...removed.map((f) => ({ remove: { path: f.path, deletionTimestamp: now, dataChange: true, extendedFileMetadata: true, partitionValues: f.partitionValues, size: f.size } })),
      ...written.adds.map((add) => ({ add })),
    ];
    return this.commit(base, {
      actions,
      operation: 'WRITE',
      operationParameters: { mode: 'Overwrite', ...(where ? { predicate: JSON.stringify(where) } : {}) },
      operationMetrics: { ...metrics(written.adds, written.rows), numRemovedFiles: String(removed.length) },
      appIds: [],
      readFiles: new Set(removed.map((f) => f.path)),
      readPredicate: matches,
      changesMetadata: false,
      isBlindAppend: false,
    }, o, written.adds, written.rows, removed.length);
  }

  private evolveSchema(base: Snapshot, data: Table, mergeSchema: boolean): { metadataAction?: MetadataAction; schema: DeltaStructType } {
    const at = { table: base.table, version: base.version };
    const current = inContext(() => deltaSchemaOf(base), at);
    const merged = mergeSchemas(current, inContext(() => arrowToDeltaSchema(data.schema), at), { mergeSchema });
    if (!merged.ok) throw new SchemaMismatchError(merged.message, { table: base.table, version: base.version, columns: merged.columns });
    if (merged.added.length === 0) return { schema: current };
    return { schema: merged.schema, metadataAction: { ...base.metadata, schemaString: schemaToString(merged.schema) } };
  }

  /** Runs the commit; when it definitely did not land, deletes the data files `adds` names (no orphans). */
  private async commit(base: Snapshot, prepared: PreparedCommit, o: { maxAttempts?: number; retryJitterMs?: number }, adds: readonly AddAction[], rows: number, removed: number): Promise<WriteResult> {
    let result: CommitResult;
    try {
      result = await commitTransaction(this.store, base, prepared, {
        ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
        ...(o.retryJitterMs === undefined ? {} : { retryJitterMs: o.retryJitterMs }),
      });
    } catch (error) {
      // Only a definite "not committed" (a conflict, a corrupt winner, a refused protocol, any failure before
      // the put or after a lost race) lets us delete. When the put itself failed the commit may have landed
      // (a store can write and then report an error): the files stay, and vacuum reclaims them if it did not.
      if (commitDidNotLand(error)) await deleteDataFiles(this.store, adds);
      throw error;
    }
    this.moveTo(result.snapshot);
    if (result.alreadyCommitted !== undefined) {
      await deleteDataFiles(this.store, adds);
      return { skipped: true, version: result.version, reason: result.alreadyCommitted };
    }
    const filesAdded = prepared.actions.filter((a) => 'add' in a).length;
    return {
      skipped: false, version: result.version, filesAdded, filesRemoved: removed, rows, retries: result.retries,
      ...(result.checkpoint === undefined ? {} : { checkpoint: result.checkpoint }),
      ...(result.postCommitError === undefined ? {} : { postCommitError: result.postCommitError }),
    };
  }
}

/** Runs `f`; a `SinkError` it throws gets the table (and version) it lacks. */
function inContext<T>(f: () => T, context: SinkErrorContext): T {
  try {
    return f();
  } catch (error) {
    throw withErrorContext(error, context);
  }
}

function sameMetadata(a: MetadataAction, b: MetadataAction): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A write whose txn ids are partly committed cannot be split by the sink: refused. */
function partlyCommitted(txn: readonly TxnId[], base: Snapshot): void {
  const done = txn.filter((t) => (base.appTransactions.get(t.appId)?.version ?? -1) >= t.version);
  if (done.length > 0) {
    throw new SinkError('INVALID_OPTIONS', `some txn ids are already committed (${done.map((t) => t.appId).join(', ')}) and others are not; split the batch`, { table: base.table, version: base.version, option: 'txn' });
  }
}

/** Spark's operationMetrics: string values. */
function metrics(adds: readonly AddAction[], rows: number): Record<string, string> {
  return { numFiles: String(adds.length), numOutputRows: String(rows), numOutputBytes: String(adds.reduce((n, a) => n + a.size, 0)) };
}

async function resolveSnapshot(store: LogStore, selector: VersionSelector): Promise<Snapshot> {
  const at = validate(versionSelectorSchema, { version: selector.version, timestamp: selector.timestamp }, store.location);
  if (at.timestamp !== undefined) {
    const ms = at.timestamp instanceof Date ? at.timestamp.getTime() : at.timestamp;
    return loadSnapshot(store, { version: await versionAtTimestamp(store, ms) });
  }
  return loadSnapshot(store, at.version === undefined ? {} : { version: at.version });
}
