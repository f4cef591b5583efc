/**
 * `run`, `test` and `build` in DAG order: each node starts when the nodes it
 * depends on in this invocation are done, on one of `threads` DuckDB
 * connections. A model error skips everything downstream; in `build`, a
 * model also waits for the tests of its parents, and an error-severity test
 * failure skips the models downstream of the tested node. Models not
 * selected but read by selected nodes are attached as they stand (gold
 * tables) or created (views); ephemeral models are inlined.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ModelsError } from '../errors.js';
import type { ModelNode, Project, TestNode } from '../project/types.js';
import { Engine, query } from '../engine/engine.js';
import { relationToArrow } from '../engine/to-arrow.js';
import { attachSources, attachUnselectedModel, createSchemas, type RunContext } from './context.js';
import { testStatus } from './conditions.js';
import { materialize } from './materialize.js';
import { upstreamSources } from './compile.js';
import { describeModel, resultLine, startLine, seconds } from './progress.js';
import { auditTablePath, compileTest } from './tests.js';
import { replaceDeltaTable } from './write-gold.js';

export type Command = 'run' | 'test' | 'build';

export interface RunOptions {
  readonly command: Command;
  /** Unique ids to run (from `selectNodes`); default: every model (run), test (test) or both (build). */
  readonly selected?: readonly string[];
  /** Absolute Delta root. */
  readonly tablesDir: string;
  readonly threads?: number;
  readonly fullRefresh?: boolean;
  /** One call per progress line. */
  readonly log?: (line: string) => void;
}

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'warn' | 'fail';

export interface NodeResult {
  readonly uniqueId: string;
  readonly status: NodeStatus;
  readonly startedAt: string;
  readonly completedAt: string;
  /** Seconds. */
  readonly executionTime: number;
  readonly message: string;
  readonly rowsAffected?: number;
  /** Failing rows of a test. */
  readonly failures?: number;
  readonly compiledSql?: string;
  readonly thread: string;
}

export interface RunOutcome {
  readonly command: Command;
  readonly results: NodeResult[];
  readonly startedAt: string;
  readonly elapsed: number;
  /** dbt's: 0 all good (warnings allowed), 1 a model error or a test failure. */
  readonly exitCode: 0 | 1;
}

export async function runProject(project: Project, options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const nodes = executingNodes(project, options);
  const deps = dependencies(project, nodes, options.command);
  const engine = await Engine.open();
  const threads = Math.max(1, options.threads ?? 1);
  const ctx: RunContext = { project, engine, tablesDir: options.tablesDir, fullRefresh: options.fullRefresh ?? false, sourceTables: new Map() };
  const results = new Map<string, NodeResult>();
  try {
    await createSchemas(engine.main);
    const connections: DuckDBConnection[] = [engine.main];
    for (let i = 1; i < threads; i++) connections.push(await engine.connect());
    const inputs = new Inputs(ctx, new Set(nodes));
    const order = nodes;
    const total = order.length;
    let counter = 0; // dbt numbers nodes as they start
    const done = new Map<string, Promise<NodeResult>>();
    const get = (id: string): Promise<NodeResult> => {
      let p = done.get(id);
      if (!p) {
        p = runOne(id);
        done.set(id, p);
      }
      return p;
    };
    const free = connections.map((c, i) => ({ c, name: `Thread-${i + 1}` }));
    const waiters: ((slot: { c: DuckDBConnection; name: string }) => void)[] = [];
    const acquire = (): Promise<{ c: DuckDBConnection; name: string }> => {
      const slot = free.shift();
      return slot ? Promise.resolve(slot) : new Promise((resolve) => waiters.push(resolve));
    };
    const release = (slot: { c: DuckDBConnection; name: string }): void => {
      const next = waiters.shift();
      if (next) next(slot);
      else free.push(slot);
    };
    const runOne = async (id: string): Promise<NodeResult> => {
      const upstream = await Promise.all((deps.get(id) ?? []).map(get));
      const what = label(project, id);
      const blocker = upstream.find((r) => r.status === 'error' || r.status === 'skipped' || r.status === 'fail');
      if (blocker) {
        const n = ++counter;
        const now = new Date().toISOString();
        log(resultLine(n, total, 'skip', project.tests.has(id) ? what : `relation ${modelName(project, id)}`));
        return { uniqueId: id, status: 'skipped', startedAt: now, completedAt: now, executionTime: 0, message: `SKIP (upstream ${blocker.uniqueId} ${blocker.status})`, thread: 'main' };
      }
      const slot = await acquire();
      const n = ++counter;
      try {
        log(startLine(n, total, what));
        const r = await execute(ctx, inputs, slot.c, id, slot.name);
        log(resultLineFor(n, total, what, r));
        return r;
      } finally {
        release(slot);
      }
    };
    const all = await Promise.all(order.map(get));
    // Results in the order nodes started, as run_results lists them.
    all.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const r of all) results.set(r.uniqueId, r);
    for (const c of connections.slice(1)) c.closeSync();
  } finally {
    engine.close();
  }
  const list = [...results.values()];
  const elapsed = (Date.now() - started) / 1000;
  for (const l of summaryLines(project, list, elapsed)) log(l);
  const exitCode = list.some((r) => r.status === 'error' || r.status === 'fail') ? 1 : 0;
  return { command: options.command, results: list, startedAt: new Date(started).toISOString(), elapsed, exitCode };
}

