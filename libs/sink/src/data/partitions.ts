/**
 * Partition values (PROTOCOL.md "Partition Value Serialization"), Hive-style
 * partition directories and the URI encoding of `add.path`.
 *
 * Value conventions (what parsePartitionValue returns, what
 * serializePartitionValue accepts besides these):
 *   string → string; long → bigint; integer/short/byte/float/double → number;
 *   boolean → boolean; date → number (days since epoch);
 *   timestamp / timestamp_ntz → bigint (microseconds since epoch, UTC);
 *   decimal → string (as written); binary → Uint8Array (see binaryPartitionText).
 */
import { decimalParts, type DeltaDataType } from '../schema/delta-schema.js';
import { InvalidPartitionValueError } from './errors.js';
import { javaDoubleString, javaFloatString } from './java-double.js';

export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

export type PartitionValue = string | number | bigint | boolean | Uint8Array | null;

/** Partition column → value as logged (null: the null partition). */
export type PartitionFilter = Readonly<Record<string, string | null>>;

/** True when a file's logged partition values equal every entry of `where` (no filter: everything matches). */
export function matchesPartition(file: { readonly partitionValues: Readonly<Record<string, string | null>> }, where: PartitionFilter | undefined): boolean {
  return !where || Object.entries(where).every(([c, v]) => (file.partitionValues[c] ?? null) === v);
}

const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------

/**
 * Serializes one value for `add.partitionValues`. null, undefined and the
 * empty string become null (Spark cannot tell an empty string partition from null).
 * Dates accept a Date, days since epoch, or `yyyy-MM-dd`; timestamps accept a
 * Date, milliseconds (number, arrow-js' convention) or microseconds (bigint).
 */
export function serializePartitionValue(value: unknown, type: DeltaDataType, column = '?'): string | null {
  if (value === null || value === undefined) return null;
  if (typeof type !== 'string') {
    throw new InvalidPartitionValueError(column, 'nested types cannot be partition columns');
  }
  const bad = (): never => {
    throw new InvalidPartitionValueError(column, `cannot serialize ${describe(value)} as ${type}`);
  };
  let out: string;
  switch (type) {
    case 'string':
      out = typeof value === 'string' ? value : bad();
      break;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      if (typeof value === 'bigint') out = value.toString();
      else if (typeof value === 'number' && Number.isInteger(value)) out = String(value);
      else out = bad();
      break;
    case 'float':
    case 'double':
      // As Spark writes them: Java's Float/Double.toString (1.0, -0.0, 1.0E21); parsing takes either form.
      out = typeof value === 'number' ? (type === 'float' ? javaFloatString(value) : javaDoubleString(value)) : bad();
      break;
    case 'boolean':
      out = typeof value === 'boolean' ? String(value) : bad();
      break;
    case 'binary':
      out = value instanceof Uint8Array ? binaryPartitionText(value) : typeof value === 'string' ? value : bad();
      break;
    case 'date':
      out = formatDate(toEpochDays(value) ?? bad());
      break;
    case 'timestamp':
    case 'timestamp_ntz':
      out = formatTimestamp(toEpochMicros(value) ?? bad());
      break;
    default: {
      const d = decimalParts(type);
      if (!d) return bad();
      if (typeof value === 'number' && Number.isFinite(value)) out = value.toFixed(d.scale);
      else if (typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) out = String(value);
      else out = bad();
    }
  }
  return out === '' ? null : out;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `Date(${v.toISOString?.() ?? 'invalid'})`;
  return `${typeof v} ${String(v)}`;
}

function toEpochDays(v: unknown): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : Math.floor(v.getTime() / MS_PER_DAY);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const days = parseDate(v);
    return days ?? undefined;
  }
  return undefined;
}

function toEpochMicros(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : BigInt(v.getTime()) * 1000n;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.round(v * 1000));
  if (typeof v === 'string') return parseTimestamp(v) ?? undefined;
  return undefined;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `yyyy-MM-dd` for days since 1970-01-01. */
