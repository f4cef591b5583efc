import type { StoredValidationResult } from '@lakestream/quality';

/** A name with markup in it: the page must show it as text. */
export const EVIL = `</td><img src=x onerror="alert('xss')"><script>alert(1)</script>&amp;`;

type Exp = StoredValidationResult['results'][number];

function exp(id: number, name: string, type: string, columns: string[], evaluated: number, unexpected: number, fields: Partial<Exp> = {}): Exp {
  return {
    id, name, type, columns, severity: 'error', mostly: 1,
    success: unexpected === 0, evaluated, unexpected,
    unexpectedPercent: evaluated > 0 ? (100 * unexpected) / evaluated : 0, missing: 0, ...fields,
  };
}

function run(suite: string, runId: string, runAt: string, rowCount: number, passedRows: number, results: Exp[]): StoredValidationResult {
  const successful = results.filter((r) => r.success).length;
  return {
    format: 1, suite: { name: suite, hash: 'abc' }, runId, runAt, resultFormat: 'SUMMARY', rowCount,
    success: successful === results.length, passedRows,
    statistics: { evaluated: results.length, successful, unsuccessful: results.length - successful, successPercent: (100 * successful) / results.length },
    results,
  };
}

/** Validation results of a few batches (placeholder until validate lands). */
export function qualityRuns(): StoredValidationResult[] {
  const out: StoredValidationResult[] = [];
  for (let b = 0; b < 5; b++) {
    const bad = b * 3;
    out.push(
      run('f1.car_telemetry', `f1-telemetry batch ${b}`, `2026-03-08T15:00:${String(10 + b * 5).padStart(2, '0')}Z`, 1000, 1000 - bad, [
        exp(0, 'speed_kph between 0 and 400', 'expect_column_values_to_be_between', ['speed_kph'], 998, bad, { missing: 2, partialUnexpectedCounts: bad ? [{ value: 512.5, count: bad }] : [] }),
        exp(1, EVIL, 'expect_column_values_to_not_be_null', ['car_number'], 1000, 0),
        exp(2, 'rpm mean between 5000 and 15000', 'expect_column_mean_to_be_between', ['rpm'], 1000, 0, { observed: 11000 + b, severity: 'warn' }),
      ]),
    );
  }
  return out.reverse();
}