/** The nodes the command executes, in a topological order (models by refs, tests after what they read). */
export function executingNodes(project: Project, options: Pick<RunOptions, 'command' | 'selected'>): string[] {
  const wanted = (id: string): boolean => {
    if (options.selected && !options.selected.includes(id)) return false;
    const m = project.models.get(id);
    if (m) return options.command !== 'test' && m.config.materialized !== 'ephemeral' && m.config.enabled !== false;
    return project.tests.has(id) && options.command !== 'run';
  };
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const m = project.models.get(id);
    const t = project.tests.get(id);
    for (const p of m ? m.refs.map((r) => `model.${r}`) : (t?.dependsOn ?? [])) visit(p);
    if (wanted(id)) order.push(id);
  };
  // Models first (by name), then tests: every test lands after what it reads, models stay in ref order.
  for (const id of [...project.models.keys()].sort()) visit(id);
  for (const id of [...project.tests.keys()].sort()) visit(id);
  return order;
}

/** For each executing node, the executing nodes it waits for. */
export function dependencies(project: Project, nodes: readonly string[], command: Command): Map<string, string[]> {
  const executing = new Set(nodes);
  const modelParents = (m: ModelNode): string[] => {
    // Through ephemeral models to the models that really run.
    const out: string[] = [];
    for (const r of m.refs) {
      const p = project.models.get(`model.${r}`);
      if (!p) continue;
      if (p.config.materialized === 'ephemeral') out.push(p.uniqueId, ...modelParents(p));
      else out.push(p.uniqueId);
    }
    return out;
  };
  const descendants = (id: string): Set<string> => {
    const out = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const cur = stack.pop() as string;
      for (const m of project.models.values()) {
        if (!out.has(m.uniqueId) && modelParents(m).includes(cur)) {
          out.add(m.uniqueId);
          stack.push(m.uniqueId);
        }
      }
    }
    return out;
  };
  const deps = new Map<string, string[]>();
  for (const id of nodes) {
    const m = project.models.get(id);
    if (m) {
      const parents = modelParents(m);
      const d = parents.filter((p) => executing.has(p));
      if (command === 'build') {
        // Tests on the models and sources this one reads gate it (as dbt build does), unless they read it or its descendants.
        const gates = new Set([...parents, ...upstreamSources(project, m).map(([s, t]) => `source.${s}.${t}`)]);
        const below = descendants(id);
        below.add(id);
        for (const t of project.tests.values()) {
          if (executing.has(t.uniqueId) && t.attachedTo !== undefined && gates.has(t.attachedTo) && !t.dependsOn.some((x) => below.has(x))) d.push(t.uniqueId);
        }
      }
      deps.set(id, [...new Set(d)]);
    } else {
      const t = project.tests.get(id);
      deps.set(id, (t?.dependsOn ?? []).flatMap((x) => {
        const p = project.models.get(x);
        return p?.config.materialized === 'ephemeral' ? modelParents(p) : [x];
      }).filter((x) => executing.has(x)));
    }
  }
  return deps;
}

/** Sources and not-executed models a node reads, attached once each (shared promises). */
class Inputs {
  private readonly pending = new Map<string, Promise<void>>();
  constructor(private readonly ctx: RunContext, private readonly executing: ReadonlySet<string>) {}

  forNode(connection: DuckDBConnection, id: string): Promise<void> {
    const m = this.ctx.project.models.get(id);
    if (m) return this.forModelInputs(connection, m);
    const t = this.ctx.project.tests.get(id) as TestNode;
    return Promise.all(t.dependsOn.map((d) => this.need(connection, d))).then(() => undefined);
  }

  private async forModelInputs(connection: DuckDBConnection, m: ModelNode): Promise<void> {
    for (const r of m.refs) await this.need(connection, `model.${r}`);
    for (const [s, t] of m.sources) await this.need(connection, `source.${s}.${t}`);
  }

  private need(connection: DuckDBConnection, id: string): Promise<void> {
    if (this.executing.has(id)) return Promise.resolve();
    let p = this.pending.get(id);
    if (!p) {
      p = this.attach(connection, id);
      this.pending.set(id, p);
    }
    return p;
  }

  private async attach(connection: DuckDBConnection, id: string): Promise<void> {
    const source = this.ctx.project.sources.get(id);
    if (source) return attachSources(this.ctx, connection, [source]);
    const model = this.ctx.project.models.get(id);
    if (!model) return;
    if (model.config.materialized === 'view' || model.config.materialized === 'ephemeral') await this.forModelInputs(connection, model);
    await attachUnselectedModel(this.ctx, connection, model);
  }
}

