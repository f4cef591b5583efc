/**
 * The `incremental` materialization, as explicit states:
 *
 *   decide   gold table absent, `--full-refresh`, a source without a stored
 *            version, or a source that removed files since that version
 *            (optimize, overwrite, deletes) → full build (as `table`, plus
 *            txn ids). Every source at its stored version → no-op: nothing
 *            runs, no commit.
 *   narrow   each source the model reads — directly or through ephemeral
 *            and view models, which are then inlined as CTEs — becomes a
 *            view over the partitions that received files since the stored
 *            version (`filesChangedSince`): every active file of a touched
 *            partition, so a model aggregating within a partition (a car's
 *            laps: silver is partitioned by session_date, car_number) sees
 *            all its rows, not only the newest batch's; untouched partitions
 *            are not read (an unpartitioned source, or one that received no
 *            files while another did, is read whole); `lookback_column`
 *            narrows a touched partition further by file stats; `new_rows()`
 *            reads only the added files;
 *            `is_incremental()` is true, `{{ this }}`
 *            is the gold table as it stands. (Sources behind a `table`
 *            model are that gold table's business.)
 *   merge    new rows → DuckDB; with `unique_key`, the gold files holding a
 *            touched key are rewritten: their other rows + the new rows
 *            (delete+insert); without, the new rows are appended. No new
 *            rows and no source version to record → no commit.
 *   commit   one Delta commit through `rewriteFiles`: removes, adds and the
 *            source versions read (txn appId = model name, or
 *            `<model>:<source path>` per source when there are several).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { filesChangedSince, isSinkError, parseSchemaString, rewriteFiles, type AddAction, type DeltaTable, type TxnId } from '@lakestream/sink';
import { join } from 'node:path';
import { RunError, type ModelsErrorContext } from '../errors.js';
import type { ModelConfig, ModelNode, SourceNode } from '../project/types.js';
import { exec, query } from '../engine/engine.js';
import { createDeltaView } from '../engine/sources.js';
import { quoteIdent } from '../engine/sql.js';
import { relationToArrow } from '../engine/to-arrow.js';
import { SCHEMAS, compileNode, incrementalSourceRelation, modelRelation, newRowsSourceRelation, upstreamSources } from './compile.js';
import { goldPath, openDelta, type RunContext } from './context.js';
import type { ModelOutcome } from './materialize.js';
import { deltaWriteFailed, replaceGoldTable } from './write-gold.js';

interface SourceState {
  readonly node: SourceNode;
  readonly table: DeltaTable;
  readonly appId: string;
  readonly stored: number | undefined;
}

export type IncrementalPlan =
  | { readonly mode: 'full'; readonly reason: string }
  | { readonly mode: 'noop' }
  | { readonly mode: 'incremental' };

/** The decide state: pure over the gold table's presence, the flag and the versions. */
export function planIncremental(goldExists: boolean, fullRefresh: boolean, sources: readonly { appId: string; stored: number | undefined; current: number }[]): IncrementalPlan {
  if (!goldExists) return { mode: 'full', reason: 'first build' };
  if (fullRefresh) return { mode: 'full', reason: '--full-refresh' };
  for (const s of sources) {
    if (s.stored === undefined) return { mode: 'full', reason: `no source version stored for ${s.appId}` };
    if (s.stored > s.current) return { mode: 'full', reason: `${s.appId} stored version ${s.stored} is past the source's ${s.current}` };
  }
  if (sources.length > 0 && sources.every((s) => s.stored === s.current)) return { mode: 'noop' };
  return { mode: 'incremental' };
}

