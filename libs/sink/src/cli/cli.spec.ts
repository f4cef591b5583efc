import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Binary, Bool, DateDay, Field, Float32, Int64, Schema, Table, TimestampMicrosecond, TimeUnit, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaTable } from '../table/delta-table.js';
import { LocalFileStore } from '../storage/local-file-store.js';
import { csvQuote } from './cat.js';
import type { CliIo } from './io.js';
import { runDelta } from './run.js';
import { decimalText, timestampText } from './values.js';

const DAT = join(import.meta.dirname, '..', '..', 'test', 'dat');
const dat = (name: string): string => join(DAT, name, 'delta');
const MAIN = join(import.meta.dirname, 'main.ts');

function capture(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function delta(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, cwd: process.cwd() };
  const code = await runDelta(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

/** The real bin, through tsx: what a user runs. */
function spawnDelta(...argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@lakestream/source', '--import', 'tsx', MAIN, ...argv], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const jsonl = (text: string): Record<string, unknown>[] => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

let work: string;
let ours: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'delta-cli-'));
  ours = join(work, 'ours');
  const schema = new Schema([
    new Field('session', new Utf8(), true),
    new Field('car', new Int64(), true),
    new Field('speed', new Float32(), true),
    new Field('pit', new Bool(), true),
    new Field('at', new TimestampMicrosecond('UTC'), true),
    new Field('day', new DateDay(), true),
    new Field('raw', new Binary(), true),
  ]);
  const rows = (start: number, n: number, session: string): Table => {
    const i = Array.from({ length: n }, (_, k) => start + k);
    return new Table({
      session: vectorFromArray(i.map(() => session), new Utf8()),
      car: vectorFromArray(i.map((k) => (k === 0 ? 2n ** 62n + 1n : BigInt(k))), new Int64()),
      speed: vectorFromArray(i.map((k) => (k % 2 ? null : 0.1 * k)), new Float32()),
      pit: vectorFromArray(i.map((k) => k % 3 === 0), new Bool()),
      at: vectorFromArray(i.map((k) => 1_767_225_600_000 + k * 1.5), new TimestampMicrosecond('UTC')),
      day: vectorFromArray(i.map(() => new Date('2026-03-08T00:00:00Z')), new DateDay()),
      raw: vectorFromArray(i.map((k) => (k === 1 ? new Uint8Array([0xff, 0x00, 0x2c]) : null)), new Binary()),
    });
  };
  const table = await DeltaTable.create(new LocalFileStore(ours), { schema, partitionColumns: ['session'], configuration: { 'delta.checkpointInterval': '100' } });
  await table.append(rows(0, 3, 'r1,"a"'), { txn: [{ appId: 'f1-telemetry-0', version: 7 }] });
  await table.append(rows(3, 2, 'r2'), { txn: [{ appId: 'f1-telemetry-1', version: 3 }] });
  await table.append(rows(5, 2, 'r2'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('delta (spawned through tsx, as a user runs it)', () => {
  it('inspects a Spark-written table with a checkpoint', () => {
    const r = spawnDelta('inspect', dat('with_checkpoint'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/version\s+3\s+\(from checkpoint 2\)/);
    expect(r.stdout).toMatch(/protocol\s+reader 1, writer 2/);
    expect(r.stdout).toMatch(/letter\s+string\s+yes/);
    expect(r.stdout).toMatch(/delta\.checkpointInterval\s+=\s+2/);
  });

  it('cats JSON lines and CSV with partition columns, and lists history', () => {
    const j = spawnDelta('cat', dat('basic_partitioned'), '--format', 'jsonl');
    expect(j.code).toBe(0);
    expect(jsonl(j.stdout)).toContainEqual({ letter: 'a', number: 1, a_float: 1.1 });
    const c = spawnDelta('cat', ours, '--format', 'csv', '--columns', 'session,car', '--limit', '2');
    expect(c.code).toBe(0);
    expect(c.stdout.split('\r\n').slice(0, 3)).toEqual(['session,car', '"r1,""a""",4611686018427387905', '"r1,""a""",1']);
    const h = spawnDelta('history', ours, '--limit', '2');
    expect(h.code).toBe(0);
    expect(h.stdout.split('\n')[1]).toMatch(/^3\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+WRITE\s+mode=Append/);
    expect(h.stdout).toMatch(/STREAMING UPDATE/);
  });

  it('fails with exit 1 naming the table when there is no Delta log', () => {
    const missing = join(work, 'nothing-here');
    const r = spawnDelta('inspect', missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`table ${missing}`);
    expect(r.stderr).toContain('[TABLE_NOT_FOUND]');
  });
});

describe('delta (in process)', () => {
  it('prints help and refuses bad usage with exit 2', async () => {
    expect(await delta('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Commands:') });
    expect(await delta()).toMatchObject({ code: 2 });
    for (const c of ['inspect', 'history', 'cat', 'optimize', 'vacuum', 'checkpoint']) {
      expect(await delta(c, '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining(`Usage: delta ${c} <table>`) });
    }
    expect(await delta('drop', ours)).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'drop'") });
    expect(await delta('cat')).toMatchObject({ code: 2, stderr: expect.stringContaining('missing <table>') });
    expect(await delta('cat', ours, '--limit', 'ten')).toMatchObject({ code: 2, stderr: expect.stringContaining("--limit: expected a non-negative integer (got 'ten')") });
    expect(await delta('cat', ours, '--version', '1', '--timestamp', '2026-01-01')).toMatchObject({ code: 2, stderr: expect.stringContaining('not both') });
    expect(await delta('cat', ours, '--format', 'xml')).toMatchObject({ code: 2, stderr: expect.stringContaining('--format') });
    expect(await delta('cat', ours, '--columns', 'car,nope')).toMatchObject({ code: 2, stderr: expect.stringContaining("no column 'nope'") });
    expect(await delta('optimize', ours, '--where', 'car=1')).toMatchObject({ code: 2, stderr: expect.stringContaining('not a partition column') });
    expect(await delta('inspect', ours, 'other')).toMatchObject({ code: 2, stderr: expect.stringContaining("unexpected argument 'other'") });
  });

  it('inspects our table: schema, partitioning, files, rows, txn app ids', async () => {
    const r = await delta('inspect', ours, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(s).toMatchObject({
      version: 3, partitionColumns: ['session'], files: 3, rows: 7,
      protocol: { minReaderVersion: 1, minWriterVersion: 2 },
      txns: [{ appId: 'f1-telemetry-0', version: 7 }, { appId: 'f1-telemetry-1', version: 3 }],
      configuration: { 'delta.checkpointInterval': '100' },
    });
    expect(s['schema']).toContainEqual({ name: 'at', type: 'timestamp', nullable: true });
    expect(s['bytes']).toBeGreaterThan(0);
    const text = await delta('inspect', ours);
    expect(text.stdout).toMatch(/session\s+string\s+yes\s+partition/);
    expect(text.stdout).toMatch(/f1-telemetry-0\s+7\s+20\d\d-/);
  });

  it('cats values as a reader sees them: ISO timestamps, dates, exact longs, base64, float32 shortest', async () => {
    const rows = jsonl((await delta('cat', ours)).stdout);
    expect(rows).toHaveLength(7);
    const first = rows.find((r) => r['session'] === 'r1,"a"' && r['pit'] === true && r['speed'] === 0);
    expect(first).toEqual({ session: 'r1,"a"', car: 4611686018427387904, speed: 0, pit: true, at: '2026-01-01T00:00:00.000Z', day: '2026-03-08', raw: null });
    // JSON.parse rounds beyond 2^53; the text keeps every digit.
    expect((await delta('cat', ours, '--limit', '1', '--columns', 'car')).stdout).toBe('{"car":4611686018427387905}\n');
    const r1 = rows.find((r) => r['raw'] !== null);
    expect(r1).toMatchObject({ raw: '/wAs', at: '2026-01-01T00:00:00.001500Z', speed: null });
    expect(rows.find((r) => r['car'] === 2)).toMatchObject({ speed: 0.2 });
  });

  it('time travels by version and timestamp', async () => {
    expect(jsonl((await delta('cat', ours, '--version', '1')).stdout)).toHaveLength(3);
    expect(jsonl((await delta('cat', ours, '--timestamp', new Date(Date.now() + 60_000).toISOString())).stdout)).toHaveLength(7);
    const early = await delta('cat', ours, '--timestamp', '2000-01-01');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`table ${ours}`);
    expect((await delta('cat', ours, '--version', '9')).stderr).toMatch(/table .*ours, version 9: .*\[VERSION_NOT_FOUND\]/);
  });

  it('reads DAT tables written by Spark: primitive types, nested types, escaped partitions, CSV quoting', async () => {
    const prim = jsonl((await delta('cat', dat('all_primitive_types'), '--limit', '2')).stdout);
    expect(prim[1]).toEqual({ utf8: '1', int64: 1, int32: 1, int16: 1, int8: 1, float32: 1, float64: 1, bool: false, binary: 'AA==', decimal: 11, date32: '1970-01-02', timestamp: '1970-01-01T01:00:00.000Z' });
    expect((await delta('cat', dat('all_primitive_types'), '--limit', '1', '--columns', 'decimal')).stdout).toBe('{"decimal":10.000}\n');
    const nested = jsonl((await delta('cat', dat('nested_types'))).stdout);
    expect(nested).toContainEqual({ pk: 2, struct: { float64: 2, bool: true }, array: [0, 1, 2], map: { '0': 0, '1': 1 } });
    const csv = (await delta('cat', dat('multi_partitioned'), '--format', 'csv')).stdout;
    expect(csv.startsWith('letter,date,data,number\r\n')).toBe(true);
    expect(csv).toContain('/%20%f,1970-01-01,aGVsbG8=,6\r\n');
    const hist = await delta('history', dat('with_schema_change'), '--json');
    expect(jsonl(hist.stdout)[0]).toMatchObject({ version: 1, commitInfo: { operation: 'WRITE' } });
  });

  it('names the table, version and file when a data file is damaged', async () => {
    const copy = join(work, 'damaged');
    await cp(dat('basic_append'), copy, { recursive: true });
    const file = (await readdir(copy)).find((f) => f.endsWith('.parquet'));
    if (!file) throw new Error('fixture has no data file');
    await truncate(join(copy, file), 10);
    const r = await delta('cat', copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`table ${copy}, version 1, file ${file}`);
  });

  it('reports a corrupt schemaString as a table error (exit 1, no stack trace)', async () => {
    const copy = join(work, 'bad-schema');
    await cp(dat('basic_append'), copy, { recursive: true });
    const log = join(copy, '_delta_log');
    const first = join(log, (await readdir(log)).filter((f) => f.endsWith('.json')).sort()[0] ?? '');
    const lines = (await readFile(first, 'utf8')).split('\n').map((line) => {
      if (!line.includes('"metaData"')) return line;
      const action = JSON.parse(line) as { metaData: { schemaString: string } };
      action.metaData.schemaString = '{"type":"struct","fields":[';
      return JSON.stringify(action);
    });
    await writeFile(first, lines.join('\n'));
    const r = await delta('inspect', copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`delta inspect: table ${copy}`);
    expect(r.stderr).toContain('schemaString is not valid JSON');
    expect(r.stderr).toContain('[INVALID_SCHEMA]');
    expect(r.stderr).not.toContain('unexpected error');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('writes a checkpoint and optimizes a partitioned table', async () => {
    const copy = join(work, 'maint');
    await cp(ours, copy, { recursive: true });
    const cpRun = await delta('checkpoint', copy);
    expect(cpRun).toMatchObject({ code: 0, stdout: expect.stringContaining('checkpoint at version 3') });
    expect((await delta('inspect', copy)).stdout).toMatch(/version\s+3\s+\(from checkpoint 3\)/);
    const opt = await delta('optimize', copy, '--where', 'session=r2', '--target-size', '1M');
    expect(opt.code).toBe(0);
    expect(opt.stdout).toMatch(/files\s+2 → 1/);
    expect(jsonl((await delta('cat', copy)).stdout)).toHaveLength(7);
    expect((await delta('history', copy, '--limit', '1')).stdout).toMatch(/OPTIMIZE/);
    expect(await delta('vacuum', copy, '--retention-hours', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--force') });
    const dry = await delta('vacuum', copy, '--retention-hours', '0', '--force', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining('would delete 2 files') });
    expect(await delta('vacuum', copy, '--retention-hours', '0', '--force')).toMatchObject({ code: 0, stdout: expect.stringContaining('deleted 2 files') });
    expect(jsonl((await delta('cat', copy)).stdout)).toHaveLength(7);
  });
});

describe('value rendering', () => {
  it('quotes CSV per RFC 4180 and keeps the empty string apart from null', () => {
    expect(csvQuote('plain')).toBe('plain');
    expect(csvQuote('a,b')).toBe('"a,b"');
    expect(csvQuote('say "hi"')).toBe('"say ""hi"""');
    expect(csvQuote('two\nlines')).toBe('"two\nlines"');
    expect(csvQuote('')).toBe('""');
  });
  it('renders decimals and timestamps exactly', () => {
    expect(decimalText('-5', 3)).toBe('-0.005');
    expect(decimalText('12345', 2)).toBe('123.45');
    expect(timestampText(1_767_225_600_000_250n, TimeUnit.MICROSECOND, true)).toBe('2026-01-01T00:00:00.000250Z');
    expect(timestampText(-1000n, TimeUnit.MICROSECOND, true)).toBe('1969-12-31T23:59:59.999Z');
    expect(timestampText(0n, TimeUnit.MICROSECOND, false)).toBe('1970-01-01T00:00:00.000');
  });
});
