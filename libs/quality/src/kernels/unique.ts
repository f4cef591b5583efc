/**
 * `expect_column_values_to_be_unique` and
 * `expect_compound_columns_to_be_unique`, within the batch: every row whose
 * value (tuple) occurs more than once fails, the first occurrence too (GE,
 * pandas `duplicated(keep=False)`). A single column's nulls are not
 * evaluated; a tuple is not evaluated only when all its values are null (GE's default
 * `ignore_row_if='all_values_are_missing'`); other nulls compare as a value.
 */
import type { Column } from '../column.js';
import { combineCodes, encodeColumn, type Codes } from './keys.js';
import { FAIL, type Tally } from './outcome.js';

export function uniqueRows(columns: readonly Column[], out: Uint8Array): Tally | string {
  const first = columns[0];
  if (!first) return 'no columns';
  const encoded: Codes[] = [];
  for (const column of columns) {
    const codes = encodeColumn(column);
    if (typeof codes === 'string') return `${column.name}: ${codes}`;
    encoded.push(codes);
  }
  const n = first.length;
  // Rows whose values are all null (only possible when every column has nulls).
  const someAllNull = encoded.every((c) => c.nulls > 0);
  const allNull = new Uint8Array(someAllNull ? n : 0);
  if (someAllNull) {
    allNull.fill(1);
    for (const { codes } of encoded) for (let i = 0; i < n; i++) if ((codes[i] as number) >= 0) allNull[i] = 0;
  }
  let key = encoded[0] as Codes;
  for (let k = 1; k < encoded.length; k++) key = combineCodes(key, encoded[k] as Codes);
  const codes = key.codes;
  const counts = new Int32Array(Math.max(key.count, 1));
  const tally: Tally = { unexpected: 0, missing: 0 };
  if (!someAllNull) {
    // No tuple is all null (a column without nulls): no per-row test.
    for (let i = 0; i < n; i++) counts[codes[i] as number] = (counts[codes[i] as number] as number) + 1;
    for (let i = 0; i < n; i++) {
      if ((counts[codes[i] as number] as number) > 1) {
        out[i] = FAIL;
        tally.unexpected++;
      }
    }
    return tally;
  }
  for (let i = 0; i < n; i++) if (allNull[i] === 0) counts[codes[i] as number] = (counts[codes[i] as number] as number) + 1;
  for (let i = 0; i < n; i++) {
    if (allNull[i] === 1) tally.missing++;
    else if ((counts[codes[i] as number] as number) > 1) {
      out[i] = FAIL;
      tally.unexpected++;
    }
  }
  return tally;
}