export async function runIncremental(ctx: RunContext, connection: DuckDBConnection, model: ModelNode): Promise<ModelOutcome> {
  const context = { node: model.uniqueId, file: model.file };
  const path = goldPath(model);
  const self = modelRelation(model.name);
  const gold = await openDelta(join(ctx.tablesDir, path));
  const upstream = upstreamSources(ctx.project, model);
  const sources: SourceState[] = upstream.map(([s, t]) => {
    const node = ctx.project.sources.get(`source.${s}.${t}`);
    const table = ctx.sourceTables.get(`source.${s}.${t}`);
    if (!node || !table) throw new Error(`source ${s}.${t} of ${model.name} was not attached`); // a runner bug, not a user error
    const appId = upstream.length === 1 ? model.name : `${model.name}:${node.deltaPath}`;
    return { node, table, appId, stored: gold?.txnVersion(appId) };
  });
  const txn: TxnId[] = sources.map((s) => ({ appId: s.appId, version: s.table.version }));
  let plan = planIncremental(gold !== undefined, ctx.fullRefresh, sources.map((s) => ({ appId: s.appId, stored: s.stored, current: s.table.version })));

  const overrides = new Map<string, string>();
  const newRowsOverrides = new Map<string, string>();
  const scan = { read: 0, active: 0 };
  if (plan.mode === 'incremental') {
    for (const s of sources) {
      const changes = await filesChangedSince(s.table, s.stored ?? -1).catch((e: unknown) => {
        if (isSinkError(e) && e.code === 'VERSION_NOT_FOUND') return undefined;
        throw e;
      });
      if (!changes) {
        plan = { mode: 'full', reason: `${s.node.deltaPath} no longer has version ${String(s.stored)} in its log` };
        break;
      }
      if (changes.removed.length > 0) {
        plan = { mode: 'full', reason: `${s.node.deltaPath} removed ${changes.removed.length} file(s) since version ${String(s.stored)}` };
        break;
      }
      const tableDir = join(ctx.tablesDir, s.node.deltaPath);
      const key = `${s.node.source}.${s.node.name}`;
      const files = filesToRead(s.table, changes.added, model.config.lookback, { ...context, table: s.node.deltaPath });
      scan.read += files.length;
      scan.active += s.table.state.files.size;
      await createDeltaView(connection, { view: `${SCHEMAS.incremental}.${model.name}__${s.node.source}__${s.node.name}`, tableDir, snapshot: s.table.state, files }, context);
      overrides.set(key, incrementalSourceRelation(model.name, s.node.source, s.node.name));
      await createDeltaView(connection, { view: `${SCHEMAS.incremental}.${model.name}__${s.node.source}__${s.node.name}__new_rows`, tableDir, snapshot: s.table.state, files: changes.added }, context);
      newRowsOverrides.set(key, newRowsSourceRelation(model.name, s.node.source, s.node.name));
    }
  }

  if (plan.mode === 'noop' && gold) {
    // No commit; downstream nodes read the gold table as it stands.
    await createDeltaView(connection, { view: `${SCHEMAS.models}.${model.name}`, tableDir: join(ctx.tablesDir, path), snapshot: gold.state }, context);
    return { rows: 0, message: `NO NEW DATA (${sources.map((s) => `${s.node.deltaPath}@${s.table.version}`).join(', ')})`, compiledSql: compileNode(ctx.project, model, self, { isIncremental: true }) };
  }
  if (plan.mode === 'full' || !gold) {
    const sql = compileNode(ctx.project, model, self);
    await exec(connection, `CREATE OR REPLACE TABLE ${self} AS\n${sql}`, context);
    const data = await relationToArrow(connection, self, context);
    const written = await replaceGoldTable(ctx, model, data, txn);
    return { rows: data.numRows, message: `CREATE TABLE ${data.numRows}${plan.mode === 'full' && plan.reason !== 'first build' ? ` (full: ${plan.reason})` : ''}`, compiledSql: sql, version: written.version };
  }

  // merge
  const filesView = `${SCHEMAS.incremental}.${quoteIdent(`${model.name}__files`)}`;
  const newRows = `${SCHEMAS.incremental}.${quoteIdent(`${model.name}__new`)}`;
  const goldDir = join(ctx.tablesDir, path);
  await createDeltaView(connection, { view: `${SCHEMAS.models}.${model.name}`, tableDir: goldDir, snapshot: gold.state }, context);
  await createDeltaView(connection, { view: `${SCHEMAS.incremental}.${model.name}__files`, tableDir: goldDir, snapshot: gold.state, fileColumn: '__lakestream_file' }, context);
  const sql = compileNode(ctx.project, model, self, { isIncremental: true, sourceOverrides: overrides, newRowsOverrides, inlineViews: true });
  await exec(connection, `CREATE OR REPLACE TABLE ${newRows} AS\n${sql}`, context);
  const goldColumns = gold.schema.fields.map((f) => quoteIdent(f.name));
  const keys = model.config.uniqueKey ?? [];
  const match = (a: string, b: string): string => keys.map((k) => `${a}.${quoteIdent(k)} IS NOT DISTINCT FROM ${b}.${quoteIdent(k)}`).join(' AND ');
  let touched: string[] = [];
  let rewritten = `SELECT ${goldColumns.join(', ')} FROM ${newRows}`;
  if (keys.length > 0) {
    const hit = `EXISTS (SELECT 1 FROM ${newRows} AS n WHERE ${match('n', 'f')})`;
    touched = (await query(connection, `SELECT DISTINCT f.__lakestream_file AS file FROM ${filesView} AS f WHERE ${hit}`, context)).map((r) => String(r['file']));
    if (touched.length > 0) {
      const kept = `SELECT ${goldColumns.map((c) => `f.${c}`).join(', ')} FROM ${filesView} AS f WHERE f.__lakestream_file IN (${touched.map((t) => `'${t.replace(/'/g, "''")}'`).join(', ')}) AND NOT ${hit}`;
      rewritten = `SELECT ${goldColumns.join(', ')} FROM (${kept} UNION ALL BY NAME SELECT * FROM ${newRows})`;
    }
  }
  const added = Number((await query(connection, `SELECT count(*) AS n FROM ${newRows}`, context))[0]?.['n'] ?? 0);
  const moving = txn.filter((t) => (gold.txnVersion(t.appId) ?? -1) < t.version);
  if (added === 0 && moving.length === 0) {
    // Nothing new reached the model (its own filter, or no tracked source): no commit.
    await exec(connection, `DROP TABLE IF EXISTS ${newRows}`, context);
    return { rows: 0, message: 'NO NEW DATA (0 new rows)', compiledSql: sql };
  }
  const data = await relationToArrow(connection, `(${rewritten})`, context);
  let version: number;
  try {
    const r = await rewriteFiles(gold, {
      remove: touched, data, txn: moving, operation: 'MERGE',
      operationParameters: { model: model.name, ...(keys.length > 0 ? { predicate: `unique_key = ${keys.join(', ')}` } : {}) },
    });
    version = r.version;
  } catch (cause) {
    throw deltaWriteFailed(cause, { ...context, table: path });
  }
  await exec(connection, `DROP TABLE IF EXISTS ${newRows}`, context);
  await createDeltaView(connection, { view: `${SCHEMAS.models}.${model.name}`, tableDir: goldDir, snapshot: gold.state }, context);
  return { rows: added, message: `MERGE ${added} (files -${touched.length}; read ${scan.read} of ${scan.active} source files)`, compiledSql: sql, version };
}

