/**
 * Numbers and cells as the Data Docs show them, and the one definition of an
 * expectation's pass rate the page (and its charts) use.
 */
import { ROW_EXPECTATIONS } from '../expectation.js';
import type { ExpectationResult, JsonCell } from '../result.js';

const ROW_TYPES: ReadonlySet<string> = new Set(ROW_EXPECTATIONS);

/**
 * Percent of evaluated rows that passed: `100 × (evaluated − unexpected) /
 * evaluated` for row expectations that evaluated rows; otherwise (aggregates,
 * table expectations, nothing evaluated, or an evaluation error) 100 when it
 * succeeded and 0 when it failed.
 */
export function passRate(r: Pick<ExpectationResult, 'type' | 'evaluated' | 'unexpected' | 'success' | 'error'>): number {
  if (r.error !== undefined) return 0;
  if (ROW_TYPES.has(r.type) && r.evaluated > 0) return (100 * (r.evaluated - Math.min(r.unexpected, r.evaluated))) / r.evaluated;
  return r.success ? 100 : 0;
}

/** Rows of a run that passed every `error` expectation, in percent (100 for an empty batch). */
export function rowPassRate(rowCount: number, passedRows: number): number {
  return rowCount > 0 ? (100 * Math.min(passedRows, rowCount)) / rowCount : 100;
}

/** Integers as is with thin grouping, others with up to 6 significant digits; never locale-dependent. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Math.abs(n) >= 10_000 ? group(String(n)) : String(n);
  const abs = Math.abs(n);
  return abs >= 1e15 || abs < 1e-6 ? n.toExponential(4) : String(Number(n.toPrecision(6)));
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** A percent with at most two decimals: `99.95%`, `100%`, `0.01%`; a non-zero value never shows as 0 or 100. */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  let text = String(Math.round(p * 100) / 100);
  if (p > 0 && text === '0') text = '<0.01';
  if (p < 100 && text === '100') text = '>99.99';
  return `${text}%`;
}

/** A cell from a result (unexpected sample, observed value) as plain text; the caller escapes it. */
export function formatCell(value: JsonCell | readonly string[] | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value === '' ? '""' : value;
  return String(value);
}

/** `2026-03-08T15:00:00.000Z` → `2026-03-08 15:00:00Z` (unparseable text is shown as given). */
export function formatRunAt(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t).toISOString();
  const ms = d.slice(19, 23) === '.000' ? '' : d.slice(19, 23);
  return `${d.slice(0, 10)} ${d.slice(11, 19)}${ms}Z`;
}

/** A content hash as shown: its first 12 characters (the full hash is in a title/data attribute). */
export function shortHash(hash: string): string {
  return hash.length > 12 ? hash.slice(0, 12) : hash;
}
