/** Rows of `quality/validation_results`: one per (batch, suite) result. */
import { toStoredResult, type ValidationResult } from '@lakestream/quality';
import { TABLES } from '@lakestream/schema';
import type { Table } from 'apache-arrow';
import { buildTable } from './columns.js';

export interface ValidationRowsInput {
  readonly source: string;
  readonly batchId: bigint | number;
  readonly runAtUs: bigint;
  readonly results: readonly ValidationResult[];
}

export function validationRows({ source, batchId, runAtUs, results }: ValidationRowsInput): Table {
  const r = (k: number): ValidationResult => results[k] as ValidationResult;
  return buildTable(TABLES.validationResults.schema, results.length, {
    run_id: (k) => r(k).runId,
    suite_name: (k) => r(k).suite.name,
    suite_hash: (k) => r(k).suite.hash,
    source: () => source,
    batch_id: () => BigInt(batchId),
    run_at: () => runAtUs,
    row_count: (k) => BigInt(r(k).rowCount),
    passed_rows: (k) => BigInt(r(k).passedRows),
    success: (k) => r(k).success,
    result_json: (k) => JSON.stringify(toStoredResult(r(k))),
  });
}