export function formatDate(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `yyyy-MM-dd HH:mm:ss[.SSSSSS]` in UTC, the form Spark writes (fraction only when non-zero). */
export function formatTimestamp(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const d = new Date(Number(ms));
  const frac = Number(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n);
  const base =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return frac === 0 ? base : `${base}.${pad(frac, 6)}`;
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

export function parsePartitionValue(text: string | null, type: DeltaDataType, column = '?'): PartitionValue {
  if (text === null || text === '') return null;
  if (typeof type !== 'string') throw new InvalidPartitionValueError(column, 'nested types cannot be partition columns');
  const bad = (): never => {
    throw new InvalidPartitionValueError(column, `"${text}" is not a valid ${type} partition value`);
  };
  switch (type) {
    case 'string':
      return text;
    case 'long':
      return /^[-+]?\d+$/.test(text) ? BigInt(text) : bad();
    case 'integer':
    case 'short':
    case 'byte':
      return /^[-+]?\d+$/.test(text) ? Number(text) : bad();
    case 'float':
    case 'double': {
      const n = Number(text);
      return Number.isNaN(n) && text !== 'NaN' ? bad() : n;
    }
    case 'boolean': {
      const t = text.toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : bad();
    }
    case 'binary':
      return binaryPartitionBytes(text);
    case 'date':
      return parseDate(text) ?? bad();
    case 'timestamp':
    case 'timestamp_ntz':
      return parseTimestamp(text) ?? bad();
    default:
      return decimalParts(type) && /^[-+]?\d+(\.\d+)?$/.test(text) ? text : bad();
  }
}

/**
 * Binary partition values (PROTOCOL.md: "a string of escaped binary values",
 * e.g. "\u0001\u0002\u0003"): one character per byte, U+0000–U+00FF, which
 * the log's JSON escapes where it must. Lossless for any bytes.
 */
export function binaryPartitionText(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

/**
 * Inverse of binaryPartitionText. Text with characters past U+00FF cannot be
 * that form: Spark writes the bytes' UTF-8 text, so it is read as UTF-8.
 */
export function binaryPartitionBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return new TextEncoder().encode(text);
    bytes[i] = c;
  }
  return bytes;
}

const DATE_RE = /^(-?\d{4,})-(\d{1,2})-(\d{1,2})$/;
const TS_RE = /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Days since epoch of a `yyyy-MM-dd` date, or null when malformed. */
export function parseDate(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const ms = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0);
  return ms === null ? null : ms / MS_PER_DAY;
}

/**
 * Microseconds since epoch of `yyyy-MM-dd HH:mm:ss[.f]` (read as UTC) or an
 * ISO-8601 string with `T` and `Z`/offset. Null when malformed.
 */
export function parseTimestamp(text: string): bigint | null {
  const m = TS_RE.exec(text);
  if (!m) return null;
  const ms = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (ms === null) return null;
  const frac = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  let micros = BigInt(ms) * 1000n + frac;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    micros -= sign * offsetMin * 60_000_000n;
  }
  return micros;
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // Rejects 2021-02-30 and friends, which Date silently rolls over.
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return null;
  return date.getTime();
}

// ---------------------------------------------------------------------------
// Hive-style directories
// ---------------------------------------------------------------------------

/**
 * Characters Hive/Spark escape in partition path segments (ExternalCatalogUtils):
 * ASCII controls (NUL included: no file system takes it), DEL and
 * the characters in the string below.
 */
function needsEscape(code: number): boolean {
  return code < 0x20 || code === 0x7f || '"#%\'*/:=?\\{[]^'.includes(String.fromCharCode(code));
}

export function escapePartitionValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += c < 0x80 && needsEscape(c) ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : value[i];
  }
  return out;
}

/** Inverse of escapePartitionValue: `%XX` (hex) becomes the character; anything else stays. */
export function unescapePartitionValue(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * `col1=v1/col2=v2/` for the given columns in order (empty string without
 * partition columns), so `partitionDirectory(...) + fileName` is the relative path.
 * null and empty values go to `__HIVE_DEFAULT_PARTITION__`.
 */
export function partitionDirectory(columns: readonly string[], values: Readonly<Record<string, string | null>>): string {
  let out = '';
  for (const col of columns) {
    const v = values[col];
    const seg = v === null || v === undefined || v === '' ? HIVE_DEFAULT_PARTITION : escapePartitionValue(v);
    out += `${escapePartitionValue(col)}=${seg}/`;
  }
  return out;
}

// ---------------------------------------------------------------------------
// add.path is a URI (RFC 2396) relative to the table root
// ---------------------------------------------------------------------------

// RFC 2396 path characters that need no quoting: unreserved, punct, `/` and `@`.
const URI_PATH_SAFE = /[A-Za-z0-9\-_.!~*'(),;:$&+=/@]/;

/**
 * Encodes a relative file path the way Hadoop's Path.toUri (java.net.URI) does:
 * ASCII outside the RFC 2396 path set is %-encoded as UTF-8; other non-ASCII
 * characters stay literal except controls and spaces. So Spark's
 * `time=1970-01-01 00%3A00%3A00` becomes `time=1970-01-01%2000%253A00%253A00`.
 */
export function encodeLogPath(relativePath: string): string {
  let out = '';
  for (const ch of relativePath) {
    const cp = ch.codePointAt(0) ?? 0;
    const literal = cp < 0x80 ? URI_PATH_SAFE.test(ch) : !(cp <= 0x9f || /\p{White_Space}|\p{Cc}/u.test(ch));
    out += literal ? ch : percentEncodeUtf8(ch);
  }
  return out;
}

function percentEncodeUtf8(ch: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** Decodes `%XX` sequences (as UTF-8) in an `add.path`; malformed escapes are kept as they are. */
export function decodeLogPath(logPath: string): string {
  return logPath.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return run;
    }
  });
}
