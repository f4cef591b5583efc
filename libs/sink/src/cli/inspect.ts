/** `delta inspect`: what a table is, without reading its data files. */
import { z } from 'zod';
import { parseStats } from '../data/stats.js';
import type { Snapshot } from '../log/snapshot.js';
import type { DeltaDataType } from '../schema/delta-schema.js';
import { deltaSchemaOf } from '../table/snapshot-schema.js';
import { intFlag, parseCommand, timestampFlag, UsageError, validateFlags } from './args.js';
import { bytes, columns, iso } from './format.js';
import type { CliIo } from './io.js';
import { openTable } from './table-access.js';

export const INSPECT_HELP = `Usage: delta inspect <table> [--version N | --timestamp T] [--json]

Describe a Delta table from its log: version, protocol, schema (types and
nullability), partition columns, live files and bytes, rows (from file
stats), streaming txn app ids with their versions, and table properties.

Options:
  --version N     as of version N
  --timestamp T   as of the newest commit at or before T (ISO-8601 or epoch ms)
  --json          one JSON object instead of text
  -h, --help      show this help
`;

const flagsSchema = z.object({
  version: intFlag().optional(),
  timestamp: timestampFlag.optional(),
  json: z.boolean().default(false),
});

export interface TableSummary {
  readonly table: string;
  readonly version: number;
  readonly checkpointVersion: number | null;
  readonly protocol: { minReaderVersion: number; minWriterVersion: number; readerFeatures: string[]; writerFeatures: string[] };
  readonly id: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly createdTime: string | null;
  readonly schema: { name: string; type: string; nullable: boolean }[];
  readonly partitionColumns: string[];
  readonly files: number;
  readonly bytes: number;
  /** Sum of `numRecords` over live files; null when a file has no stats. */
  readonly rows: number | null;
  readonly txns: { appId: string; version: number; lastUpdated: string | null }[];
  readonly configuration: Record<string, string | null>;
}

export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('inspect', argv, { version: { type: 'string' }, timestamp: { type: 'string' }, json: { type: 'boolean' } }, io.cwd);
  if (parsed.help) {
    io.stdout.write(INSPECT_HELP);
    return 0;
  }
  const flags = validateFlags('inspect', flagsSchema, parsed.values);
  if (flags.version !== undefined && flags.timestamp !== undefined) throw new UsageError('give --version or --timestamp, not both', 'inspect');
  const table = await openTable(parsed.table, {
    ...(flags.version === undefined ? {} : { version: flags.version }),
    ...(flags.timestamp === undefined ? {} : { timestamp: flags.timestamp }),
  });
  const summary = summarize(table.state);
  io.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
  return 0;
}

export function summarize(s: Snapshot): TableSummary {
  const schema = deltaSchemaOf(s);
  let total = 0;
  let rows: number | null = 0;
  for (const add of s.files.values()) {
    total += add.size;
    if (rows === null) continue;
    const records = parseStats(add.stats)?.numRecords;
    rows = records === undefined ? null : rows + Number(records);
  }
  return {
    table: s.table,
    version: s.version,
    checkpointVersion: s.checkpointVersion ?? null,
    protocol: {
      minReaderVersion: s.protocol.minReaderVersion,
      minWriterVersion: s.protocol.minWriterVersion,
      readerFeatures: [...(s.protocol.readerFeatures ?? [])],
      writerFeatures: [...(s.protocol.writerFeatures ?? [])],
    },
    id: s.metadata.id,
    name: s.metadata.name ?? null,
    description: s.metadata.description ?? null,
    createdTime: typeof s.metadata.createdTime === 'number' ? iso(s.metadata.createdTime) : null,
    schema: schema.fields.map((f) => ({ name: f.name, type: typeName(f.type), nullable: f.nullable })),
    partitionColumns: [...s.partitionColumns],
    files: s.files.size,
    bytes: total,
    rows,
    txns: [...s.appTransactions.values()]
      .map((t) => ({ appId: t.appId, version: t.version, lastUpdated: typeof t.lastUpdated === 'number' ? iso(t.lastUpdated) : null }))
      .sort((a, b) => a.appId.localeCompare(b.appId)),
    configuration: { ...s.configuration },
  };
}

/** Spark's simpleString spelling: `struct<a:int,b:array<string>>`. */
export function typeName(t: DeltaDataType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'struct') return `struct<${t.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
  if (t.type === 'array') return `array<${typeName(t.elementType)}>`;
  return `map<${typeName(t.keyType)},${typeName(t.valueType)}>`;
}

export function renderSummary(s: TableSummary): string {
  const features = [...new Set([...s.protocol.readerFeatures, ...s.protocol.writerFeatures])];
  const head: string[][] = [
    ['table', s.table],
    ['version', `${s.version}${s.checkpointVersion === null ? '' : `  (from checkpoint ${s.checkpointVersion})`}`],
    ['protocol', `reader ${s.protocol.minReaderVersion}, writer ${s.protocol.minWriterVersion}${features.length > 0 ? `  features: ${features.join(', ')}` : ''}`],
    ['id', s.id],
    ...(s.name ? [['name', s.name]] : []),
    ...(s.description ? [['description', s.description]] : []),
    ...(s.createdTime ? [['created', s.createdTime]] : []),
    ['partitioned by', s.partitionColumns.length > 0 ? s.partitionColumns.join(', ') : '(not partitioned)'],
    ['files', `${s.files}  (${s.bytes} bytes${s.bytes >= 1024 ? `, ${bytes(s.bytes)}` : ''})`],
    ['rows', s.rows === null ? 'unknown (files without stats)' : String(s.rows)],
  ];
  const partitions = new Set(s.partitionColumns);
  const schema = columns(
    [['column', 'type', 'nullable', ''], ...s.schema.map((c) => [c.name, c.type, c.nullable ? 'yes' : 'no', partitions.has(c.name) ? 'partition' : ''])],
    '  ',
  );
  const txns = s.txns.length === 0 ? '  (none)\n' : columns([['appId', 'version', 'lastUpdated'], ...s.txns.map((t) => [t.appId, String(t.version), t.lastUpdated ?? '-'])], '  ');
  const config = Object.entries(s.configuration);
  const props = config.length === 0 ? '  (none)\n' : columns(config.map(([k, v]) => [k, '=', v ?? 'null']), '  ');
  return `${columns(head)}\nschema\n${schema}\ntransactions (streaming app ids)\n${txns}\nconfiguration\n${props}`;
}
