/**
 * One micro-batch through its states: taken → processed → side effects
 * before commit → committed per table (each table's rows with its txns,
 * asserting the txn versions it read: a fence) → side effects after.
 * Each table commit is atomic, so a batch stopped between two tables is
 * replayed next time and each table takes only what it still needs; so the
 * tables commit concurrently, each after the side effects it is gated on.
 */
import { Table } from 'apache-arrow';
import { CommitConflictError } from '@lakestream/sink';
import type { TakenBatch } from './buffer.js';
import { StreamError } from './errors.js';
import { needs, planTableCommit } from './offsets.js';
import type { PartitionBook } from './partitions.js';
import type { BatchOutput, Processor, StreamTable, TableCommitReport } from './types.js';

export type BatchOutcome =
  | { readonly kind: 'committed'; readonly tables: TableCommitReport[]; readonly processSeconds: number }
  | { readonly kind: 'fenced'; readonly table: string; readonly detail: string; readonly tables: TableCommitReport[] };

export interface BatchDeps {
  readonly appId: string;
  readonly tables: readonly StreamTable[];
  readonly book: PartitionBook;
  readonly processor: Processor;
  readonly signal: AbortSignal;
  readonly fencing: boolean;
}

export async function runBatch(deps: BatchDeps, batchId: number, batch: TakenBatch): Promise<BatchOutcome> {
  const { book, tables } = deps;
  const t0 = performance.now();
  let output: BatchOutput;
  try {
    output = await deps.processor.process({
      batchId,
      records: batch.records,
      ranges: batch.ranges,
      needs: (name, record) => needs(book.stored.get(name) ?? new Map<string, number>(), record),
      signal: deps.signal,
    });
  } catch (cause) {
    throw new StreamError('PROCESSOR_FAILED', `the processor failed: ${cause instanceof Error ? cause.message : String(cause)}`, { batchId }, { cause });
  }
  const processSeconds = (performance.now() - t0) / 1000;
  await output.beforeCommit?.();
  // Side effects that must land before some tables commit start now; the tables commit concurrently,
  // each after its own gates (a table's commit is atomic on its own; no order between tables is needed).
  const started = (output.sideEffects ?? []).map((e) => ({ before: new Set(e.before), done: e.run() }));
  for (const e of started) e.done.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  // Every table's commit and every side effect settles before the batch's outcome is known: a failure of one table
  // never leaves another's commit running after the engine has reported it stopped.
  const settled = await Promise.allSettled(tables.map((t) => commitTable(deps, batchId, batch, output, t, started.filter((e) => e.before.has(t.name)).map((e) => e.done))));
  const effects = await Promise.allSettled(started.map((e) => e.done));
  const failed = [...settled, ...effects].find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const outcomes = settled.map((s) => (s as PromiseFulfilledResult<TableCommitReport | { fenced: string; detail: string }>).value);
  const reports = outcomes.filter((o): o is TableCommitReport => !('fenced' in o));
  const fenced = outcomes.find((o): o is { fenced: string; detail: string } => 'fenced' in o);
  if (fenced !== undefined) return { kind: 'fenced', table: fenced.fenced, detail: fenced.detail, tables: reports };
  await output.afterCommit?.();
  return { kind: 'committed', tables: reports, processSeconds };
}

async function commitTable(
  deps: BatchDeps, batchId: number, batch: TakenBatch, output: BatchOutput, t: StreamTable, gates: readonly Promise<void>[],
): Promise<TableCommitReport | { fenced: string; detail: string }> {
  const { book } = deps;
  const topics = book.topicsOf(t);
  const plan = planTableCommit(deps.appId, book.stored.get(t.name) ?? new Map<string, number>(), batch.ranges.filter((r) => topics.includes(r.topic)));
  const rows = output.tables.get(t.name);
  if (plan.txn.length === 0) {
    if (rows !== undefined && rows.numRows > 0) {
      throw new StreamError('PROCESSOR_FAILED', `the processor returned ${rows.numRows} rows for table ${t.name}, which holds every offset of the batch already`, { batchId, table: t.name });
    }
    return { name: t.name, rows: 0, version: -1, skipped: true, txnOnly: false, commitSeconds: 0, checkpoint: false };
  }
  await Promise.all(gates);
  const data = rows ?? new Table(t.schema);
  const c0 = performance.now();
  try {
    const result = await t.table.append(data, deps.fencing ? { txn: plan.txn, expectTxn: plan.expectTxn } : { txn: plan.txn });
    // Skipped cannot happen with expectTxn unless the sink changes: another writer holds these offsets. Re-read as a fence.
    if (result.skipped) return { fenced: t.name, detail: `another writer already committed these offsets (${result.reason})` };
    book.stored.set(t.name, plan.after);
    return {
      name: t.name, rows: result.rows, version: result.version, skipped: false, txnOnly: data.numRows === 0,
      commitSeconds: (performance.now() - c0) / 1000, checkpoint: result.checkpoint !== undefined,
    };
  } catch (cause) {
    if (cause instanceof CommitConflictError && (cause.reason === 'TXN_FENCED' || cause.reason === 'TXN_CONFLICT')) return { fenced: t.name, detail: cause.message };
    throw new StreamError('COMMIT_FAILED', `committing batch ${batchId} to ${t.name} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { batchId, table: t.name }, { cause });
  }
}
