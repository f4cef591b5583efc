/**
 * `consumer docs`: read every stored validation result from the
 * `quality/validation_results` Delta table (one row per batch and suite, the
 * result in the `result_json` string column) and render them as one Data Docs
 * HTML page with @lakestream/quality's renderDataDocs.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultSuites, parseValidationResult, renderDataDocs, type StoredValidationResult } from '@lakestream/quality';
import { TABLES } from '@lakestream/schema';
import { DeltaTable, isSinkError, LocalFileStore } from '@lakestream/sink';
import type { DocsConfig } from './cli.js';
import { ConsumerError } from './errors.js';

/** Where the results live under the Delta root (the catalog's) and the column holding the stored JSON. */
export const VALIDATION_RESULTS_PATH = TABLES.validationResults.path;
export const RESULT_JSON_COLUMN = 'result_json';

export interface LoadedResults {
  /** Absolute-or-relative directory of the table, as opened. */
  readonly table: string;
  readonly tableFound: boolean;
  readonly version: number | undefined;
  /** Parsed results, ordered by runAt then runId (stable for the page). */
  readonly results: readonly StoredValidationResult[];
  /** Rows whose result_json did not parse (skipped, reported). */
  readonly invalid: readonly { readonly row: number; readonly message: string }[];
}

export interface DocsResult extends Omit<LoadedResults, 'results'> {
  readonly results: number;
  readonly out: string;
}

export async function loadValidationResults(tablesDir: string): Promise<LoadedResults> {
  const table = join(tablesDir, VALIDATION_RESULTS_PATH);
  let delta: DeltaTable;
  try {
    delta = await DeltaTable.open(new LocalFileStore(table));
  } catch (error) {
    if (isSinkError(error) && error.code === 'TABLE_NOT_FOUND') return { table, tableFound: false, version: undefined, results: [], invalid: [] };
    throw new ConsumerError('TABLE_UNAVAILABLE', `cannot open ${table}: ${(error as Error).message}`, { table }, { cause: error });
  }
  let column: ReturnType<Awaited<ReturnType<DeltaTable['read']>>['getChild']>;
  try {
    column = (await delta.read({ columns: [RESULT_JSON_COLUMN] })).getChild(RESULT_JSON_COLUMN);
  } catch (error) {
    throw new ConsumerError('TABLE_UNAVAILABLE', `cannot read ${table} at version ${delta.version}: ${(error as Error).message}`, { table, version: delta.version }, { cause: error });
  }
  if (!column) throw new ConsumerError('TABLE_UNAVAILABLE', `${table} has no ${RESULT_JSON_COLUMN} column`, { table, version: delta.version });
  const results: StoredValidationResult[] = [];
  const invalid: { row: number; message: string }[] = [];
  for (let row = 0; row < column.length; row++) {
    const json: unknown = column.get(row);
    if (typeof json !== 'string') {
      invalid.push({ row, message: `${RESULT_JSON_COLUMN} is null` });
      continue;
    }
    try {
      results.push(parseValidationResult(json));
    } catch (error) {
      invalid.push({ row, message: (error as Error).message });
    }
  }
  results.sort((a, b) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  return { table, tableFound: true, version: delta.version, results, invalid };
}

/** Load, render and write the page (atomically: a temp file renamed over the old page). */
export async function generateDocs(config: DocsConfig, options: { readonly generatedAt?: string } = {}): Promise<DocsResult> {
  const loaded = await loadValidationResults(config.tablesDir);
  const html = renderDataDocs(loaded.results, {
    title: 'lakestream Data Docs',
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    suites: defaultSuites(),
  });
  try {
    await mkdir(dirname(config.out), { recursive: true });
    const tmp = `${config.out}.${process.pid}.tmp`;
    await writeFile(tmp, html);
    await rename(tmp, config.out);
  } catch (error) {
    throw new ConsumerError('OUTPUT_FAILED', `cannot write ${config.out}: ${(error as Error).message}`, { file: config.out }, { cause: error });
  }
  return { ...loaded, results: loaded.results.length, out: config.out };
}
