import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParquetError } from '../src/data/errors.js';
import { decodeParquet } from '../src/data/parquet.js';
import { ParquetFormatError, PhysicalType, readFooter } from '../src/data/parquet-footer.js';
import { decodeInt96Chunk, int96Micros } from '../src/data/parquet-int96.js';
import { readDataFile } from '../src/data/read.js';
import { int96Bytes, int96File, type Int96FileOptions } from './support/int96-parquet.js';

const NS_MIN = -62_135_596_800_000_000_000n; // 0001-01-01T00:00:00Z
const NS_MAX = 253_402_300_799_999_999_999n; // 9999-12-31T23:59:59.999999999Z

const tsSchema = new arrow.Schema([new arrow.Field('t', new arrow.TimestampMicrosecond('UTC'), true)]);
const floorMicros = (ns: bigint): bigint => ns / 1000n - (ns % 1000n < 0n ? 1n : 0n);

/** The column `t` as read through the table's read path, as raw microseconds. */
function readMicros(bytes: Uint8Array): (bigint | null)[] {
  const table = readDataFile(bytes, { schema: tsSchema, partitionColumns: [], partitionValues: {}, file: 'part-0.parquet' });
  const data = table.getChild('t')?.data ?? [];
  return data.flatMap((d) => Array.from({ length: d.length }, (_, i) => (d.getValid(i) ? ((d.values as BigInt64Array)[i] as bigint) : null)));
}

