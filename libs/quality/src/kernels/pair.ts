/**
 * `expect_column_pair_values_A_to_be_greater_than_B`: A > B (A ≥ B with
 * `or_equal`) per row; a row where either is null is not evaluated. Same-kind
 * 64-bit columns compare exactly as words; otherwise as doubles, temporal
 * columns of different units scaled to the finer unit. NaN fails.
 */
import type * as arrow from 'apache-arrow';
import type { Column } from '../column.js';
import { NS_PER_UNIT, numericDomain, numbersOf, wordsOf, wordsToNumber, type NumericDomain } from './numeric.js';
import { FAIL, isValid, nullsOf, type Tally } from './outcome.js';

export function pairRows(a: Column, b: Column, orEqual: boolean, out: Uint8Array): Tally | string {
  const da = numericDomain(a.type);
  const db = numericDomain(b.type);
  if (!da || !db) return `expect_column_pair_values_A_to_be_greater_than_B applies to numeric and temporal columns, not ${String(da ? b.type : a.type)}`;
  if (a.chunks.length !== b.chunks.length || a.chunks.some((c, j) => c.length !== b.chunks[j]?.length)) return `columns ${a.name} and ${b.name} are not chunked alike`;
  const exact = da.wide && db.wide && da.unit === db.unit && da.unsigned === db.unsigned;
  const [scaleA, scaleB] = scales(da, db);
  const tally: Tally = { unexpected: 0, missing: 0 };
  let base = 0;
  for (let j = 0; j < a.chunks.length; j++) {
    const ca = a.chunks[j] as arrow.Data;
    const cb = b.chunks[j] as arrow.Data;
    const n = ca.length;
    const wa = wordsOf(ca);
    const wb = wordsOf(cb);
    const na = nullsOf(ca);
    const nb = nullsOf(cb);
    const oa = ca.offset;
    const ob = cb.offset;
    let fails = 0;
    if (na || nb) for (let i = 0; i < n; i++) if (!isValid(na, oa + i) || !isValid(nb, ob + i)) tally.missing++;
    if (exact && wa && wb) {
      const u = da.unsigned;
      for (let i = 0; i < n; i++) {
        const ha = u ? (wa[2 * i + 1] as number) >>> 0 : (wa[2 * i + 1] as number);
        const hb = u ? (wb[2 * i + 1] as number) >>> 0 : (wb[2 * i + 1] as number);
        const la = (wa[2 * i] as number) >>> 0;
        const lb = (wb[2 * i] as number) >>> 0;
        const ok = ha > hb || (ha === hb && (orEqual ? la >= lb : la > lb));
        if (!ok && isValid(na, oa + i) && isValid(nb, ob + i)) {
          out[base + i] = FAIL;
          fails++;
        }
      }
    } else {
      const va = wa ? undefined : numbersOf(ca);
      const vb = wb ? undefined : numbersOf(cb);
      for (let i = 0; i < n; i++) {
        const x = (va ? (va[i] as number) : wordsToNumber(wa as Int32Array, i, da.unsigned)) * scaleA;
        const y = (vb ? (vb[i] as number) : wordsToNumber(wb as Int32Array, i, db.unsigned)) * scaleB;
        if (!(orEqual ? x >= y : x > y) && isValid(na, oa + i) && isValid(nb, ob + i)) {
          out[base + i] = FAIL;
          fails++;
        }
      }
    }
    tally.unexpected += fails;
    base += n;
  }
  return tally;
}

function scales(da: NumericDomain, db: NumericDomain): [number, number] {
  if (!da.unit || !db.unit || da.unit === db.unit) return [1, 1];
  const pa = NS_PER_UNIT[da.unit];
  const pb = NS_PER_UNIT[db.unit];
  return pa > pb ? [Number(pa / pb), 1] : [1, Number(pb / pa)];
}
