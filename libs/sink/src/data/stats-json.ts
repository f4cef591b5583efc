// add.stats as JSON text: what Delta readers (Spark, delta-rs, DuckDB) parse.
import type { DeltaStats, NullCountObject, StatScalar, StatsObject } from './stats.js';

/** `add.stats` JSON: bigints as exact JSON numbers, non-finite numbers left out. */
export function statsJson(stats: DeltaStats): string {
  const parts = [`"numRecords":${stats.numRecords}`];
  if (stats.tightBounds !== undefined) parts.push(`"tightBounds":${stats.tightBounds}`);
  parts.push(`"minValues":${objectJson(stats.minValues)}`);
  parts.push(`"maxValues":${objectJson(stats.maxValues)}`);
  parts.push(`"nullCount":${objectJson(stats.nullCount)}`);
  return `{${parts.join(',')}}`;
}

function objectJson(o: StatsObject | NullCountObject): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(o)) {
    const value = valueJson(v);
    if (value !== undefined) parts.push(`${JSON.stringify(k)}:${value}`);
  }
  return `{${parts.join(',')}}`;
}

function valueJson(v: StatScalar | StatsObject | NullCountObject): string | undefined {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : undefined;
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  return objectJson(v);
}

/**
 * Parses `add.stats`. Tolerant: undefined when absent, not JSON or without
 * numRecords; malformed sections become empty objects. Integers beyond 2^53
 * come back rounded (JSON.parse); skipping treats bounds as approximate anyway.
 */
export function parseStats(json: string | null | undefined): DeltaStats | undefined {
  if (!json) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isPlainObject(raw)) return undefined;
  const numRecords = Number(raw['numRecords']);
  if (!Number.isFinite(numRecords)) return undefined;
  const stats: DeltaStats = {
    numRecords,
    minValues: cleanStats(raw['minValues']),
    maxValues: cleanStats(raw['maxValues']),
    nullCount: cleanNulls(raw['nullCount']),
    ...(typeof raw['tightBounds'] === 'boolean' ? { tightBounds: raw['tightBounds'] } : {}),
  };
  return stats;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cleanStats(v: unknown): StatsObject {
  const out: StatsObject = {};
  if (!isPlainObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') out[k] = x;
    else if (isPlainObject(x)) out[k] = cleanStats(x);
  }
  return out;
}

function cleanNulls(v: unknown): NullCountObject {
  const out: NullCountObject = {};
  if (!isPlainObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'number') out[k] = x;
    else if (isPlainObject(x)) out[k] = cleanNulls(x);
  }
  return out;
}
