import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lap, tempDir, writeLaps } from '../../test/runner/delta-fixtures.js';
import { writeProject } from '../../test/runner/project-fixture.js';
import { loadProject } from '../project/load.js';
import { runProject } from '../run/runner.js';
import { runSourceFreshness } from '../run/freshness.js';
import { generateDocs } from '../docs/generate.js';
import { ARTIFACT_FILES, buildRunResults, buildSourceResults, compileProject, readArtifact, writeArtifact } from './build.js';
import { Manifest, RunResults, SourceFreshnessResults } from './schemas.js';

const tmp = tempDir('models-artifacts-');
afterAll(() => tmp.cleanup());

describe('artifacts', async () => {
  const tables = join(tmp.dir, 'tables');
  await writeLaps(tables, 'silver/laps', [[lap(44, 1, 90_000), lap(16, 1, 91_000)]]);
  const project = await loadProject(writeProject(join(tmp.dir, 'project')));
  const target = join(tmp.dir, 'project', 'target');

  it('manifest.json: nodes with depends_on, config, compiled code; sources with Delta paths; docs page draws every edge', async () => {
    const { manifest, index } = await generateDocs(project, target);
    const m = await readArtifact(manifest, Manifest);
    expect(m.nodes['model.car_best']).toMatchObject({ resource_type: 'model', config: { materialized: 'table' }, depends_on: { nodes: ['model.lap_metrics'] }, delta_path: 'gold/car_best', relation_name: 'gold.car_best' });
    expect(m.nodes['model.lap_metrics']?.config).toMatchObject({ materialized: 'incremental', unique_key: ['car', 'lap'], partition_by: ['session_date'] });
    expect(m.nodes['model.lap_metrics']?.compiled_code).toContain('from src."silver__laps"');
    expect(m.nodes['model.fast_laps']?.compiled_code).toMatch(/^WITH "__dbt__cte__stg_laps" AS \(/);
    expect(m.nodes['model.fast_laps']?.depends_on.nodes).toEqual(['model.stg_laps', 'model.car_best']);
    expect(m.sources['source.silver.laps']).toMatchObject({ delta_path: 'silver/laps', loaded_at_field: 'ts', freshness: { warn_after: { count: 1, period: 'hour' } } });
    expect(m.child_map['model.lap_metrics']).toEqual(expect.arrayContaining(['model.car_best', 'test.not_null_lap_metrics_lap_time_ms']));
    expect(m.nodes['test.accepted_values_car_best_car__16__44']).toMatchObject({ test_metadata: { name: 'accepted_values' }, attached_node: 'model.car_best', delta_path: 'gold/dbt_test__audit/accepted_values_car_best_car__16__44' });

    const html = readFileSync(index, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/); // self-contained
    const drawn = [...html.matchAll(/<path class="edge" data-from="([^"]+)" data-to="([^"]+)"/g)].map((x) => `${x[1]}>${x[2]}`).sort();
    expect(drawn).toEqual(['model.car_best>model.fast_laps', 'model.lap_metrics>model.car_best', 'model.stg_laps>model.fast_laps', 'source.silver.laps>model.lap_metrics', 'source.silver.laps>model.stg_laps']);
    expect([...html.matchAll(/<g class="node" data-id="([^"]+)"/g)]).toHaveLength(5);
    expect(html).toContain('One row per car and lap.');
    expect(html).toContain('Lap time in ms.');
  });

  it('run_results.json and sources.json validate against their schemas', async () => {
    const outcome = await runProject(project, { command: 'build', tablesDir: tables, threads: 2 });
    const rr = buildRunResults(project, outcome, { select: ['+car_best'], options: { threads: 2 } });
    const path = await writeArtifact(target, ARTIFACT_FILES.runResults, rr);
    const back = await readArtifact(path, RunResults);
    expect(back.args).toEqual({ which: 'build', select: ['+car_best'], exclude: [], full_refresh: false, threads: 2 });
    expect(back.results.find((r) => r.unique_id === 'model.car_best')).toMatchObject({ status: 'success', adapter_response: { _message: 'CREATE TABLE 2', rows_affected: 2 }, relation_name: 'gold.car_best' });
    expect(back.results.find((r) => r.unique_id === 'test.not_null_lap_metrics_lap_time_ms')).toMatchObject({ status: 'pass', failures: 0 });
    const fresh = buildSourceResults(project, await runSourceFreshness(project, { tablesDir: tables, now: () => new Date(Date.UTC(2024, 2, 2, 14, 30)) }));
    expect(SourceFreshnessResults.parse(fresh).results[0]).toMatchObject({ unique_id: 'source.silver.laps', status: 'pass' });
    expect(compileProject(project).get('test.no_slow_best')).toContain('from gold."car_best"');
  });

  it('a bad artifact is ARTIFACT_INVALID naming the field', async () => {
    const path = await writeArtifact(target, 'bad.json', { metadata: {} });
    await expect(readArtifact(path, RunResults)).rejects.toMatchObject({ code: 'ARTIFACT_INVALID' });
  });
});
