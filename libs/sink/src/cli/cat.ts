/** `delta cat`: rows of a snapshot as JSON lines or CSV, partition columns included. */
import type { Data, Field } from 'apache-arrow';
import { z } from 'zod';
import { selectFiles } from '../table/read.js';
import { arrowSchemaOf } from '../table/snapshot-schema.js';
import { intFlag, listFlag, parseCommand, timestampFlag, UsageError, validateFlags } from './args.js';
import type { CliIo } from './io.js';
import { openTable, readFile } from './table-access.js';
import { jsonRenderer, textRenderer } from './values.js';

export const CAT_HELP = `Usage: delta cat <table> [--version N | --timestamp T] [--format jsonl|csv] [--limit N] [--columns a,b]

Print the rows of a Delta table (latest version, or time travel), partition
columns included, as a reader sees them.

Options:
  --version N        read the table as of version N
  --timestamp T      read the newest version committed at or before T
                     (ISO-8601, e.g. 2026-01-01T12:00:00Z, or epoch milliseconds)
  --format F         jsonl (default): one JSON object per line
                     csv: header line, RFC 4180 quoting, CRLF line ends;
                     null is an empty field, the empty string is ""
  --limit N          stop after N rows
  --columns a,b      only these columns, in this order
  -h, --help         show this help

Values: timestamps ISO-8601 UTC (…Z; microseconds when not whole ms),
timestamp_ntz without the Z, dates yyyy-MM-dd, binary as base64, longs and
decimals as JSON numbers with every digit (beyond 2^53 too: exact digits,
which JSON.parse rounds but jq/Python/DuckDB keep), NaN/Infinity as strings.
`;

const flagsSchema = z.object({
  version: intFlag().optional(),
  timestamp: timestampFlag.optional(),
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  limit: intFlag().optional(),
  columns: listFlag.optional(),
});

export async function catCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('cat', argv, {
    version: { type: 'string' }, timestamp: { type: 'string' }, format: { type: 'string' }, limit: { type: 'string' }, columns: { type: 'string' },
  }, io.cwd);
  if (parsed.help) return help(io);
  const flags = validateFlags('cat', flagsSchema, parsed.values);
  if (flags.version !== undefined && flags.timestamp !== undefined) throw new UsageError('give --version or --timestamp, not both', 'cat');

  const table = await openTable(parsed.table, {
    ...(flags.version === undefined ? {} : { version: flags.version }),
    ...(flags.timestamp === undefined ? {} : { timestamp: flags.timestamp }),
  });
  const snapshot = table.state;
  const schema = arrowSchemaOf(snapshot);
  const fields = selectColumns(schema.fields, flags.columns, snapshot.table);
  const writer = flags.format === 'csv' ? csvWriter(fields) : jsonlWriter(fields);
  const out: string[] = [];
  if (writer.header) out.push(writer.header);

  let remaining = flags.limit ?? Infinity;
  for (const add of selectFiles(snapshot)) {
    if (remaining <= 0) break;
    const data = await readFile(table, snapshot, add, fields.map((f) => f.name));
    for (const batch of data.batches) {
      // A record batch's column is one chunk: its Data, read by row.
      const columns = fields.map((f) => batch.getChild(f.name)?.data[0] ?? null);
      const n = Math.min(batch.numRows, remaining);
      for (let i = 0; i < n; i++) out.push(writer.row(columns, i));
      remaining -= n;
      if (remaining <= 0) break;
    }
    // Flush per file so a large table streams instead of piling up in memory.
    if (out.length > 0 && !(await write(io, out.join('')))) return 0;
    out.length = 0;
  }
  if (out.length > 0) await write(io, out.join(''));
  return 0;
}

function help(io: CliIo): number {
  io.stdout.write(CAT_HELP);
  return 0;
}

function selectColumns(fields: readonly Field[], wanted: readonly string[] | undefined, table: string): Field[] {
  if (!wanted) return [...fields];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const unknown = wanted.filter((c) => !byName.has(c));
  if (unknown.length > 0) {
    throw new UsageError(`--columns: no column ${unknown.map((c) => `'${c}'`).join(', ')} in ${table} (columns: ${fields.map((f) => f.name).join(', ')})`, 'cat');
  }
  return wanted.map((c) => byName.get(c) as Field);
}

interface RowWriter {
  readonly header?: string;
  row(columns: readonly (Data | null)[], index: number): string;
}

function jsonlWriter(fields: readonly Field[]): RowWriter {
  const keys = fields.map((f) => `${JSON.stringify(f.name)}:`);
  const renders = fields.map((f) => jsonRenderer(f.type));
  return {
    row: (columns, i) => `{${keys.map((k, j) => {
      const column = columns[j];
      return k + (column ? (renders[j] as (data: Data, i: number) => string)(column, i) : 'null');
    }).join(',')}}\n`,
  };
}

function csvWriter(fields: readonly Field[]): RowWriter {
  const renders = fields.map((f) => textRenderer(f.type));
  return {
    header: `${fields.map((f) => csvQuote(f.name)).join(',')}\r\n`,
    row: (columns, i) => `${renders.map((r, j) => {
      const column = columns[j];
      const text = column ? r(column, i) : undefined;
      return text === undefined ? '' : csvQuote(text);
    }).join(',')}\r\n`,
  };
}

/** RFC 4180: quote fields holding a comma, quote or line break (and the empty string, so it differs from null). */
export function csvQuote(text: string): string {
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Resolves false when the reader went away (`delta cat t | head`). */
function write(io: CliIo, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    io.stdout.write(text, (error) => resolve(!error));
  });
}
