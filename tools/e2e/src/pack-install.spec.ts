import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inWorkspace } from './workspace.js';

/**
 * How other projects use us: `npm pack` each lib (built by the test target's
 * ^build dependency), install the tarballs into a scratch project outside the
 * workspace, and import them from plain Node — no source condition, no tsx.
 */
const LIBS = ['schema', 'codec', 'sim', 'publisher', 'testing', 'protocol', 'log', 'broker', 'sink', 'quality', 'medallion', 'stream', 'models'] as const;
const scratch = mkdtempSync(join(tmpdir(), 'lakestream-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

describe('publishable libs', () => {
  it('pack with dist and no sources, install outside the workspace, and import from plain Node', () => {
    const tarballs = LIBS.map((lib) => {
      const dir = inWorkspace('libs', lib);
      expect(existsSync(join(dir, 'dist', 'index.js')), `libs/${lib}/dist missing: the test target depends on ^build`).toBe(true);
      const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], dir)) as { filename: string; files: { path: string }[] }[];
      if (!info) throw new Error(`npm pack gave nothing for ${lib}`);
      const paths = info.files.map((f) => f.path);
      expect(paths, lib).toContain('dist/index.js');
      expect(paths, lib).toContain('dist/index.d.ts');
      expect(paths.filter((p) => p.startsWith('src/') || p.endsWith('.spec.js') || p.endsWith('.tsbuildinfo')), lib).toEqual([]);
      return join(scratch, info.filename);
    });

    const app = join(scratch, 'consumer-app');
    run('mkdir', ['-p', app], scratch);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'outside-app', version: '1.0.0', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], app);

    writeFileSync(
      join(app, 'check.mjs'),
      `
import { F1Event, TABLES, builtinRegistry } from '@lakestream/schema';
import { encodeF1Event, decode } from '@lakestream/codec';
import { F1Simulator } from '@lakestream/sim';
import { BatchingPublisher } from '@lakestream/publisher';
import { requireTool } from '@lakestream/testing';
import { Broker } from '@lakestream/broker';
import { SUPPORTED_APIS } from '@lakestream/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { DeltaTable, LocalFileStore } from '@lakestream/sink';
import { tableFromArrays } from 'apache-arrow';
import { defaultSuites, parseValidationResult, renderDataDocs, toStoredResult, validate } from '@lakestream/quality';
import { DedupIndex, transformF1 } from '@lakestream/medallion';
import { StreamEngine, planTableCommit, resumeOffset } from '@lakestream/stream';
import { buildGraph, loadProject, render, selectNodes } from '@lakestream/models';
import { mkdirSync, writeFileSync } from 'node:fs';
const lake = new LocalFileStore(mkdtempSync(join(tmpdir(), 'outside-delta-')));
const rows = tableFromArrays({ car: Int32Array.from([44, 16, 44]), speed: Float64Array.from([301.5, 299.1, 310.2]) });
const delta = await DeltaTable.create(lake, { schema: rows.schema });
await delta.append(rows);
// Encoder threads load encoder-worker.js from the installed package.
await delta.append(rows, { encoderThreads: 2 });
const deltaRows = (await delta.read()).numRows;
const broker = await Broker.start({ port: 0, dir: mkdtempSync(join(tmpdir(), 'outside-broker-')) });
const reachable = await new Promise((resolve) => {
  const socket = createConnection(broker.address.port, broker.address.host, () => { socket.end(); resolve(true); });
  socket.on('error', () => resolve(false));
});
await broker.close();
// Quality: a small table against a suite, a stored result read back, the Data Docs.
const laps = tableFromArrays({ car: Int16Array.from([44, 16, 44]), speed_kph: Float64Array.from([301.5, 299.1, 412.8]) });
const checked = validate(laps, { name: 'laps', expectations: [
  { type: 'expect_column_values_to_not_be_null', column: 'car' },
  { type: 'expect_column_values_to_be_between', column: 'speed_kph', min_value: 0, max_value: 400 },
] }, { now: Date.parse('2026-03-08T15:00:00Z'), resultFormat: 'SUMMARY' });
const stored = parseValidationResult(JSON.stringify(toStoredResult(checked)));
const quality = {
  success: stored.success, passedRows: checked.verdict.passedCount, reason: checked.verdict.reason(2),
  unexpected: stored.results[1].partialUnexpectedList, defaultSuites: defaultSuites().length,
  docs: renderDataDocs([stored]).includes('data-expectation="speed_kph between 0 and 400"'),
};
// Medallion: an undecodable record goes to quarantine with its codec code.
const medallionResult = transformF1([{ topic: 'f1-telemetry', partition: 0, offset: 0n, timestamp: 0n, key: null, value: Uint8Array.of(9, 9), headers: {}, size: 2 }],
  { needs: () => true, ingestedAt: new Date(0), batchId: 0, runId: 'outside', dedup: new DedupIndex() });
const medallion = { quarantined: medallionResult.tables.quarantine?.numRows, code: medallionResult.tables.quarantine?.getChild('reason_code')?.get(0) };
// Stream: the engine's pure offset decisions from the install.
const plan = planTableCommit('app', new Map([['t/0', 4]]), [{ topic: 't', partition: 0, first: 3n, last: 9n }]);
const stream = { engine: typeof StreamEngine.start, txn: plan.txn, expect: plan.expectTxn, resume: resumeOffset([new Map([['t/0', 4]]), new Map()], 't', 0) };
// Models: a two-model project loaded from disk, its DAG, a selection and a rendered template.
const gold = mkdtempSync(join(tmpdir(), 'outside-gold-'));
mkdirSync(join(gold, 'models'));
writeFileSync(join(gold, 'gold_project.yml'), 'name: g\\n');
writeFileSync(join(gold, 'models', 'a.sql'), 'select 1 as id');
writeFileSync(join(gold, 'models', 'b.sql'), "{% if is_incremental() %}x{% endif %}select * from {{ ref('a') }}");
const goldProject = await loadProject(gold);
const goldGraph = buildGraph(goldProject);
const models = {
  order: goldGraph.order(), selected: selectNodes(goldProject, goldGraph, { select: ['b+'] }),
  sql: render(goldProject.models.get('model.b'), { ref: (n) => '"' + n + '"', source: () => '', this: '"b"', isIncremental: false }),
};
const sim = new F1Simulator({ cars: 2, seed: 7 });
const events = [];
for (const e of sim.events()) { events.push(e); if (events.length === 50) break; }
const bad = events.filter((e) => !F1Event.safeParse(e).success).length;
const roundTrips = events.every((e) => {
  const r = decode(encodeF1Event(e));
  return r.ok && JSON.stringify(r.value.events[0], (k, v) => typeof v === 'bigint' ? v.toString() : v) === JSON.stringify(e, (k, v) => typeof v === 'bigint' ? v.toString() : v);
});
console.log(JSON.stringify({
  events: events.length, bad, roundTrips,
  silverColumns: TABLES.f1Silver.schema.fields.length,
  subjects: builtinRegistry().listSubjects().length,
  publisher: typeof BatchingPublisher, requireTool: typeof requireTool,
  brokerReachable: reachable, apis: SUPPORTED_APIS.length, deltaRows, quality, medallion, stream, models,
}));
`,
    );
    const out = JSON.parse(run('node', ['check.mjs'], app)) as Record<string, unknown>;
    expect(out).toMatchObject({ events: 50, bad: 0, roundTrips: true, subjects: 10, publisher: 'function', requireTool: 'function', brokerReachable: true, apis: 17, deltaRows: 6 });
    expect(out['silverColumns']).toBeGreaterThan(40);
    expect(out['quality']).toMatchObject({ success: false, passedRows: 2, reason: 'speed_kph between 0 and 400 (got 412.8)', unexpected: [412.8], docs: true });
    expect((out['quality'] as { defaultSuites: number }).defaultSuites).toBeGreaterThan(3);
    expect(out['medallion']).toEqual({ quarantined: 1, code: 'TRUNCATED' });
    expect(out['models']).toEqual({ order: ['model.a', 'model.b'], selected: ['model.b'], sql: 'select * from "a"' });
    expect(out['stream']).toEqual({ engine: 'function', txn: [{ appId: 'app-t-0', version: 9 }], expect: [{ appId: 'app-t-0', version: 4 }], resume: 0 });

    // The sim package's bin works from the install.
    const help = spawnSync(join(app, 'node_modules', '.bin', 'lakestream-sim'), ['--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('satellite');
  });
});
