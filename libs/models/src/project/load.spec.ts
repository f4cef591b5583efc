import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelsError } from '../errors.js';
import { loadProject } from './load.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'basic');
const scratch = mkdtempSync(join(tmpdir(), 'models-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function project(files: Record<string, string>): string {
  const dir = join(scratch, `p${n++}`);
  const all = { 'gold_project.yml': 'name: p\n', ...files };
  for (const [f, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

async function refusal(files: Record<string, string>): Promise<ModelsError> {
  try {
    await loadProject(project(files));
  } catch (e) {
    if (e instanceof ModelsError) return e;
    throw e;
  }
  throw new Error('expected the project to be refused');
}

describe('loadProject on the fixture', async () => {
  const p = await loadProject(FIXTURE);

  it('finds models, sources and tests', () => {
    expect(p.name).toBe('lakestream_gold');
    expect([...p.models.keys()].sort()).toEqual(['model.lap_metrics', 'model.session_metrics', 'model.stg_laps']);
    expect([...p.sources.keys()].sort()).toEqual(['source.quality.f1_quarantine', 'source.quality.validation_results', 'source.silver.satellite_samples', 'source.silver.telemetry_enriched']);
    expect([...p.tests.keys()].sort()).toEqual([
      'test.accepted_range_lap_metrics_lap_time_ms__0__',
      'test.accepted_values_lap_metrics_car_number__1__44',
      'test.assert_positive_best_lap',
      'test.not_null_lap_metrics_lap_time_ms',
      'test.relationships_session_metrics_session_id__session_id__ref_lap_metrics',
      'test.source_not_null_silver_telemetry_enriched_event_id',
      'test.unique_combination_of_columns_lap_metrics__session_id__car_number__lap',
    ]);
  });

  it('merges config: project folders < schema.yml < config(), tags accumulate', () => {
    const lap = p.models.get('model.lap_metrics');
    expect(lap?.config).toEqual({ materialized: 'incremental', uniqueKey: ['session_id', 'car_number', 'lap'], partitionBy: ['session_date'], tags: ['gold', 'nightly', 'laps'] });
    expect(p.models.get('model.session_metrics')?.config).toEqual({ materialized: 'table', tags: ['gold'] });
    expect(p.models.get('model.stg_laps')?.config).toEqual({ materialized: 'view', tags: [] });
    expect(lap?.fqn).toEqual(['lakestream_gold', 'marts', 'lap_metrics']);
    expect(lap?.refs).toEqual(['stg_laps']);
    expect(p.models.get('model.stg_laps')?.sources).toEqual([['silver', 'telemetry_enriched']]);
    expect(lap?.description).toBe('Per session, car and lap.');
    expect(lap?.columns['lap_time_ms']).toEqual({ description: 'Lap time in ms.' });
    expect(lap?.patch).toEqual({ file: 'models/marts/schema.yml', line: 4 });
    expect(lap?.file).toBe('models/marts/lap_metrics.sql');
  });

  it('resolves source Delta paths and inherits freshness', () => {
    expect(p.sources.get('source.silver.telemetry_enriched')).toMatchObject({
      deltaPath: 'silver/telemetry_enriched', loadedAtField: 'ingested_at', line: 11, file: 'models/sources.yml',
      freshness: { warnAfter: { count: 12, period: 'hour' }, errorAfter: { count: 1, period: 'day' } },
    });
    expect(p.sources.get('source.silver.satellite_samples')?.freshness).toBeUndefined();
    expect(p.sources.get('source.quality.validation_results')?.deltaPath).toBe('quality/validation_results');
    expect(p.sources.get('source.quality.f1_quarantine')?.deltaPath).toBe('quarantine/f1');
  });

  it('normalizes generic tests with dbt names, args, config and dependencies', () => {
    expect(p.tests.get('test.accepted_values_lap_metrics_car_number__1__44')).toMatchObject({
      attachedTo: 'model.lap_metrics', column: 'car_number', file: 'models/marts/schema.yml', line: 19,
      generic: { name: 'accepted_values', args: { values: [1, 44] } },
      config: { severity: 'warn', warnIf: '>10', errorIf: '>100', storeFailures: true, tags: [] },
      dependsOn: ['model.lap_metrics'],
    });
    expect(p.tests.get('test.accepted_range_lap_metrics_lap_time_ms__0__')?.generic).toEqual({ name: 'accepted_range', args: { min_value: 0, inclusive: false } });
    expect(p.tests.get('test.relationships_session_metrics_session_id__session_id__ref_lap_metrics')).toMatchObject({
      generic: { name: 'relationships', args: { to: 'model.lap_metrics', field: 'session_id' } },
      dependsOn: ['model.session_metrics', 'model.lap_metrics'],
      config: { severity: 'error', warnIf: '!=0', errorIf: '!=0', storeFailures: false },
    });
    expect(p.tests.get('test.unique_combination_of_columns_lap_metrics__session_id__car_number__lap')?.column).toBeUndefined();
    expect(p.tests.get('test.source_not_null_silver_telemetry_enriched_event_id')?.attachedTo).toBe('source.silver.telemetry_enriched');
  });

  it('loads singular tests with their refs and config()', () => {
    const t = p.tests.get('test.assert_positive_best_lap');
    expect(t).toMatchObject({ file: 'tests/assert_positive_best_lap.sql', dependsOn: ['model.session_metrics'], config: { severity: 'warn' } });
    expect(t?.generic).toBeUndefined();
    expect(t?.template?.refs[0]?.name).toBe('session_metrics');
  });
});

describe('loadProject refusals name file, line and YAML path', () => {
  const schema = (body: string) => ({ 'models/a.sql': 'select 1', 'models/schema.yml': `version: 2\n${body}` });
  it.each<[string, Record<string, string>, Record<string, unknown>, RegExp]>([
    ['missing project file', { 'gold_project.yml': '' }, { code: 'PROJECT_INVALID', file: 'gold_project.yml' }, /empty/],
    ['bad project name', { 'gold_project.yml': 'name: "my project"\n' }, { code: 'PROJECT_INVALID', file: 'gold_project.yml', line: 1, yamlPath: 'name' }, /identifier/],
    ['YAML syntax', { 'models/schema.yml': 'version: 2\nmodels:\n  - name: [a\n' }, { code: 'PROJECT_INVALID', file: 'models/schema.yml', line: 4 }, /YAML/],
    ['duplicate key', { 'models/schema.yml': 'version: 2\nversion: 2\n' }, { code: 'PROJECT_INVALID', line: 2 }, /unique/i],
    ['version', { 'models/schema.yml': 'version: 1\n' }, { code: 'PROJECT_INVALID', line: 1, yamlPath: 'version' }, /version: 2/],
    [
      'bad test arg deep inside',
      schema('models:\n  - name: a\n    columns:\n      - name: x\n        tests:\n          - not_null\n          - accepted_values:\n              valuez: [1]\n'),
      { code: 'PROJECT_INVALID', file: 'models/schema.yml', yamlPath: 'models[0].columns[0].tests[1].accepted_values.values', line: 9 },
      /expected array/,
    ],
    ['unknown generic test', schema('models:\n  - name: a\n    columns:\n      - name: x\n        tests: [uniq]\n'), { yamlPath: 'models[0].columns[0].tests[0]', line: 6 }, /unknown generic test 'uniq'/],
    ['bad severity', schema("models:\n  - name: a\n    columns:\n      - name: x\n        tests:\n          - unique:\n              config: {severity: fatal}\n"), { yamlPath: 'models[0].columns[0].tests[0].unique.config.severity', line: 8 }, /warn|error/],
    ['bad freshness', schema('sources:\n  - name: s\n    tables:\n      - name: t\n        freshness: {warn_after: {count: 1, period: week}}\n'), { yamlPath: 'sources[0].tables[0].freshness.warn_after.period', line: 6 }, /minute|hour|day/],
    ['typo key', schema('models:\n  - name: a\n    descripton: x\n'), { yamlPath: 'models[0].descripton', line: 4 }, /unknown key 'descripton'/],
    ['patch for a missing model', schema('models:\n  - name: nope\n'), { yamlPath: 'models[0].name', line: 3 }, /no nope\.sql/],
    ['relationships to garbage', schema("models:\n  - name: a\n    columns:\n      - name: x\n        tests:\n          - relationships: {to: 'var(1)', field: y}\n"), { yamlPath: 'models[0].columns[0].tests[0].relationships.to', line: 7 }, /ref\('model'\)/],
    ['duplicate model names', { 'models/a/x.sql': 'select 1', 'models/b/x.sql': 'select 2' }, { code: 'DUPLICATE_NODE', file: 'models/b/x.sql' }, /two models named 'x'/],
    ['duplicate test', schema('models:\n  - name: a\n    columns:\n      - name: x\n        tests: [unique, unique]\n'), { code: 'DUPLICATE_NODE', line: 6 }, /declared twice/],
    ['template error in a model', { 'models/m.sql': 'select\n {{ var("x") }}' }, { code: 'TEMPLATE_UNSUPPORTED', file: 'models/m.sql', line: 2, column: 5 }, /var/],
    ['bad config() value', { 'models/m.sql': "\n{{ config(materialized='snapshot') }}" }, { code: 'PROJECT_INVALID', file: 'models/m.sql', line: 2, column: 4 }, /materialized/],
    ['unknown config() key', { 'models/m.sql': "{{ config(materialised='table') }}" }, { code: 'PROJECT_INVALID', file: 'models/m.sql', line: 1 }, /unknown model config 'materialised'/],
    ['incremental without unique_key', { 'models/m.sql': "{{ config(materialized='incremental') }}" }, { code: 'PROJECT_INVALID', file: 'models/m.sql', line: 1 }, /unique_key/],
    ['lookback without lookback_column', { 'models/m.sql': "{{ config(materialized='incremental', unique_key='id', lookback=2) }}" }, { code: 'PROJECT_INVALID', file: 'models/m.sql', line: 1 }, /lookback needs lookback_column/],
    ['lookback_column on a table model', { 'models/m.sql': "{{ config(materialized='table', lookback_column='lap') }}" }, { code: 'PROJECT_INVALID', file: 'models/m.sql', line: 1 }, /materialized as table/],
    ['negative lookback', { 'models/m.sql': "{{ config(materialized='incremental', unique_key='id', lookback_column='lap', lookback=-1) }}" }, { code: 'PROJECT_INVALID', file: 'models/m.sql', line: 1 }, /lookback/],
    ['unknown folder config', { 'gold_project.yml': 'name: p\nmodels:\n  p:\n    +materialised: table\n', 'models/m.sql': 'select 1' }, { file: 'gold_project.yml', yamlPath: 'models.p.+materialised', line: 4 }, /unknown model config/],
  ])('%s', async (_, files, context, message) => {
    const e = await refusal(files);
    const { code, ...ctx } = context;
    if (code) expect(e.code).toBe(code);
    expect(e.context).toMatchObject(ctx);
    expect(e.message).toMatch(message);
  });

  it('model paths stay inside the project', async () => {
    const e = await refusal({ 'gold_project.yml': 'name: p\nmodel-paths: [models, ../elsewhere]\n' });
    expect(e).toMatchObject({ code: 'PROJECT_INVALID', context: { file: 'gold_project.yml', yamlPath: 'model-paths[1]', line: 2 } });
  });

  it('normalizes model paths, accepts unique_key as a string and plain folder config keys', async () => {
    const p = await loadProject(project({
      'gold_project.yml': 'name: p\nmodel-paths: [./sql/]\nmodels:\n  p:\n    materialized: table\n    sub:\n      tags: t1\n',
      'sql/sub/m.sql': "{{ config(materialized='incremental', unique_key='id', tags='t2') }}\nselect 1 as id",
      'sql/n.sql': 'select 2',
    }));
    expect(p.models.get('model.m')).toMatchObject({ file: 'sql/sub/m.sql', fqn: ['p', 'sub', 'm'], config: { materialized: 'incremental', uniqueKey: ['id'], tags: ['t1', 't2'] } });
    expect(p.models.get('model.n')?.config).toEqual({ materialized: 'table', tags: [] });
  });

  it('a missing gold_project.yml is PROJECT_IO', async () => {
    const dir = join(scratch, 'empty');
    mkdirSync(dir);
    await expect(loadProject(dir)).rejects.toMatchObject({ code: 'PROJECT_IO', context: { file: 'gold_project.yml' } });
  });

  it('enabled: false drops the model and its tests', async () => {
    const p = await loadProject(project({ 'gold_project.yml': 'name: p\nmodels:\n  p:\n    off:\n      +enabled: false\n', 'models/off/x.sql': 'select 1', 'models/y.sql': 'select 2', 'models/s.yml': 'version: 2\nmodels:\n  - name: x\n    columns: [{name: a, tests: [unique]}]\n' }));
    expect([...p.models.keys()]).toEqual(['model.y']);
    expect(p.tests.size).toBe(0);
  });
});