async function execute(ctx: RunContext, inputs: Inputs, connection: DuckDBConnection, id: string, thread: string): Promise<NodeResult> {
  const started = Date.now();
  const finish = (r: Omit<NodeResult, 'uniqueId' | 'startedAt' | 'completedAt' | 'executionTime' | 'thread'>): NodeResult => ({
    uniqueId: id, startedAt: new Date(started).toISOString(), completedAt: new Date().toISOString(), executionTime: (Date.now() - started) / 1000, thread, ...r,
  });
  try {
    await inputs.forNode(connection, id);
    const model = ctx.project.models.get(id);
    if (model) {
      const out = await materialize(ctx, connection, model);
      return finish({ status: 'success', message: out.message, rowsAffected: out.rows, compiledSql: out.compiledSql });
    }
    const test = ctx.project.tests.get(id) as TestNode;
    const sql = compileTest(ctx.project, test);
    const failures = Number((await query(connection, `SELECT count(*) AS n FROM (\n${sql}\n) AS dbt_internal_test`, { node: id, file: test.file }))[0]?.['n'] ?? 0);
    const status = testStatus(test.config.severity, test.config.warnIf, test.config.errorIf, failures);
    if (test.config.storeFailures) {
      const rows = await relationToArrow(connection, `(${sql})`, { node: id, file: test.file });
      await replaceDeltaTable(ctx.tablesDir, auditTablePath(test), rows, { partitionColumns: [], name: test.name }, { node: id, file: test.file });
    }
    const message = status === 'pass' ? 'PASS' : `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${status === 'fail' ? 'fail' : 'warn'} if ${status === 'fail' ? test.config.errorIf : test.config.warnIf}`;
    return finish({ status, message, failures, compiledSql: sql });
  } catch (error) {
    const message = error instanceof ModelsError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return finish({ status: 'error', message });
  }
}

function modelName(project: Project, id: string): string {
  const m = project.models.get(id);
  return m ? `gold.${m.name}` : id;
}

function label(project: Project, id: string): string {
  const m = project.models.get(id);
  if (m) return describeModel(m.config.materialized, modelName(project, id));
  return `test ${project.tests.get(id)?.name ?? id}`;
}

function resultLineFor(n: number, total: number, what: string, r: NodeResult): string {
  const ms = r.executionTime * 1000;
  switch (r.status) {
    case 'success': return resultLine(n, total, r.message.startsWith('NO NEW DATA') ? 'no-op' : 'ok', what, { message: r.message, ms });
    case 'error': return `${resultLine(n, total, 'error', what, { ms })}\n  ${r.message.split('\n').join('\n  ')}`;
    case 'pass': return resultLine(n, total, 'pass', what.replace(/^test /, ''), { ms });
    case 'warn': return resultLine(n, total, 'warn', what.replace(/^test /, ''), { failures: r.failures ?? 0, ms });
    case 'fail': return resultLine(n, total, 'fail', what.replace(/^test /, ''), { failures: r.failures ?? 0, ms });
    case 'skipped': return resultLine(n, total, 'skip', what);
  }
}

/** dbt's closing lines: what ran, in how long, and the tally. Pure. */
export function summaryLines(project: Project, results: readonly NodeResult[], elapsed: number): string[] {
  const counts = new Map<string, number>();
  for (const r of results) {
    const m = project.models.get(r.uniqueId);
    const kind = m ? `${m.config.materialized} model` : 'data test';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const what = [...counts.entries()].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ') || 'nothing';
  const mins = Math.floor(elapsed / 60);
  const tally = { PASS: 0, WARN: 0, ERROR: 0, SKIP: 0 };
  for (const r of results) {
    if (r.status === 'success' || r.status === 'pass') tally.PASS++;
    else if (r.status === 'warn') tally.WARN++;
    else if (r.status === 'skipped') tally.SKIP++;
    else tally.ERROR++;
  }
  const head = tally.ERROR > 0 || tally.WARN > 0 ? `Completed with ${tally.ERROR} error${tally.ERROR === 1 ? '' : 's'} and ${tally.WARN} warning${tally.WARN === 1 ? '' : 's'}:` : 'Completed successfully';
  return [
    '',
    `Finished running ${what} in 0 hours ${mins} minutes and ${(elapsed - mins * 60).toFixed(2)} seconds (${seconds(elapsed * 1000)}).`,
    '',
    head,
    ...results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'warn').map((r) => `  ${r.status.toUpperCase()} in ${r.uniqueId}: ${r.message.split('\n')[0] ?? ''}`),
    '',
    `Done. PASS=${tally.PASS} WARN=${tally.WARN} ERROR=${tally.ERROR} SKIP=${tally.SKIP} TOTAL=${results.length}`,
  ];
}

