/**
 * Dates and timestamps as text, exactly, from their stored integers: arrow-js
 * gives timestamps as doubles of milliseconds (microseconds are lost past
 * ~2255) and Date cannot hold every int64 instant, so the calendar is computed
 * here (proleptic Gregorian, as Spark 3 and the Delta protocol use).
 */
import * as arrow from 'apache-arrow';

const SECONDS_PER_DAY = 86_400n;
const PER_SECOND: Record<arrow.TimeUnit, bigint> = {
  [arrow.TimeUnit.SECOND]: 1n,
  [arrow.TimeUnit.MILLISECOND]: 1_000n,
  [arrow.TimeUnit.MICROSECOND]: 1_000_000n,
  [arrow.TimeUnit.NANOSECOND]: 1_000_000_000n,
};

/** Floor division (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Year, month, day of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** ISO-8601 year: four digits for 0000–9999, else signed six digits (as `Date#toISOString`). */
function yearText(y: number): string {
  if (y >= 0 && y <= 9999) return String(y).padStart(4, '0');
  return `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`;
}

const two = (n: number | bigint): string => String(n).padStart(2, '0');

/** `yyyy-MM-dd` of a day count since the epoch. */
export function dateText(days: number): string {
  const [y, m, d] = civil(days);
  return `${yearText(y)}-${two(m)}-${two(d)}`;
}

/**
 * ISO-8601 text of a stored timestamp in `unit`: `yyyy-MM-ddTHH:mm:ss.SSS`,
 * six fraction digits when not whole milliseconds (nine when not whole
 * microseconds), `Z` when `utc` (timestamp_ntz prints without it).
 */
export function timestampText(raw: bigint, unit: arrow.TimeUnit, utc: boolean): string {
  const per = PER_SECOND[unit];
  const seconds = floorDiv(raw, per);
  const nanos = (raw - seconds * per) * (1_000_000_000n / per);
  const days = floorDiv(seconds, SECONDS_PER_DAY);
  const sod = seconds - days * SECONDS_PER_DAY;
  const clock = `${two(sod / 3600n)}:${two((sod / 60n) % 60n)}:${two(sod % 60n)}`;
  const digits = nanos % 1_000_000n === 0n ? 3 : nanos % 1000n === 0n ? 6 : 9;
  const fraction = String(nanos).padStart(9, '0').slice(0, digits);
  return `${dateText(Number(days))}T${clock}.${fraction}${utc ? 'Z' : ''}`;
}