describe('INT96 timestamps over 0001–9999 (#8.2)', () => {
  it('reads year 9999 and year 1 exactly (parquet-wasm alone wraps them)', () => {
    const values = [NS_MAX, NS_MIN, null, 0n, 1_767_225_600_123_456_789n];
    const bytes = int96File({ rowGroups: [values], codec: 'snappy' });
    expect(readMicros(bytes)).toEqual([253_402_300_799_999_999n, -62_135_596_800_000_000n, null, 0n, 1_767_225_600_123_456n]);
    // What the fix replaces: parquet-wasm's int64 nanoseconds put 9999-12-31 in 1816.
    const wasm = decodeParquet(bytes).getChild('t')?.get(0) as number;
    expect(new Date(wasm).getUTCFullYear()).toBe(1816);
  });

  it('property: any values over 0001–9999, nulls, row groups, encodings, page versions and codecs read back exactly', () => {
    const nanos = fc.bigInt({ min: NS_MIN, max: NS_MAX });
    const options = fc.record({
      rowGroups: fc.array(fc.array(fc.option(nanos, { freq: 4 }), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
      dictionary: fc.boolean(),
      pageV2: fc.boolean(),
      codec: fc.constantFrom('none' as const, 'gzip' as const, 'snappy' as const, 'zstd' as const),
      required: fc.boolean(),
    });
    fc.assert(
      fc.property(options, (o) => {
        const opts: Int96FileOptions = o.required ? { ...o, rowGroups: o.rowGroups.map((g) => g.map((v) => v ?? 0n)) } : o;
        const expected = opts.rowGroups.flat().map((v) => (v === null ? null : floorMicros(v)));
        expect(readMicros(int96File(opts))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with parquet-wasm on Spark-written INT96 (DAT all_primitive_types, Snappy, dictionary)', () => {
    const dir = join(import.meta.dirname, 'dat/all_primitive_types/delta');
    const file = readdirSync(dir).find((f) => f.endsWith('.parquet')) as string;
    const bytes = new Uint8Array(readFileSync(join(dir, file)));
    const footer = readFooter(bytes);
    const index = footer.leaves.findIndex((l) => l.physicalType === PhysicalType.INT96);
    expect(footer.leaves[index]?.path).toEqual(['timestamp']);
    const ours = footer.rowGroups.flatMap((rg) => Array.from(decodeInt96Chunk(bytes, rg.columns[index] as never, footer.leaves[index] as never).micros));
    const wasm = decodeParquet(bytes).getChild('timestamp')?.data[0]?.values as BigInt64Array;
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(Array.from(wasm, (ns) => ns / 1000n));
  });

  it('nested INT96 inside 1677–2262 reads; outside it fails with a typed error naming the column', () => {
    const ok = int96File({ rowGroups: [[0n, null, 1_767_225_600_000_000_000n]], nested: true });
    const schema = new arrow.Schema([new arrow.Field('s', new arrow.Struct([new arrow.Field('t', new arrow.TimestampMicrosecond('UTC'), true)]), true)]);
    const read = (bytes: Uint8Array) => readDataFile(bytes, { schema, partitionColumns: [], partitionValues: {}, file: 'part-1.parquet' });
    expect(read(ok).getChild('s')?.getChildAt(0)?.get(2)).toBe(1_767_225_600_000);
    const far = int96File({ rowGroups: [[NS_MAX]], nested: true });
    expect(() => read(far)).toThrow(ParquetError);
    expect(() => read(far)).toThrow(expect.objectContaining({ code: 'PARQUET_READ_FAILED', context: expect.objectContaining({ file: 'part-1.parquet', column: 's.t' }) }));
  });

  it("refuses Spark's legacy-calendar INT96 before 1582-10-15 instead of shifting the date", () => {
    const bytes = int96File({ rowGroups: [[NS_MIN]], metadata: { 'org.apache.spark.version': '3.3.0', 'org.apache.spark.legacyINT96': '' } });
    expect(() => readMicros(bytes)).toThrow(expect.objectContaining({ code: 'PARQUET_READ_FAILED', context: expect.objectContaining({ column: 't' }) }));
    const modern = int96File({ rowGroups: [[NS_MIN]], metadata: { 'org.apache.spark.version': '3.3.0' } });
    expect(readMicros(modern)).toEqual([-62_135_596_800_000_000n]);
  });
});

describe('INT96 decoder on malformed input', () => {
  it('refuses nanoseconds past the end of the day', () => {
    const bytes = int96Bytes(0n);
    new DataView(bytes.buffer).setBigUint64(0, 86_400_000_000_000n, true);
    expect(() => int96Micros(new DataView(bytes.buffer), 0)).toThrow(ParquetFormatError);
  });

  it('refuses a chunk claiming more values than it can hold, without allocating them', () => {
    const bytes = int96File({ rowGroups: [[0n, 1n]] });
    const footer = readFooter(bytes);
    const chunk = { ...(footer.rowGroups[0]?.columns[0] as never as Record<string, unknown>), numValues: 2 ** 40 };
    expect(() => decodeInt96Chunk(bytes, chunk as never, footer.leaves[0] as never)).toThrow(ParquetFormatError);
  });

  it('property: corrupted files are decoded or refused with a ParquetFormatError, never another failure', () => {
    const base = fc.record({
      values: fc.array(fc.option(fc.bigInt({ min: NS_MIN, max: NS_MAX })), { minLength: 1, maxLength: 8 }),
      dictionary: fc.boolean(),
      pageV2: fc.boolean(),
      codec: fc.constantFrom('none' as const, 'gzip' as const, 'snappy' as const, 'zstd' as const),
    });
    const damage = fc.array(fc.record({ at: fc.nat(), byte: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(base, damage, fc.nat(), (o, hits, cut) => {
        const file = int96File({ ...o, rowGroups: [o.values] });
        const bytes = file.slice(0, file.length - (cut % 3 === 0 ? cut % file.length : 0));
        for (const h of hits) bytes[h.at % bytes.length] = h.byte;
        try {
          const footer = readFooter(bytes);
          const index = footer.leaves.findIndex((l) => l.physicalType === PhysicalType.INT96);
          for (const rg of footer.rowGroups) {
            const chunk = rg.columns[index];
            const leaf = footer.leaves[index];
            if (chunk && leaf) decodeInt96Chunk(bytes, chunk, leaf);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(ParquetFormatError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