/**
 * The files an incremental run reads of a source: every active file of the partitions `added` touches (all of them
 * for an unpartitioned table, and for a source that received no files); with a lookback, in each such partition
 * only the files whose largest `column` value reaches the smallest one of the partition's added files minus
 * `amount`. Conservative: a file without that statistic is read, and so is every file of a partition whose added
 * files lack it. Stats are parsed only for the files of touched partitions.
 */
export function filesToRead(table: DeltaTable, added: readonly AddAction[], lookback: ModelConfig['lookback'], context: ModelsErrorContext): AddAction[] {
  // A source that received nothing while another did is read whole: the model joins the other's new rows to it.
  if (added.length === 0) return [...table.state.files.values()];
  const key = (f: AddAction): string => JSON.stringify(Object.entries(f.partitionValues).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const touched = new Map<string, number>(); // partition → smallest new value (NaN: unknown, read the whole partition)
  if (lookback !== undefined) {
    const field = parseSchemaString(table.state.metadata.schemaString).fields.find((f) => f.name === lookback.column);
    if (field === undefined || typeof field.type !== 'string' || !NUMERIC.has(field.type.startsWith('decimal') ? 'decimal' : field.type)) {
      throw new RunError('SQL_FAILED', `lookback_column '${lookback.column}' must be a numeric column of the source (found ${field === undefined ? 'no such column' : JSON.stringify(field.type)})`, { ...context, version: table.version });
    }
  }
  for (const f of added) {
    const k = key(f);
    const low = lookback === undefined ? Number.NaN : statBound(f, 'minValues', lookback.column);
    touched.set(k, Math.min(touched.get(k) ?? Number.POSITIVE_INFINITY, low));
  }
  return [...table.state.files.values()].filter((f) => {
    const low = touched.get(key(f));
    if (low === undefined) return false;
    if (lookback === undefined || Number.isNaN(low)) return true;
    const high = statBound(f, 'maxValues', lookback.column);
    // Stats of longs beyond 2^53 arrive rounded: widen by the rounding, so a border file is read rather than skipped.
    const rounding = (Math.abs(high) + Math.abs(low)) * Number.EPSILON;
    return Number.isNaN(high) || high + rounding >= low - lookback.amount;
  });
}

const NUMERIC = new Set(['byte', 'short', 'integer', 'long', 'float', 'double', 'decimal']);

/** A file's min or max of `column` from its add's stats; NaN when it has none. */
function statBound(f: AddAction, which: 'minValues' | 'maxValues', column: string): number {
  if (f.stats === undefined || f.stats === null) return Number.NaN;
  try {
    const stats = JSON.parse(f.stats) as Record<string, unknown>;
    const values = stats[which];
    const v = values !== null && typeof values === 'object' ? (values as Record<string, unknown>)[column] : undefined;
    return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? Number(v) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
