/**
 * The consumer's tables: for each source its bronze, silver and quarantine
 * tables, plus the shared validation results, opened (or created from the
 * catalog in libs/schema) under the Delta root, as the engine's StreamTables.
 */
import { join } from 'node:path';
import { LOGICAL_TABLES, type LogicalTable } from '@lakestream/medallion';
import type { TableSpec } from '@lakestream/schema';
import { DeltaTable, LocalFileStore, SinkError } from '@lakestream/sink';
import type { StreamTable } from '@lakestream/stream';
import type { ConsumerConfig, Source } from './cli.js';

/** Checkpoint every 10 commits (Delta's default, stated so other writers keep it). */
const TABLE_CONFIGURATION = { 'delta.checkpointInterval': '10' } as const;

export const PER_SOURCE: readonly LogicalTable[] = ['bronze', 'quarantine', 'silver'];

/** The engine's name for a source's table; validation results are one shared table. */
export function tableName(source: Source, logical: LogicalTable): string {
  return logical === 'validation' ? 'validation' : `${source}.${logical}`;
}

export function topicOf(config: ConsumerConfig, source: Source): string {
  return source === 'f1' ? config.topics.f1 : config.topics.satellite;
}

export async function openOrCreate(root: string, spec: TableSpec): Promise<DeltaTable> {
  const store = new LocalFileStore(join(root, spec.path));
  try {
    return await DeltaTable.open(store);
  } catch (error) {
    if (!(error instanceof SinkError) || (error.code !== 'TABLE_NOT_FOUND' && error.code !== 'NOT_FOUND')) throw error;
  }
  try {
    return await DeltaTable.create(store, {
      schema: spec.schema, partitionColumns: spec.partitionColumns, configuration: TABLE_CONFIGURATION,
      name: spec.path, description: spec.description,
    });
  } catch (error) {
    // Another consumer of the group created it first.
    if (error instanceof SinkError && error.code === 'TABLE_EXISTS') return DeltaTable.open(store);
    throw error;
  }
}

export interface ConsumerTables {
  readonly stream: StreamTable[];
  readonly byName: ReadonlyMap<string, { readonly spec: TableSpec; readonly table: DeltaTable; readonly path: string }>;
}

/** Opens every table the configured sources write, in commit order: bronze, quarantine, silver, then validation. */
export async function openTables(config: ConsumerConfig): Promise<ConsumerTables> {
  const stream: StreamTable[] = [];
  const byName = new Map<string, { spec: TableSpec; table: DeltaTable; path: string }>();
  for (const source of config.sources) {
    for (const logical of PER_SOURCE) {
      const spec = LOGICAL_TABLES[source][logical];
      const table = await openOrCreate(config.tablesDir, spec);
      const name = tableName(source, logical);
      stream.push({ name, table, schema: spec.schema, topics: [topicOf(config, source)] });
      byName.set(name, { spec, table, path: join(config.tablesDir, spec.path) });
    }
  }
  const spec = LOGICAL_TABLES.f1.validation;
  const validation = await openOrCreate(config.tablesDir, spec);
  stream.push({ name: 'validation', table: validation, schema: spec.schema, topics: config.sources.map((s) => topicOf(config, s)) });
  byName.set('validation', { spec, table: validation, path: join(config.tablesDir, spec.path) });
  return { stream, byName };
}
