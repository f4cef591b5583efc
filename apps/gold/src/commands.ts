/**
 * The commands: load the project, build the DAG, select nodes, then run,
 * test, build, check freshness, compile, list, generate docs or write the
 * report through @lakestream/models; artifacts land in the target path.
 * Each resolves to dbt's exit code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  buildGraph, buildManifest, buildRunResults, buildSourceResults, compileProject, generateDocs, loadProject, runProject,
  runSourceFreshness, selectNodes, writeArtifact, type Project,
} from '@lakestream/models';
import type { GoldConfig } from './cli.js';
import { writeGoldReport } from './report/index.js';

export interface GoldIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export async function runCommand(config: GoldConfig, io: GoldIo): Promise<number> {
  const started = new Date();
  if (config.command === 'report') {
    const r = await writeGoldReport({ tablesRoot: resolve(config.tablesDir), out: config.reportOut });
    const charts = Object.entries(r.charts);
    const empty = charts.filter(([, points]) => points === 0).map(([name]) => name);
    io.out(`report: ${r.path} (${r.bytes} bytes, ${charts.length} charts${empty.length === 0 ? ', every one with data' : `; without data yet: ${empty.join(', ')}`})`);
    return 0;
  }
  const project = await loadProject(config.projectDir);
  const graph = buildGraph(project);
  const any = config.select.length > 0 || config.exclude.length > 0;
  const selected = any ? selectNodes(project, graph, { select: config.select, exclude: config.exclude }) : undefined;
  const tablesDir = resolve(config.tablesDir);
  const target = config.targetPath;
  const log = (line: string): void => io.out(`${clock()}  ${line}`);
  io.out(`${clock()}  Running with lakestream-gold: project ${project.name} (${project.models.size} models, ${project.tests.size} tests, ${project.sources.size} sources), Delta root ${tablesDir}`);
  switch (config.command) {
    case 'run':
    case 'test':
    case 'build': {
      const command = config.command;
      const outcome = await runProject(project, {
        command, tablesDir, threads: config.threads, fullRefresh: config.fullRefresh, log,
        ...(selected === undefined ? {} : { selected: selected.filter((id) => ofKind(project, id, command)) }),
      });
      await writeArtifact(target, 'run_results.json', buildRunResults(project, outcome, { select: config.select, exclude: config.exclude, options: { fullRefresh: config.fullRefresh, threads: config.threads } }));
      await writeArtifact(target, 'manifest.json', buildManifest(project, { now: started }));
      return outcome.exitCode;
    }
    case 'source freshness': {
      const sources = selected?.filter((id) => project.sources.has(id));
      const outcome = await runSourceFreshness(project, { tablesDir, log, ...(sources === undefined ? {} : { selected: sources }) });
      await writeArtifact(target, 'sources.json', buildSourceResults(project, outcome));
      return outcome.exitCode;
    }
    case 'compile': {
      const compiled = compileProject(project);
      const dir = join(target, 'compiled', project.name);
      await mkdir(dir, { recursive: true });
      let n = 0;
      for (const [id, sql] of compiled) {
        const model = project.models.get(id);
        if (model === undefined || (selected !== undefined && !selected.includes(id))) continue;
        await writeFile(join(dir, `${model.name}.sql`), `${sql}\n`);
        n++;
      }
      await writeArtifact(target, 'manifest.json', buildManifest(project, { compiled, now: started }));
      io.out(`${clock()}  compiled ${n} model(s) into ${dir}`);
      return 0;
    }
    case 'ls': {
      for (const id of selected ?? graph.order()) io.out(id);
      return 0;
    }
    case 'docs generate': {
      const r = await generateDocs(project, target);
      io.out(`${clock()}  wrote ${r.manifest} and the lineage page ${r.index}`);
      return 0;
    }
  }
}

/** `run` builds models only and `test` runs tests only, as dbt; `build` takes both. */
function ofKind(project: Project, id: string, command: 'run' | 'test' | 'build'): boolean {
  if (command === 'build') return project.models.has(id) || project.tests.has(id);
  return command === 'run' ? project.models.has(id) : project.tests.has(id);
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}
