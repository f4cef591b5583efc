import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, tableFromIPC, type Field, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';

/**
 * Rows as order-insensitive canonical strings, so tables written by Spark
 * (INT96 timestamps, decimals) and read by us compare by value: timestamps
 * as epoch microseconds, dates as days, integers as decimal strings.
 */
export function canonicalRows(table: Table): string[] {
  const fields = [...table.schema.fields].sort((a, b) => (a.name < b.name ? -1 : 1));
  const rows: string[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const f of fields) row[f.name] = canon(table.getChild(f.name)?.get(i), f);
    rows.push(JSON.stringify(row));
  }
  return rows.sort();
}

function canon(value: unknown, field: Field | undefined): unknown {
  if (value === null || value === undefined) return null;
  const type = field?.type;
  if (type && DataType.isTimestamp(type)) return Math.round(Number(value) * 1000) / 1000;
  if (type && DataType.isDate(type)) return typeof value === 'number' ? Math.round(value / 86_400_000) : value instanceof Date ? Math.round(value.getTime() / 86_400_000) : value;
  if (type && DataType.isDecimal(type)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') {
    const children = (type?.children ?? []) as Field[];
    const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
    if (Array.isArray(json)) return json.map((v) => canon(v, children[0]));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) out[k] = canon(v, children.find((c) => c.name === k));
    return out;
  }
  return value;
}

/** Expected rows of a DAT case at `latest` or `v<N>`. */
export function expectedRows(caseDir: string, version: string): string[] {
  const dir = join(caseDir, 'expected', version, 'table_content.parquet');
  const rows: string[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.parquet'))) {
    rows.push(...canonicalRows(tableFromIPC(readParquet(new Uint8Array(readFileSync(join(dir, name)))).intoIPCStream())));
  }
  return rows.sort();
}

export function readParquetFile(bytes: Uint8Array): Table {
  return tableFromIPC(readParquet(bytes).intoIPCStream());
}
