/** `delta optimize`, `delta vacuum`, `delta checkpoint`: the maintenance operations of src/maintenance, from the shell. */
import { z } from 'zod';
import { checkpoint } from '../maintenance/checkpoint.js';
import { optimize } from '../maintenance/optimize.js';
import { RetentionTooShortError } from '../maintenance/retention.js';
import { vacuum } from '../maintenance/vacuum.js';
import { numberFlag, parseCommand, UsageError, validateFlags } from './args.js';
import { bytes, columns } from './format.js';
import type { CliIo } from './io.js';
import { openTable } from './table-access.js';
import { nonPartitionColumns } from '../table/partition-columns.js';

export const OPTIMIZE_HELP = `Usage: delta optimize <table> [--target-size BYTES] [--where col=value ...]

Compact small files: per partition, files smaller than 3/4 of the target
are rewritten into files of about the target size, in one commit whose
actions have dataChange=false (streaming readers skip it). The old files
stay on disk until 'delta vacuum' deletes them.

Options:
  --target-size BYTES   bytes per output file (default 128MiB); suffixes k, M, G (powers of 1024)
  --where col=value     only partitions where the partition column has this value
                        (the serialized partition value; 'col=' means null); repeatable
  -h, --help            show this help
`;

export const VACUUM_HELP = `Usage: delta vacuum <table> [--retention-hours H] [--dry-run]

Delete data files the table no longer references (removed by overwrite or
optimize, or orphaned by failed writers) that are older than the retention.
Time travel to versions older than the retention stops working.

Options:
  --retention-hours H   keep files removed (or written) less than H hours ago (default 168 = 7 days)
  --dry-run             list what would be deleted, delete nothing
  --force               allow a retention shorter than the table's
                        delta.deletedFileRetentionDuration (unsafe with concurrent writers)
  -h, --help            show this help
`;

export const CHECKPOINT_HELP = `Usage: delta checkpoint <table>

Write a checkpoint (<version>.checkpoint.parquet and _last_checkpoint) at
the latest version, so readers replay fewer commits.

Options:
  -h, --help   show this help
`;

const SIZE_RE = /^(\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i;

const sizeFlag = z.string().transform((text, ctx) => {
  const m = SIZE_RE.exec(text.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'expected bytes, e.g. 134217728 or 128M' });
    return z.NEVER;
  }
  const unit = (m[2] ?? '').toLowerCase().charAt(0);
  const n = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
  if (n < 1) {
    ctx.addIssue({ code: 'custom', message: 'must be at least 1 byte' });
    return z.NEVER;
  }
  return n;
});

const whereFlag = z.array(z.string()).transform((items, ctx) => {
  const where: Record<string, string | null> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected col=value, got '${item}'` });
      return z.NEVER;
    }
    const value = item.slice(eq + 1);
    where[item.slice(0, eq)] = value === '' ? null : value; // Delta stores an empty partition value as null
  }
  return where;
});

const optimizeFlags = z.object({ 'target-size': sizeFlag.optional(), where: whereFlag.optional() });

export async function optimizeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('optimize', argv, { 'target-size': { type: 'string' }, where: { type: 'string', multiple: true } }, io.cwd);
  if (parsed.help) {
    io.stdout.write(OPTIMIZE_HELP);
    return 0;
  }
  const flags = validateFlags('optimize', optimizeFlags, parsed.values);
  const table = await openTable(parsed.table);
  const unknown = nonPartitionColumns(flags.where, table.state.partitionColumns);
  if (unknown.length > 0) {
    const cols = table.state.partitionColumns;
    throw new UsageError(`--where: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not partition columns' : 'is not a partition column'} of ${parsed.table} (partition columns: ${cols.length > 0 ? cols.join(', ') : 'none'})`, 'optimize');
  }
  const r = await optimize(table, {
    ...(flags['target-size'] === undefined ? {} : { targetFileSize: flags['target-size'] }),
    ...(flags.where === undefined ? {} : { where: flags.where }),
  });
  if (r.version === undefined) {
    io.stdout.write(`nothing to compact at version ${table.version} (no partition has two or more small files)\n`);
    return 0;
  }
  io.stdout.write(columns([
    ['version', String(r.version)],
    ['partitions', String(r.partitionsOptimized)],
    ['files', `${r.filesRemoved} → ${r.filesAdded}`],
    ['bytes', `${bytes(r.bytesBefore)} → ${bytes(r.bytesAfter)}`],
    ['rows', String(r.rows)],
    ...(r.checkpoint === undefined ? [] : [['checkpoint', r.checkpoint]]),
  ]));
  return 0;
}

const vacuumFlags = z.object({ 'retention-hours': numberFlag().optional(), 'dry-run': z.boolean().default(false), force: z.boolean().default(false) });

export async function vacuumCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('vacuum', argv, { 'retention-hours': { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } }, io.cwd);
  if (parsed.help) {
    io.stdout.write(VACUUM_HELP);
    return 0;
  }
  const flags = validateFlags('vacuum', vacuumFlags, parsed.values);
  const table = await openTable(parsed.table);
  const r = await vacuum(table, {
    ...(flags['retention-hours'] === undefined ? {} : { retentionHours: flags['retention-hours'] }),
    dryRun: flags['dry-run'],
    enforceRetention: !flags.force,
  }).catch((error: unknown) => {
    if (error instanceof RetentionTooShortError) {
      throw new UsageError(`--retention-hours: ${error.retentionHours} h is shorter than the table's delta.deletedFileRetentionDuration (${error.minimumHours} h) in ${table.state.table}; add --force to vacuum anyway`, 'vacuum');
    }
    throw error;
  });
  const verb = r.dryRun ? 'would delete' : 'deleted';
  io.stdout.write(`${r.filesDeleted.map((f) => `${f}\n`).join('')}${verb} ${r.filesDeleted.length} file${r.filesDeleted.length === 1 ? '' : 's'} (${bytes(r.bytes)}) at version ${r.version}\n`);
  return 0;
}

export async function checkpointCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('checkpoint', argv, {}, io.cwd);
  if (parsed.help) {
    io.stdout.write(CHECKPOINT_HELP);
    return 0;
  }
  const table = await openTable(parsed.table);
  const r = await checkpoint(table);
  io.stdout.write(`checkpoint at version ${r.version}: ${r.path} (${r.rows} actions)\n`);
  return 0;
}
