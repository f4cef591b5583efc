/**
 * `nx run quality:bench`: the default F1 silver suite on 1M silver-shaped rows
 * (one table of 1M, and 100 batches of 10k), against two baselines run in
 * the same process on the same rows:
 * - zod: per-row `F1_EVENT_SCHEMAS[type].safeParse(row)` with libs/schema's
 *   schemas, what a TypeScript user would write (row objects are built
 *   untimed, so the figure is zod's parse alone — generous to zod; zod checks
 *   fewer things: no uniqueness, order, freshness or plausibility);
 * - DuckDB: the same row predicates as one SQL query (generated from the
 *   suite) over the same rows, from its own in-memory table and from
 *   Parquet; the query alone is timed, 1 thread and default threads.
 * Prints a markdown table with the goals PASS/MISS. Figures vary ±20%: best of 3.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import { F1_COMMON_FIELDS, F1_EVENT_SCHEMAS, F1_PAYLOAD_FIELDS, TABLES } from '@lakestream/schema';
import { f1SilverSuite, ROW_EXPECTATIONS, validate, type Expectation, type Suite, type ValidationResult } from '../src/index.js';
import { silverRows, type BenchRows } from './silver-rows.js';

const N = Number(process.env['QUALITY_BENCH_ROWS'] ?? 1_000_000);
const BATCH = 10_000;
const REPEAT = 3;

function best(fn: () => void, repeat = REPEAT): number {
  let min = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

async function bestAsync(fn: () => Promise<unknown>, repeat = REPEAT): Promise<number> {
  let min = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min / 1000;
}

const isRow = (e: Expectation): boolean => (ROW_EXPECTATIONS as readonly string[]).includes(e.type);
const evaluations = (r: ValidationResult): number => r.results.filter((x) => (ROW_EXPECTATIONS as readonly string[]).includes(x.type)).reduce((s, x) => s + x.evaluated + (x.type === 'expect_column_values_to_not_be_null' ? 0 : x.missing), 0);

function ours(rows: BenchRows, suite: Suite): { one: number; batched: number; evals: number; unexpected: number } {
  const options = { now: rows.nowMs, resultFormat: 'BASIC' as const };
  validate(rows.table.slice(0, BATCH), suite, options); // warm-up
  let last: ValidationResult | undefined;
  const one = best(() => void (last = validate(rows.table, suite, options)));
  const result = last as ValidationResult;
  if (!result.success) throw new Error(`bench rows fail the suite: ${result.results.filter((r) => !r.success).map((r) => `${r.name}: ${r.unexpected} ${r.error ?? ''}`).join('; ')}`);
  const slices: arrow.Table[] = [];
  for (let i = 0; i < N; i += BATCH) slices.push(rows.table.slice(i, Math.min(N, i + BATCH)));
  const batched = best(() => {
    for (const s of slices) validate(s, suite, options);
  });
  return { one, batched, evals: evaluations(result), unexpected: result.results.reduce((s, r) => s + r.unexpected, 0) };
}

function zodBaseline(rows: BenchRows): number {
  const common = Object.keys(F1_COMMON_FIELDS);
  const CHUNK = 100_000;
  let seconds = 0;
  let failures = 0;
  for (let start = 0; start < N; start += CHUNK) {
    const end = Math.min(N, start + CHUNK);
    const objects: Record<string, unknown>[] = [];
    for (let i = start; i < end; i++) {
      const type = rows.types[i] as keyof typeof F1_PAYLOAD_FIELDS;
      const o: Record<string, unknown> = { type };
      for (const c of common) o[c] = rows.values[c]?.[i];
      for (const c of Object.keys(F1_PAYLOAD_FIELDS[type])) o[c] = rows.values[c]?.[i];
      objects.push(o);
    }
    const t0 = performance.now();
    for (const o of objects) if (!F1_EVENT_SCHEMAS[o['type'] as keyof typeof F1_EVENT_SCHEMAS].safeParse(o).success) failures++;
    seconds += (performance.now() - t0) / 1000;
  }
  if (failures > 0) throw new Error(`zod refused ${failures} bench rows`);
  return seconds;
}

const SQL_TYPE = (t: arrow.DataType): string =>
  arrow.DataType.isUtf8(t) ? 'VARCHAR' : arrow.DataType.isBool(t) ? 'BOOLEAN' : arrow.DataType.isFloat(t) ? 'DOUBLE' : arrow.DataType.isInt(t) ? ({ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as Record<number, string>)[t.bitWidth] ?? 'BIGINT' : 'BIGINT';
const q = (c: string): string => `"${c}"`;
const lit = (v: string | number | boolean): string => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));

/** One SQL query counting the failing rows of each row expectation of the suite (timestamps as int64 µs, as their Arrow storage). */
export function suiteSql(suite: Suite, nowMs: number): { sql: string; count: number } {
  const parts: string[] = [];
  for (const e of suite.expectations.filter(isRow)) {
    const filter = (cond: string): void => void parts.push(`count(*) FILTER (WHERE ${cond})`);
    switch (e.type) {
      case 'expect_column_values_to_not_be_null': filter(`${q(e.column)} IS NULL`); break;
      case 'expect_column_values_to_be_between': {
        const c: string[] = [];
        if (e.min_value !== undefined && e.min_value !== null) c.push(`${q(e.column)} ${e.strict_min ? '<=' : '<'} ${e.min_value}`);
        if (e.max_value !== undefined && e.max_value !== null) c.push(`${q(e.column)} ${e.strict_max ? '>=' : '>'} ${e.max_value}`);
        filter(c.join(' OR '));
        break;
      }
      case 'expect_column_values_to_be_in_set': filter(`${q(e.column)} NOT IN (${e.value_set.map(lit).join(', ')})`); break;
      case 'expect_column_value_lengths_to_be_between': filter(`length(${q(e.column)}) < ${e.min_value ?? 0} OR length(${q(e.column)}) > ${e.max_value ?? 2 ** 31}`); break;
      case 'expect_column_values_to_be_fresh': {
        const nowNs = BigInt(nowMs) * 1_000_000n;
        filter(`${q(e.column)} < ${nowNs - BigInt(e.max_age_ms ?? 0) * 1_000_000n} OR ${q(e.column)} > ${nowNs + BigInt(e.max_future_ms ?? 0) * 1_000_000n}`);
        break;
      }
      case 'expect_column_pair_values_A_to_be_greater_than_B': filter(`${q(e.column_A)} ${e.or_equal ? '<' : '<='} ${q(e.column_B)}`); break;
      case 'expect_column_values_to_be_increasing': {
        const by = (e.group_by ?? []).map(q).join(', ');
        parts.push(`(SELECT count(*) FROM (SELECT ${q(e.column)} ${e.strictly ? '<=' : '<'} lag(${q(e.column)}) OVER (${by ? `PARTITION BY ${by} ` : ''}ORDER BY rn) AS bad FROM t) WHERE bad)`);
        break;
      }
      case 'expect_compound_columns_to_be_unique':
        parts.push(`(SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM t GROUP BY ${e.column_list.map(q).join(', ')} HAVING count(*) > 1))`);
        break;
      case 'expect_column_values_to_be_unique':
        parts.push(`(SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM t WHERE ${q(e.column)} IS NOT NULL GROUP BY ${q(e.column)} HAVING count(*) > 1))`);
        break;
      default: throw new Error(`bench: no SQL for ${e.type}`);
    }
  }
  return { sql: `SELECT ${parts.map((p, i) => `${p} AS e${i}`).join(',\n  ')}\nFROM t`, count: parts.length };
}

