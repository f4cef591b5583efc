import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { telemetryRows } from '../../test/support/tables.js';
import { arrowToDeltaSchema } from '../schema/delta-schema.js';
import { packColumns } from './column-pack.js';
import { DeltaDataError, ParquetError } from './errors.js';
import { EncoderPool } from './encoder-pool.js';
import { encodeDataFiles, type EncodeDataFilesOptions } from './write.js';

const struct = new arrow.Struct([new arrow.Field('x', new arrow.Float64(), true), new arrow.Field('tag', new arrow.Utf8(), true)]);
function wideRows(start: number, count: number): arrow.Table {
  const base = telemetryRows(start, count, ['s1', 's2', null, 's/4']);
  const idx = Array.from({ length: count }, (_, i) => start + i);
  return base.assign(new arrow.Table({
    nested: arrow.vectorFromArray(idx.map((i) => (i % 5 === 0 ? null : { x: i / 3, tag: i % 2 ? `t${i % 9}` : null })), struct),
    day: arrow.vectorFromArray(idx.map((i) => new Date(Date.UTC(2026, 2, 6 + (i % 3)))), new arrow.DateDay()),
  }));
}

describe('encoder threads', () => {
  const pool = new EncoderPool(1);
  afterAll(() => pool.close());

  it('write the same files as the calling thread, byte for byte', async () => {
    // A slice of a bigger batch: offsets in every buffer, several partitions, files split by size.
    const table = wideRows(0, 9_000).slice(1_234, 8_000);
    const options = (threads: number): EncodeDataFilesOptions => {
      let id = 0;
      return {
        partitionColumns: ['session', 'day'], schema: arrowToDeltaSchema(table.schema), targetFileSize: 15_000, rowGroupSize: 120,
        encoderThreads: threads, fileId: () => `f${id++}`, now: () => 42,
      };
    };
    const inline = await encodeDataFiles(table, options(0));
    const threaded = await encodeDataFiles(table, options(2));
    expect(inline.length).toBeGreaterThan(12); // 4 sessions × 3 days, some split by size
    expect(threaded.map((f) => f.relativePath)).toEqual(inline.map((f) => f.relativePath));
    threaded.forEach((f, i) => {
      const g = inline[i] as (typeof inline)[number];
      expect(f.statsJson).toBe(g.statsJson);
      expect(f.numRecords).toBe(g.numRecords);
      expect(Buffer.from(f.bytes).equals(Buffer.from(g.bytes))).toBe(true);
    });
    expect(threaded.reduce((n, f) => n + f.numRecords, 0)).toBe(table.numRows);
  });

  it('send each file to onFile as soon as it is encoded', async () => {
    const seen: string[] = [];
    const files = await encodeDataFiles(wideRows(0, 3_000), {
      partitionColumns: ['session'], schema: arrowToDeltaSchema(wideRows(0, 1).schema), encoderThreads: 2, onFile: (f) => seen.push(f.relativePath),
    });
    expect(seen.sort()).toEqual(files.map((f) => f.relativePath).sort());
  });

  it('report a failure inside a thread as a typed error', async () => {
    const packed = packColumns([arrow.vectorFromArray([1, 2, 3], new arrow.Int32()).data[0] as arrow.Data]);
    const failure = pool.encode('{"not":"a schema"}', packed as NonNullable<typeof packed>, [{ rows: { start: 0, end: 3 }, file: 'x.parquet' }], 10);
    await expect(failure).rejects.toBeInstanceOf(DeltaDataError);
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_SCHEMA' });
  });

  it('fail the writes in flight when a thread dies, then start a new one', async () => {
    const own = new EncoderPool(1);
    const table = wideRows(0, 20_000);
    const options = { partitionColumns: [], schema: arrowToDeltaSchema(table.schema) };
    const packed = packColumns(table.schema.fields.map((_, i) => table.getChildAt(i)?.data[0] as arrow.Data));
    const files = Array.from({ length: 40 }, () => ({ rows: { start: 0, end: 20_000 }, file: 'big.parquet' }));
    const running = own.encode('{"type":"struct","fields":' + JSON.stringify(options.schema.fields) + '}', packed as NonNullable<typeof packed>, files, 1_000);
    setTimeout(() => void own.close(), 50);
    await expect(running).rejects.toMatchObject({ code: 'PARQUET_WRITE_FAILED', message: expect.stringMatching(/encoder thread exited/), context: { file: 'big.parquet' } });
    const again = await own.encode('{"type":"struct","fields":' + JSON.stringify(options.schema.fields) + '}', packed as NonNullable<typeof packed>, files.slice(0, 1), 1_000);
    expect(again[0]?.numRecords).toBe(20_000);
    await own.close();
  });

  it('never keep the process alive once the writes are done', () => {
    const script = [
      `import { encodeDataFiles } from ${JSON.stringify(join(import.meta.dirname, 'write.ts'))};`,
      `import { arrowToDeltaSchema } from ${JSON.stringify(join(import.meta.dirname, '..', 'schema', 'delta-schema.ts'))};`,
      `import { telemetryRows } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'test', 'support', 'tables.ts'))};`,
      `const t = telemetryRows(0, 5000);`,
      `const files = await encodeDataFiles(t, { partitionColumns: ['session'], schema: arrowToDeltaSchema(t.schema), encoderThreads: 2 });`,
      `process.stdout.write(String(files.length));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull(); // not killed by the timeout: the process ended by itself
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('2');
  });

  it('warm up: every thread started and loaded before the first write, and still never keeping the process alive', () => {
    const script = [
      `import { warmEncoderThreads, encodeDataFiles } from ${JSON.stringify(join(import.meta.dirname, 'write.ts'))};`,
      `import { sharedEncoderPool } from ${JSON.stringify(join(import.meta.dirname, 'encoder-pool.ts'))};`,
      `import { arrowToDeltaSchema } from ${JSON.stringify(join(import.meta.dirname, '..', 'schema', 'delta-schema.ts'))};`,
      `import { telemetryRows } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'test', 'support', 'tables.ts'))};`,
      `let t0 = performance.now(); await warmEncoderThreads(2); const warmMs = performance.now() - t0;`,
      `const t = telemetryRows(0, 5000);`,
      `t0 = performance.now(); const files = await encodeDataFiles(t, { partitionColumns: ['session'], schema: arrowToDeltaSchema(t.schema), encoderThreads: 2 }); const writeMs = performance.now() - t0;`,
      `await sharedEncoderPool(2).warm();`,
      `process.stdout.write(JSON.stringify({ files: files.length, warmMs, writeMs }));`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    const out = JSON.parse(child.stdout) as { files: number; warmMs: number; writeMs: number };
    expect(out.files).toBe(2);
    expect(out.warmMs).toBeGreaterThan(0);
  });

  it('warm up rejects with a typed error when the thread dies before answering', async () => {
    const own = new EncoderPool(1);
    const warming = own.warm();
    void own.close();
    await expect(warming).rejects.toMatchObject({ code: 'PARQUET_WRITE_FAILED', message: expect.stringMatching(/encoder thread exited/) });
    await own.warm();
    await own.close();
  });
});

describe('encoder threads, failure paths', () => {
  const schemaJson = JSON.stringify({ type: 'struct', fields: [{ name: 'a', type: 'integer', nullable: true, metadata: {} }, { name: 'b', type: 'integer', nullable: true, metadata: {} }] });

  it('report an unexpected failure as a ParquetError naming the file', async () => {
    const pool = new EncoderPool(1);
    try {
      // Integer columns packed, a string column announced: the worker cannot make valid Arrow of it.
      const ints = arrow.vectorFromArray([1, 2, 3], new arrow.Int32()).data[0] as arrow.Data;
      const packed = packColumns([ints, ints]);
      const stringAndInt = schemaJson.replace('"integer"', '"string"');
      const failure = pool.encode(stringAndInt, packed as NonNullable<typeof packed>, [{ rows: { start: 0, end: 3 }, file: 'p=1/x.parquet' }], 10);
      await expect(failure).rejects.toBeInstanceOf(ParquetError);
      await expect(failure).rejects.toMatchObject({ code: 'PARQUET_WRITE_FAILED', context: { file: 'p=1/x.parquet' } });
    } finally {
      await pool.close();
    }
  });

  it('fail a write whose onFile callback throws, instead of hanging', async () => {
    const pool = new EncoderPool(1);
    try {
      const two = arrow.vectorFromArray([1, 2, 3], new arrow.Int32()).data[0] as arrow.Data;
      const packed = packColumns([two, two]) as NonNullable<ReturnType<typeof packColumns>>;
      const files = [0, 1, 2].map((i) => ({ rows: { start: 0, end: 3 }, file: `f${i}.parquet` }));
      await expect(pool.encode(schemaJson, packed, files, 10, () => { throw new Error('store refused'); })).rejects.toThrow('store refused');
      // The thread is still usable.
      expect((await pool.encode(schemaJson, packed, files, 10)).map((f) => f.numRecords)).toEqual([3, 3, 3]);
    } finally {
      await pool.close();
    }
  });

  it('do not fail a new write for the death of a closed thread', async () => {
    const pool = new EncoderPool(1);
    const two = arrow.vectorFromArray([1, 2, 3], new arrow.Int32()).data[0] as arrow.Data;
    const packed = packColumns([two, two]) as NonNullable<ReturnType<typeof packColumns>>;
    const files = [{ rows: { start: 0, end: 3 }, file: 'f.parquet' }];
    await pool.encode(schemaJson, packed, files, 10);
    const closing = pool.close();
    const next = pool.encode(schemaJson, packed, files, 10);
    await closing;
    expect((await next)[0]?.numRecords).toBe(3);
    await pool.close();
  });
});
