/**
 * `expect_column_values_to_be_unique` and
 * `expect_compound_columns_to_be_unique`, within the batch: every row whose
 * value (tuple) occurs more than once fails, the first occurrence too (GE,
 * pandas `duplicated(keep=False)`). A single column's nulls are MISSING; a
 * tuple is MISSING only when all its values are null (GE's default
 * `ignore_row_if='all_values_are_missing'`); other nulls compare as a value.
 */
import type { Column } from '../column.js';
import { codeCount, combineCodes, encodeColumn } from './keys.js';
import { FAIL, MISSING, PASS, type Tally } from './outcome.js';

export function uniqueRows(columns: readonly Column[], out: Uint8Array): Tally | string {
  const first = columns[0];
  if (!first) return 'no columns';
  const encoded: Int32Array[] = [];
  for (const column of columns) {
    const codes = encodeColumn(column);
    if (typeof codes === 'string') return `${column.name}: ${codes}`;
    encoded.push(codes);
  }
  const n = first.length;
  const allNull = new Uint8Array(n).fill(1);
  for (const codes of encoded) for (let i = 0; i < n; i++) if ((codes[i] as number) >= 0) allNull[i] = 0;
  let key = encoded[0] as Int32Array;
  if (encoded.length > 1) for (let k = 1; k < encoded.length; k++) key = combineCodes(key, encoded[k] as Int32Array);
  const counts = new Int32Array(Math.max(codeCount(key), 1));
  for (let i = 0; i < n; i++) if (allNull[i] === 0) counts[key[i] as number] = (counts[key[i] as number] as number) + 1;
  const tally: Tally = { unexpected: 0, missing: 0 };
  for (let i = 0; i < n; i++) {
    if (allNull[i] === 1) {
      out[i] = MISSING;
      tally.missing++;
    } else if ((counts[key[i] as number] as number) > 1) {
      out[i] = FAIL;
      tally.unexpected++;
    } else out[i] = PASS;
  }
  return tally;
}
