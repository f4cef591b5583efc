/** Writes hand-built rows as Delta tables of the catalog (libs/schema) with @lakestream/sink. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import type { TableSpec } from '@lakestream/schema';
import { rowsToTable, type Row } from './arrow-rows.js';

export async function writeTable(root: string, spec: TableSpec, batches: readonly (readonly Row[])[]): Promise<string> {
  const dir = join(root, spec.path);
  mkdirSync(dir, { recursive: true });
  const table = await DeltaTable.create(new LocalFileStore(dir), { schema: spec.schema, partitionColumns: [...spec.partitionColumns] });
  for (const rows of batches) if (rows.length > 0) await table.append(rowsToTable(spec.schema, rows));
  return dir;
}
