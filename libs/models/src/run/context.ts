import type { DuckDBConnection } from '@duckdb/node-api';
import { DeltaTable, LocalFileStore, isSinkError } from '@lakestream/sink';
import { join } from 'node:path';
import { RunError } from '../errors.js';
import type { ModelNode, Project, SourceNode } from '../project/types.js';
import { exec } from '../engine/engine.js';
import type { Engine } from '../engine/engine.js';
import { createDeltaView } from '../engine/sources.js';
import { SCHEMAS, modelRelation, compileNode } from './compile.js';

/** What every node of one invocation shares: the project, DuckDB, the Delta root, and the source tables it opened. */
export interface RunContext {
  readonly project: Project;
  readonly engine: Engine;
  /** Absolute Delta root (`--tables`). */
  readonly tablesDir: string;
  readonly fullRefresh: boolean;
  /** Source tables opened so far (by unique id): incremental models read their versions. */
  readonly sourceTables: Map<string, DeltaTable>;
}

export function goldPath(model: ModelNode): string {
  return model.config.deltaPath ?? `gold/${model.name}`;
}

export async function openDelta(dir: string): Promise<DeltaTable | undefined> {
  try {
    return await DeltaTable.open(new LocalFileStore(dir));
  } catch (error) {
    if (isSinkError(error) && error.code === 'TABLE_NOT_FOUND') return undefined;
    throw error;
  }
}

export async function createSchemas(connection: DuckDBConnection): Promise<void> {
  for (const s of Object.values(SCHEMAS)) await exec(connection, `CREATE SCHEMA IF NOT EXISTS ${s}`);
}

/** Views over every source (latest snapshot) the given nodes need. */
export async function attachSources(ctx: RunContext, connection: DuckDBConnection, sources: readonly SourceNode[]): Promise<void> {
  for (const source of sources) {
    if (ctx.sourceTables.has(source.uniqueId)) continue;
    const dir = join(ctx.tablesDir, source.deltaPath);
    const context = { node: source.uniqueId, table: source.deltaPath, file: source.file };
    const table = await openDelta(dir).catch((cause: unknown) => {
      throw new RunError('SOURCE_NOT_FOUND', `cannot read the Delta table of source ${source.source}.${source.name}`, context, { cause });
    });
    if (!table) throw new RunError('SOURCE_NOT_FOUND', `source ${source.source}.${source.name}: no Delta table at ${dir}`, context);
    await createDeltaView(connection, { view: `${SCHEMAS.sources}.${source.source}__${source.name}`, tableDir: dir, snapshot: table.state }, { ...context, version: table.version });
    ctx.sourceTables.set(source.uniqueId, table);
  }
}

/**
 * A model this invocation does not run but a selected node reads: a table or
 * incremental model is its gold Delta table as it stands; a view is created
 * from its SQL; an ephemeral model needs nothing (it is inlined).
 */
export async function attachUnselectedModel(ctx: RunContext, connection: DuckDBConnection, model: ModelNode): Promise<void> {
  const context = { node: model.uniqueId, file: model.file };
  if (model.config.materialized === 'ephemeral') return;
  if (model.config.materialized === 'view') {
    await exec(connection, `CREATE OR REPLACE VIEW ${modelRelation(model.name)} AS\n${compileNode(ctx.project, model, modelRelation(model.name))}`, context);
    return;
  }
  const dir = join(ctx.tablesDir, goldPath(model));
  const table = await openDelta(dir);
  if (!table) throw new RunError('SOURCE_NOT_FOUND', `model ${model.name} is not selected and has no gold table at ${dir} yet (build it first)`, { ...context, table: goldPath(model) });
  await createDeltaView(connection, { view: `${SCHEMAS.models}.${model.name}`, tableDir: dir, snapshot: table.state }, { ...context, table: goldPath(model) });
}

