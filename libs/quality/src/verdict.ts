/**
 * The row verdict, built from the per-row outcomes of the row expectations
 * that failed somewhere: a passed bitmap (rows failing no `error`
 * expectation) and, for each failing row, the ids of every expectation it
 * failed (CSR: `failedRows`, `failedOffsets`, `failedIds`). Reasons are
 * rendered only when asked.
 */
import type { Severity } from './expectation.js';
import { FAIL } from './kernels/outcome.js';
import type { RowVerdict } from './result.js';

export interface RowFailures {
  readonly id: number;
  readonly severity: Severity;
  /** FAIL (1) marks the rows that failed. */
  readonly out: Uint8Array;
}

/** `describe(id, row)`: one failed expectation of a row, as the reason shows it. */
export function buildVerdict(rowCount: number, failures: readonly RowFailures[], describe: (id: number, row: number) => string): RowVerdict {
  const passed = new Uint8Array(Math.ceil(rowCount / 8)).fill(0xff);
  if (rowCount % 8 !== 0) passed[passed.length - 1] = (1 << rowCount % 8) - 1;
  const sorted = [...failures].sort((a, b) => a.id - b.id);
  const perRow = new Int32Array(sorted.length > 0 ? rowCount : 0);
  let total = 0;
  for (const { out, severity } of sorted) {
    for (let i = 0; i < rowCount; i++) {
      if (out[i] !== FAIL) continue;
      perRow[i] = (perRow[i] as number) + 1;
      total++;
      if (severity === 'error') passed[i >> 3] = (passed[i >> 3] as number) & ~(1 << (i & 7));
    }
  }
  let failing = 0;
  for (let i = 0; i < perRow.length; i++) if ((perRow[i] as number) > 0) failing++;
  const failedRows = new Int32Array(failing);
  const failedOffsets = new Int32Array(failing + 1);
  const cursor = new Int32Array(perRow.length);
  for (let i = 0, k = 0, at = 0; i < perRow.length; i++) {
    const c = perRow[i] as number;
    if (c === 0) continue;
    failedRows[k] = i;
    cursor[i] = at;
    at += c;
    failedOffsets[++k] = at;
  }
  const failedIds = new Uint16Array(total);
  for (const { out, id } of sorted) {
    for (let i = 0; i < rowCount; i++) if (out[i] === FAIL) {
      const at = cursor[i] as number;
      failedIds[at] = id;
      cursor[i] = at + 1;
    }
  }
  let passedCount = rowCount;
  if (sorted.some((f) => f.severity === 'error')) {
    passedCount = 0;
    for (let i = 0; i < rowCount; i++) passedCount += ((passed[i >> 3] as number) >> (i & 7)) & 1;
  }

  return {
    rowCount,
    passed,
    passedCount,
    failedRows,
    failedOffsets,
    failedIds,
    reason(row: number): string {
      let lo = 0;
      let hi = failedRows.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = failedRows[mid] as number;
        if (r === row) {
          const parts: string[] = [];
          for (let j = failedOffsets[mid] as number; j < (failedOffsets[mid + 1] as number); j++) parts.push(describe(failedIds[j] as number, row));
          return parts.join('; ');
        }
        if (r < row) lo = mid + 1;
        else hi = mid - 1;
      }
      return '';
    },
  };
}
