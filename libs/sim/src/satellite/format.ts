/** CSV text of satellite rows: the seed's header, 2 decimals, `\n` line ends, no index column. */
import { SATELLITE_CSV_COLUMNS } from '@lakestream/schema';
import type { SatelliteRow } from './generate.js';

export const SATELLITE_CSV_HEADER = SATELLITE_CSV_COLUMNS.join(',');

const COLUMNS = SATELLITE_CSV_COLUMNS.length;
/** Widest value: sign, 10 integer digits (2^31 / 100), point, 2 decimals, separator. */
const MAX_VALUE_BYTES = 15;
const digits = new Uint8Array(10);

/**
 * CSV bytes (ASCII) from values in hundredths, row-major, 6 per row. Written
 * straight into a buffer with integer arithmetic: no float formatting, no
 * per-value strings, never "-0.00". A million rows take a few tens of ms.
 */
export function encodeSatelliteCentiCsv(values: ArrayLike<number>): Buffer {
  const rows = Math.floor(values.length / COLUMNS);
  const out = Buffer.allocUnsafe(SATELLITE_CSV_HEADER.length + 1 + rows * COLUMNS * MAX_VALUE_BYTES);
  let pos = out.write(`${SATELLITE_CSV_HEADER}\n`, 0, 'latin1');
  for (let k = 0; k < rows * COLUMNS; k++) {
    let c = values[k] as number;
    if (c < 0) {
      out[pos++] = 45; // '-'
      c = -c;
    }
    let whole = Math.floor(c / 100);
    const frac = c - whole * 100;
    let n = 0;
    do {
      const q = Math.floor(whole / 10);
      digits[n++] = 48 + whole - q * 10;
      whole = q;
    } while (whole > 0);
    while (n > 0) out[pos++] = digits[--n] as number;
    out[pos++] = 46; // '.'
    const tens = Math.floor(frac / 10);
    out[pos++] = 48 + tens;
    out[pos++] = 48 + frac - tens * 10;
    out[pos++] = (k + 1) % COLUMNS === 0 ? 10 : 44; // '\n' or ','
  }
  return out.subarray(0, pos);
}

/** CSV text of rows; values are rounded half up to 2 decimals. */
export function formatSatelliteCsv(rows: readonly SatelliteRow[]): string {
  const values = new Float64Array(rows.length * COLUMNS);
  rows.forEach((row, k) => {
    SATELLITE_CSV_COLUMNS.forEach((column, j) => {
      values[k * COLUMNS + j] = Math.round(row[column] * 100);
    });
  });
  return encodeSatelliteCentiCsv(values).toString('latin1');
}