async function duckdbBaseline(rows: BenchRows, suite: Suite): Promise<{ native1: number; nativeN: number; parquet1: number; threads: number; failing: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'quality-bench-'));
  try {
    const fields = TABLES.f1Silver.schema.fields;
    const lines: string[] = new Array<string>(N);
    for (let i = 0; i < N; i++) {
      let line = String(i);
      for (const f of fields) {
        const v = rows.values[f.name]?.[i];
        line += `,${v === null || v === undefined ? '' : String(v)}`;
      }
      lines[i] = line;
    }
    const csv = join(dir, 'rows.csv');
    writeFileSync(csv, lines.join('\n'));
    lines.length = 0;
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run(`CREATE TABLE t (rn BIGINT, ${fields.map((f) => `${q(f.name)} ${SQL_TYPE(f.type)}`).join(', ')})`);
    await db.run(`COPY t FROM '${csv}' (FORMAT csv, HEADER false, NULLSTR '')`);
    const parquet = join(dir, 'rows.parquet');
    await db.run(`COPY t TO '${parquet}' (FORMAT parquet)`);
    const threads = Number((await db.runAndReadAll(`SELECT current_setting('threads') AS n`)).getRowObjectsJson()[0]?.['n'] ?? 0);
    const { sql } = suiteSql(suite, rows.nowMs);
    const counts = (await db.runAndReadAll(sql)).getRows()[0] ?? [];
    const failing = counts.reduce<number>((s, v) => s + Number(v), 0);
    const nativeN = await bestAsync(() => db.runAndReadAll(sql));
    await db.run('SET threads = 1');
    const native1 = await bestAsync(() => db.runAndReadAll(sql));
    await db.run(`CREATE VIEW p AS SELECT * FROM read_parquet('${parquet}')`);
    const parquet1 = await bestAsync(() => db.runAndReadAll(sql.replace(/\bFROM t\b/g, 'FROM p')));
    db.closeSync();
    return { native1, nativeN, parquet1, threads, failing };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const suite = f1SilverSuite();
  const rowExpectations = suite.expectations.filter(isRow).length;
  console.log(`quality bench: ${N.toLocaleString('en')} silver rows, suite ${suite.name}: ${suite.expectations.length} expectations (${rowExpectations} row-level)`);
  const rows = silverRows(N);
  const o = ours(rows, suite);
  const zod = zodBaseline(rows);
  const duck = await duckdbBaseline(rows, suite);
  if (duck.failing !== o.unexpected) console.log(`note: DuckDB counts ${duck.failing} failing rows, validate ${o.unexpected}`);

  const rate = (s: number): string => `${((N / s) / 1e6).toFixed(2)} M`;
  const table = [
    ['run', 'seconds', 'rows/s', 'expectation-evaluations/s'],
    [`validate, one table of ${N.toLocaleString('en')}`, o.one.toFixed(3), rate(o.one), `${(o.evals / o.one / 1e6).toFixed(1)} M`],
    [`validate, ${N / BATCH} batches of 10k`, o.batched.toFixed(3), rate(o.batched), `${(o.evals / o.batched / 1e6).toFixed(1)} M`],
    ['zod safeParse per row (libs/schema)', zod.toFixed(3), rate(zod), '—'],
    ['DuckDB SQL, in-memory table, 1 thread', duck.native1.toFixed(3), rate(duck.native1), '—'],
    [`DuckDB SQL, in-memory table, ${duck.threads} threads`, duck.nativeN.toFixed(3), rate(duck.nativeN), '—'],
    ['DuckDB SQL, read_parquet, 1 thread', duck.parquet1.toFixed(3), rate(duck.parquet1), '—'],
  ];
  const worst = Math.max(o.one, o.batched);
  const goals = [
    ['goal', 'measured', 'verdict'],
    ['≥ 5M rows/s, full F1 suite, one core (slower of the two runs)', rate(worst), N / worst >= 5e6 ? 'PASS' : 'MISS'],
    ['≥ 20× the zod baseline', `${(zod / worst).toFixed(1)}×`, zod / worst >= 20 ? 'PASS' : 'MISS'],
    ['within 2× of DuckDB (1 thread, in-memory table)', `${(worst / duck.native1).toFixed(2)}× DuckDB's time`, worst <= 2 * duck.native1 ? 'PASS' : 'MISS'],
  ];
  const md = (t: string[][]): string => t.map((r, i) => `| ${r.join(' | ')} |${i === 0 ? `\n|${r.map(() => '---').join('|')}|` : ''}`).join('\n');
  console.log(`\n${md(table)}\n\n${md(goals)}\n`);
  console.log(`Best of ${REPEAT}. evaluations = (row, expectation) pairs of the ${rowExpectations} row expectations, nulls included. zod times parse only; DuckDB times the query only.`);
}

await main();
