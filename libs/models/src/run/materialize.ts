import type { DuckDBConnection } from '@duckdb/node-api';
import type { ModelNode } from '../project/types.js';
import { exec } from '../engine/engine.js';
import { relationToArrow } from '../engine/to-arrow.js';
import { compileNode, modelRelation } from './compile.js';
import type { RunContext } from './context.js';
import { runIncremental } from './incremental.js';
import { replaceGoldTable } from './write-gold.js';

export interface ModelOutcome {
  /** Rows written (table: all; incremental: new/changed rows; view: 0). */
  readonly rows: number;
  /** dbt's adapter response, e.g. `CREATE TABLE 1234`, `MERGE 12`, `CREATE VIEW`, `NO NEW DATA`. */
  readonly message: string;
  readonly compiledSql: string;
  /** Gold table version committed, when one was. */
  readonly version?: number;
}

/** Builds one model on `connection`: DuckDB relation `gold.<name>` for downstream nodes, and its gold Delta table. */
export async function materialize(ctx: RunContext, connection: DuckDBConnection, model: ModelNode): Promise<ModelOutcome> {
  const context = { node: model.uniqueId, file: model.file };
  const self = modelRelation(model.name);
  switch (model.config.materialized) {
    case 'ephemeral':
      return { rows: 0, message: 'EPHEMERAL', compiledSql: compileNode(ctx.project, model, self) };
    case 'view': {
      const sql = compileNode(ctx.project, model, self);
      await exec(connection, `CREATE OR REPLACE VIEW ${self} AS\n${sql}`, context);
      return { rows: 0, message: 'CREATE VIEW', compiledSql: sql };
    }
    case 'table': {
      const sql = compileNode(ctx.project, model, self);
      await exec(connection, `CREATE OR REPLACE TABLE ${self} AS\n${sql}`, context);
      const data = await relationToArrow(connection, self, context);
      const written = await replaceGoldTable(ctx, model, data);
      return { rows: data.numRows, message: `CREATE TABLE ${data.numRows}`, compiledSql: sql, version: written.version };
    }
    case 'incremental':
      return runIncremental(ctx, connection, model);
  }
}
