/**
 * Numeric and temporal columns as kernels read them. A chunk's values are
 * either plain numbers (ints up to 32 bits, floats, Date32 days) or 64-bit
 * words (Int64, Uint64, timestamps, Date64), read as (high, low) Int32 pairs
 * over the same buffer — never one BigInt per row.
 */
import * as arrow from 'apache-arrow';

/** Units of temporal values; `day` for Date32. */
export type TemporalUnit = 's' | 'ms' | 'us' | 'ns' | 'day';

export const NS_PER_UNIT: Readonly<Record<TemporalUnit, bigint>> = {
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  ns: 1n,
  day: 86_400_000_000_000n,
};

export interface NumericDomain {
  /** The unit of temporal values (timestamps, dates, int64 epochs for freshness). */
  readonly unit?: TemporalUnit;
  readonly unsigned: boolean;
  readonly wide: boolean;
}

const TIME_UNITS: Record<number, TemporalUnit> = {
  [arrow.TimeUnit.SECOND]: 's',
  [arrow.TimeUnit.MILLISECOND]: 'ms',
  [arrow.TimeUnit.MICROSECOND]: 'us',
  [arrow.TimeUnit.NANOSECOND]: 'ns',
};

/** How a (value) type compares as a number, or undefined when it does not. */
export function numericDomain(type: arrow.DataType): NumericDomain | undefined {
  if (arrow.DataType.isInt(type)) return { unsigned: !type.isSigned, wide: type.bitWidth === 64 };
  if (arrow.DataType.isFloat(type)) return type.precision === arrow.Precision.HALF ? undefined : { unsigned: false, wide: false };
  if (arrow.DataType.isTimestamp(type)) return { unit: TIME_UNITS[type.unit] as TemporalUnit, unsigned: false, wide: true };
  if (arrow.DataType.isDate(type)) return type.unit === arrow.DateUnit.DAY ? { unit: 'day', unsigned: false, wide: false } : { unit: 'ms', unsigned: false, wide: true };
  if (arrow.DataType.isTime(type)) return { unsigned: false, wide: type.bitWidth === 64 };
  if (arrow.DataType.isDuration(type)) return { unsigned: false, wide: true };
  return undefined;
}

/** The 64-bit values of a chunk as little-endian Int32 words (row i: low `2i`, high `2i + 1`), or undefined for a plain-number chunk. */
export function wordsOf(data: arrow.Data): Int32Array | undefined {
  const v = data.values as unknown;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return new Int32Array(v.buffer, v.byteOffset, data.length * 2);
  return undefined;
}

/** The plain-number values of a chunk. */
export function numbersOf(data: arrow.Data): ArrayLike<number> {
  return data.values as ArrayLike<number>;
}

/** A row's 64-bit value as a double (exact within ±2^53). */
export function wordsToNumber(w: Int32Array, i: number, unsigned: boolean): number {
  const hi = w[2 * i + 1] as number;
  return (unsigned ? hi >>> 0 : hi) * 4294967296 + ((w[2 * i] as number) >>> 0);
}

/** A row's 64-bit value, exactly (for rendering and bounds, not for hot loops). */
export function wordsToBigInt(w: Int32Array, i: number, unsigned: boolean): bigint {
  const hi = BigInt(w[2 * i + 1] as number);
  const big = (hi << 32n) | BigInt((w[2 * i] as number) >>> 0);
  return unsigned ? BigInt.asUintN(64, big) : big;
}

/** Nanoseconds since the epoch of an ISO-8601 date or date-time (UTC unless it says otherwise), or undefined. */
export function parseIsoNs(text: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, date, time, fraction, zone] = m;
  const ms = Date.parse(time ? `${date}T${time}${zone ?? 'Z'}` : `${date}T00:00:00Z`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
}
