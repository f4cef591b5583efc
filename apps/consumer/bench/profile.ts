/**
 * Where the consumer's time goes: `--cpu-prof` makes the bench start the
 * consumer under `node --cpu-prof --cpu-prof-dir <dir>` (one .cpuprofile per
 * thread, the sink's encoder workers included); this folds each profile into
 * self time per function (name, file:line), top N, as markdown lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}
interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface SelfTime {
  readonly frame: string;
  readonly ms: number;
  readonly share: number;
}

/** Self time per function of one profile, largest first (ms from hit counts × the mean sampling interval). */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const hits = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  if (hits === 0) return [];
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / hits;
  const byFrame = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const where = f.url === '' ? '' : ` ${basename(f.url)}:${f.lineNumber + 1}`;
    const key = `${f.functionName || '(anonymous)'}${where}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + (n.hitCount ?? 0));
  }
  return [...byFrame.entries()].map(([frame, h]) => ({ frame, ms: h * msPerHit, share: h / hits })).sort((a, b) => b.ms - a.ms);
}

/** The package a frame's script belongs to: an npm package, a workspace lib/app, node: internals, or (native/vm). */
export function packageOf(url: string): string {
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (npm) return npm[1] as string;
  const ws = /\/(libs|apps)\/([^/]+)\//.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}`;
  if (url.startsWith('node:') || (url !== '' && !url.includes('/'))) return 'node';
  return url === '' ? '(native/vm)' : 'other';
}

/** Self time per package, largest first (idle excluded). */
export function packageTimes(profile: CpuProfile): { readonly pkg: string; readonly ms: number }[] {
  const hits = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  if (hits === 0) return [];
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / hits;
  const byPkg = new Map<string, number>();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName === '(idle)') continue;
    const pkg = n.callFrame.url === '' ? n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native/vm)' : packageOf(n.callFrame.url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + (n.hitCount ?? 0) * msPerHit);
  }
  return [...byPkg.entries()].map(([pkg, ms]) => ({ pkg, ms })).sort((a, b) => b.ms - a.ms);
}

/** Markdown: per profile file (thread), its wall span and the top `top` self-time frames. */
export function summarizeProfiles(dir: string, top = 15): string {
  const out: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const span = (profile.endTime - profile.startTime) / 1e6;
    const rows = selfTimes(profile);
    const busy = rows.filter((r) => !/^\((idle|program|garbage collector)\)/.test(r.frame)).reduce((n, r) => n + r.ms, 0);
    const gc = rows.find((r) => r.frame.startsWith('(garbage collector)'))?.ms ?? 0;
    out.push(`- ${file}: ${span.toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s in JS/native, GC ${(gc / 1000).toFixed(1)} s; top self time:`);
    out.push(`  - by package: ${packageTimes(profile).slice(0, 8).map((p) => `${p.pkg} ${(p.ms / 1000).toFixed(2)} s`).join(', ')}`);
    for (const r of rows.slice(0, top)) out.push(`  - ${(r.ms / 1000).toFixed(2)} s (${(r.share * 100).toFixed(1)}%) ${r.frame}`);
  }
  return out.join('\n');
}
