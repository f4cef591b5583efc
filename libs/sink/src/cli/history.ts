/** `delta history`: the commits still in the log, newest first. */
import { z } from 'zod';
import type { CommitRecord } from '../log/snapshot.js';
import { intFlag, parseCommand, validateFlags } from './args.js';
import { clip, columns, iso } from './format.js';
import type { CliIo } from './io.js';
import { openTable } from './table-access.js';

export const HISTORY_HELP = `Usage: delta history <table> [--limit N] [--json]

List the table's commits, newest first: version, commit time (ISO-8601
UTC), operation and a summary of its parameters and metrics. Commits
already removed by log cleanup are not listed.

Options:
  --limit N   only the newest N commits
  --json      one JSON object per line (the full commitInfo)
  -h, --help  show this help
`;

const flagsSchema = z.object({ limit: intFlag(1).optional(), json: z.boolean().default(false) });

export async function historyCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('history', argv, { limit: { type: 'string' }, json: { type: 'boolean' } }, io.cwd);
  if (parsed.help) {
    io.stdout.write(HISTORY_HELP);
    return 0;
  }
  const flags = validateFlags('history', flagsSchema, parsed.values);
  // Opening first checks that this is a readable Delta table (and names it if not).
  const table = await openTable(parsed.table);
  const records = await table.history(flags.limit);
  if (flags.json) {
    io.stdout.write(records.map((r) => `${JSON.stringify({ version: r.version, timestamp: iso(r.timestamp), ...(r.commitInfo ? { commitInfo: r.commitInfo } : {}) })}\n`).join(''));
    return 0;
  }
  io.stdout.write(columns([['version', 'timestamp', 'operation', 'parameters'], ...records.map(historyRow)]));
  return 0;
}

function historyRow(r: CommitRecord): string[] {
  const info = r.commitInfo;
  return [String(r.version), iso(r.timestamp), info?.operation ?? '-', clip(summary(info), 100)];
}

/** `mode=Append partitionBy=["a"]  rows=10 files=1` — parameters, then the most telling metrics. */
export function summary(info: CommitRecord['commitInfo']): string {
  if (!info) return '';
  const params = Object.entries(info.operationParameters ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== '[]' && v !== '{}')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const metrics = (info as { operationMetrics?: unknown }).operationMetrics;
  const wanted: Record<string, string> = { numOutputRows: 'rows', numFiles: 'files', numAddedFiles: 'added', numRemovedFiles: 'removed', numDeletedFiles: 'deleted', numOutputBytes: 'bytes' };
  const m = metrics && typeof metrics === 'object' ? (metrics as Record<string, unknown>) : {};
  const shown = Object.entries(wanted).filter(([k]) => m[k] !== undefined).map(([k, label]) => `${label}=${String(m[k])}`);
  return [...params, ...shown].join(' ');
}
