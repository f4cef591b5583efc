import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toStoredResult, validate, type Suite } from '@lakestream/quality';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDocs, loadValidationResults, RESULT_JSON_COLUMN, VALIDATION_RESULTS_PATH } from './docs.js';

const suite: Suite = {
  name: 'test.speed',
  expectations: [{ type: 'expect_column_values_to_be_between', column: 'speed', min_value: 0, max_value: 380 }],
};

function resultJson(runId: string, runAt: string, speeds: number[]): string {
  const data = new Table({ speed: vectorFromArray(speeds, new Float64()) });
  return JSON.stringify(toStoredResult(validate(data, suite, { runId, now: new Date(runAt) })));
}

/** The shape the consumer writes: one row per batch and suite, the stored result as JSON text (plus other columns). */
function resultRows(jsons: (string | null)[]): Table {
  return new Table({
    batch: vectorFromArray(jsons.map((_, i) => i), new Int32()),
    [RESULT_JSON_COLUMN]: vectorFromArray(jsons, new Utf8()),
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'consumer-docs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('consumer docs', () => {
  it('renders every stored result of quality/validation_results, oldest run first, into one page', async () => {
    const store = new LocalFileStore(join(dir, VALIDATION_RESULTS_PATH));
    const table = await DeltaTable.create(store, { schema: resultRows(['x']).schema });
    // Appended out of order, across two commits: the page orders runs by runAt.
    await table.append(resultRows([resultJson('f1-telemetry batch 2', '2026-03-08T15:00:10Z', [1, 500, 2])]));
    await table.append(resultRows([resultJson('f1-telemetry batch 1', '2026-03-08T15:00:05Z', [100, 200])]));

    const loaded = await loadValidationResults(dir);
    expect(loaded).toMatchObject({ tableFound: true, version: 2, invalid: [] });
    expect(loaded.results.map((r) => [r.runId, r.success, r.rowCount])).toEqual([
      ['f1-telemetry batch 1', true, 2],
      ['f1-telemetry batch 2', false, 3],
    ]);

    const out = join(dir, 'reports', 'docs.html');
    const r = await generateDocs({ tablesDir: dir, out }, { generatedAt: '2026-03-08T16:00:00Z' });
    expect(r).toMatchObject({ results: 2, out, tableFound: true, version: 2 });
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('data-runs="2"');
    expect(html).toContain('data-suite="test.speed"');
    expect(html).toContain('f1-telemetry batch 1');
    expect(html.indexOf('data-run-id="f1-telemetry batch 1"')).toBeGreaterThan(-1);
  });

  it('skips and reports rows whose result_json is null or not a stored result', async () => {
    const store = new LocalFileStore(join(dir, VALIDATION_RESULTS_PATH));
    const good = resultJson('sat-data batch 1', '2026-03-08T15:00:00Z', [1]);
    const table = await DeltaTable.create(store, { schema: resultRows(['x']).schema });
    await table.append(resultRows([good, null, '{"format":2}', 'not json']));
    const loaded = await loadValidationResults(dir);
    expect(loaded.results).toHaveLength(1);
    expect(loaded.invalid.map((i) => i.row)).toEqual([1, 2, 3]);
    expect(loaded.invalid[0]?.message).toContain('null');
    expect(loaded.invalid[2]?.message).toContain('not JSON');
  });

  it('writes an empty page when the table does not exist yet', async () => {
    const out = join(dir, 'empty.html');
    const r = await generateDocs({ tablesDir: dir, out });
    expect(r).toMatchObject({ tableFound: false, results: 0, version: undefined, table: join(dir, VALIDATION_RESULTS_PATH) });
    expect(await readFile(out, 'utf8')).toContain('No validation results.');
  });

  it('a table without the result_json column is TABLE_UNAVAILABLE; an unwritable output is OUTPUT_FAILED', async () => {
    const store = new LocalFileStore(join(dir, VALIDATION_RESULTS_PATH));
    const t = await DeltaTable.create(store, { schema: new Table({ other: vectorFromArray(['a'], new Utf8()) }).schema });
    await t.append(new Table({ other: vectorFromArray(['a'], new Utf8()) }));
    await expect(loadValidationResults(dir)).rejects.toMatchObject({ code: 'TABLE_UNAVAILABLE', exitCode: 1 });

    const other = await mkdtemp(join(tmpdir(), 'consumer-docs-'));
    try {
      // The output's parent is a file: mkdir fails.
      await expect(generateDocs({ tablesDir: other, out: join(dir, VALIDATION_RESULTS_PATH, '_delta_log', '00000000000000000000.json', 'x.html') })).rejects.toMatchObject({
        code: 'OUTPUT_FAILED',
      });
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
