/** `consumer optimize`: compact the small files of bronze and silver of the selected sources (@lakestream/sink optimize). */
import { join } from 'node:path';
import { TABLES } from '@lakestream/schema';
import { DeltaTable, isSinkError, LocalFileStore, optimize, type OptimizeResult } from '@lakestream/sink';
import type { OptimizeConfig, Source } from './cli.js';
import { ConsumerError } from './errors.js';

/** The tables optimize compacts, per source (catalog paths under the Delta root). */
export const OPTIMIZED_TABLES: Readonly<Record<Source, readonly string[]>> = {
  satellite: [TABLES.satelliteRaw.path, TABLES.satelliteSilver.path],
  f1: [TABLES.f1Bronze.path, TABLES.f1Silver.path],
};

export type TableOptimizeOutcome =
  | { readonly table: string; readonly found: false }
  | { readonly table: string; readonly found: true; readonly result: OptimizeResult };

export async function optimizeTables(config: OptimizeConfig): Promise<TableOptimizeOutcome[]> {
  const outcomes: TableOptimizeOutcome[] = [];
  for (const source of config.sources) {
    for (const path of OPTIMIZED_TABLES[source]) {
      const dir = join(config.tablesDir, path);
      let table: DeltaTable;
      try {
        table = await DeltaTable.open(new LocalFileStore(dir));
      } catch (error) {
        if (isSinkError(error) && error.code === 'TABLE_NOT_FOUND') {
          outcomes.push({ table: path, found: false });
          continue;
        }
        throw new ConsumerError('TABLE_UNAVAILABLE', `cannot open ${dir}: ${(error as Error).message}`, { table: dir }, { cause: error });
      }
      try {
        outcomes.push({ table: path, found: true, result: await optimize(table) });
      } catch (error) {
        throw new ConsumerError('RUN_FAILED', `optimize ${dir} failed: ${(error as Error).message}`, { table: dir, version: table.version }, {
          cause: error,
          retriable: isSinkError(error) && error.retriable,
        });
      }
    }
  }
  return outcomes;
}

export function formatOptimizeResults(outcomes: readonly TableOptimizeOutcome[]): string {
  const lines = outcomes.map((o) => {
    if (!o.found) return `  ${o.table.padEnd(28)} no table yet`;
    const r = o.result;
    if (r.version === undefined) return `  ${o.table.padEnd(28)} nothing to compact`;
    return `  ${o.table.padEnd(28)} v${r.version}: ${r.filesRemoved} files -> ${r.filesAdded} (${r.bytesBefore} -> ${r.bytesAfter} bytes, ${r.rows} rows, ${r.partitionsOptimized} partitions)`;
  });
  return ['optimize:', ...lines, ''].join('\n');
}
