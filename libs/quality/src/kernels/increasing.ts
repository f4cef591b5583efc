/**
 * `expect_column_values_to_be_increasing`, in row order, per group: each
 * non-null value is compared with the previous non-null value of its group
 * (`group_by` columns, nulls there being a group value of their own); the
 * first of a group passes. Non-decreasing by default, `strictly` for >.
 * NaN compares false (it fails, and so does the value after it).
 */
import type { Column } from '../column.js';
import { combineCodes, encodeColumn, type Codes } from './keys.js';
import { numericDomain, numbersOf, wordsOf } from './numeric.js';
import { FAIL, isValid, nullsOf, type Tally } from './outcome.js';

export function increasingRows(value: Column, groupBy: readonly Column[], strictly: boolean, out: Uint8Array): Tally | string {
  const domain = numericDomain(value.type);
  if (!domain) return `expect_column_values_to_be_increasing applies to numeric and temporal columns, not ${String(value.type)}`;
  const groups = groupCodes(groupBy, value.length);
  if (typeof groups === 'string') return groups;
  const groupCount = Math.max(groups.count, 1);
  const groupIds = groups.codes;
  const seen = new Uint8Array(groupCount);
  const lastF = new Float64Array(groupCount);
  const lastH = new Float64Array(groupCount);
  const lastL = new Float64Array(groupCount);
  const tally: Tally = { unexpected: 0, missing: 0 };
  let base = 0;
  for (const data of value.chunks) {
    const n = data.length;
    // Null rows neither fail nor move their group's last value.
    const bitmap = nullsOf(data);
    const off = data.offset;
    tally.missing += data.nullCount;
    const w = wordsOf(data);
    let fails = 0;
    if (w && bitmap === null && !domain.unsigned) {
      // Signed 64-bit without nulls (ids, offsets, times): no validity or sign tests per row.
      for (let i = 0; i < n; i++) {
        const k = base + i;
        const g = groupIds[k] as number;
        const h = w[2 * i + 1] as number;
        const l = (w[2 * i] as number) >>> 0;
        if (seen[g] === 1) {
          const ph = lastH[g] as number;
          if (strictly ? h < ph || (h === ph && l <= (lastL[g] as number)) : h < ph || (h === ph && l < (lastL[g] as number))) {
            out[k] = FAIL;
            fails++;
          }
        } else seen[g] = 1;
        lastH[g] = h;
        lastL[g] = l;
      }
    } else if (w) {
      const unsigned = domain.unsigned;
      for (let i = 0; i < n; i++) {
        if (!isValid(bitmap, off + i)) continue;
        const k = base + i;
        const g = groupIds[k] as number;
        const h = unsigned ? (w[2 * i + 1] as number) >>> 0 : (w[2 * i + 1] as number);
        const l = (w[2 * i] as number) >>> 0;
        if (seen[g] === 1) {
          const ph = lastH[g] as number;
          const pl = lastL[g] as number;
          const ok = strictly ? h > ph || (h === ph && l > pl) : h > ph || (h === ph && l >= pl);
          if (!ok) {
            out[k] = FAIL;
            fails++;
          }
        }
        seen[g] = 1;
        lastH[g] = h;
        lastL[g] = l;
      }
    } else {
      const v = numbersOf(data);
      for (let i = 0; i < n; i++) {
        if (!isValid(bitmap, off + i)) continue;
        const k = base + i;
        const g = groupIds[k] as number;
        const x = v[i] as number;
        if (seen[g] === 1) {
          const p = lastF[g] as number;
          if (!(strictly ? x > p : x >= p)) {
            out[k] = FAIL;
            fails++;
          }
        }
        seen[g] = 1;
        lastF[g] = x;
      }
    }
    tally.unexpected += fails;
    base += n;
  }
  return tally;
}

/**
 * Group id per row (0 for all rows without group columns); nulls in group
 * columns are a group value. Several columns combine as compound uniqueness
 * combines them, so the same key is shared within a validate call.
 */
function groupCodes(groupBy: readonly Column[], n: number): Codes | string {
  let key: Codes | undefined;
  for (const column of groupBy) {
    const codes = encodeColumn(column);
    if (typeof codes === 'string') return `${column.name}: ${codes}`;
    key = key ? combineCodes(key, codes) : codes;
  }
  if (!key) return { codes: new Int32Array(n), count: 1, nulls: 0 };
  if (key.nulls === 0) return key;
  // One column with nulls (-1): they become group 0.
  const shifted = new Int32Array(key.codes.length);
  for (let i = 0; i < shifted.length; i++) shifted[i] = (key.codes[i] as number) + 1;
  return { codes: shifted, count: key.count + 1, nulls: 0 };
}
