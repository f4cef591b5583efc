/**
 * Summary of a V8 .cpuprofile (node --cpu-prof): where the broker spent its
 * own time, by function and by source file, so the report can name hot spots.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface HotSpot {
  readonly name: string;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly seconds: number;
  /** Share of samples not idle (program, GC, JS, native). */
  readonly busyPercent: number;
  readonly functions: readonly HotSpot[];
  readonly files: readonly HotSpot[];
}

const IDLE = new Set(['(idle)', '(program)']);

function shortUrl(url: string): string {
  if (!url) return '(native)';
  const parts = url.replace(/^file:\/\//, '').split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) return parts.slice(nm + 1, nm + 3).join('/');
  const at = Math.max(parts.lastIndexOf('libs'), parts.lastIndexOf('apps'));
  return at >= 0 ? parts.slice(at + 1).join('/') : parts.slice(-2).join('/');
}

export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  if (profile.samples) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const h = hits.get(node.id) ?? 0;
    if (h === 0) continue;
    total += h;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += h;
      continue;
    }
    const file = shortUrl(url);
    const name = IDLE.has(functionName) || functionName === '(garbage collector)' ? functionName : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + h);
    byFile.set(file, (byFile.get(file) ?? 0) + h);
  }
  const busy = Math.max(total - idle, 1);
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, h]) => ({ name, percent: (100 * h) / busy }));
  return {
    seconds: (profile.endTime - profile.startTime) / 1e6,
    busyPercent: total === 0 ? 0 : (100 * (total - idle)) / total,
    functions: rank(byFunction),
    files: rank(byFile),
  };
}
