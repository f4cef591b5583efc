/**
 * Writes small Parquet files with a real INT96 column, byte by byte, for the
 * INT96 reading tests: nothing here (DuckDB, parquet-wasm) writes INT96, and
 * Spark's files in DAT only hold dates around 1970. One column, top-level
 * (`t`) or inside a struct (`s.t`); PLAIN or dictionary values; data pages
 * v1 or v2; uncompressed, gzip or Snappy; any number of row groups.
 */
import { gzipSync } from 'node:zlib';
import snappy from 'snappyjs';

export interface Int96FileOptions {
  /** Per row group, per row: nanoseconds since the epoch, or null. */
  readonly rowGroups: readonly (readonly (bigint | null)[])[];
  readonly dictionary?: boolean;
  readonly pageV2?: boolean;
  readonly codec?: Codec;
  /** Put the column inside an optional struct `s` (maxDef 2). */
  readonly nested?: boolean;
  readonly required?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}

type Codec = 'none' | 'gzip' | 'snappy' | 'zstd';
const CODEC = { none: 0, snappy: 1, gzip: 2, zstd: 6 } as const;
const NANOS_PER_DAY = 86_400_000_000_000n;

/** The 12 bytes of an INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
export function int96Bytes(nanos: bigint): Uint8Array {
  let day = nanos / NANOS_PER_DAY;
  if (nanos % NANOS_PER_DAY < 0n) day -= 1n;
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, nanos - day * NANOS_PER_DAY, true);
  view.setInt32(8, Number(day + 2_440_588n), true);
  return out;
}

export function int96File(options: Int96FileOptions): Uint8Array {
  const codec = options.codec ?? 'none';
  const maxDef = (options.required ? 0 : 1) + (options.nested ? 1 : 0);
  const parts: Uint8Array[] = [ascii('PAR1')];
  let offset = 4;
  const groups: Field[][] = [];
  let totalRows = 0;
  for (const rows of options.rowGroups) {
    const start = offset;
    const present = rows.filter((r): r is bigint => r !== null);
    const levels = rows.map((r) => (r === null ? (options.nested ? 1 : 0) : maxDef));
    let dictOffset: number | undefined;
    const pages: Uint8Array[] = [];
    let values: Uint8Array;
    if (options.dictionary) {
      const distinct = [...new Set(present)];
      const dictBody = concat(distinct.map(int96Bytes));
      const packed = compress(dictBody, codec);
      dictOffset = offset;
      const header = struct([
        [1, 'i32', 2],
        [2, 'i32', dictBody.length],
        [3, 'i32', packed.length],
        [7, 'struct', [[1, 'i32', distinct.length], [2, 'i32', 0]]],
      ]);
      pages.push(header, packed);
      offset += header.length + packed.length;
      const width = Math.max(1, 32 - Math.clz32(Math.max(0, distinct.length - 1)));
      values = concat([new Uint8Array([width]), rle(present.map((v) => distinct.indexOf(v)), width)]);
    } else {
      values = concat(present.map(int96Bytes));
    }
    const encoding = options.dictionary ? 8 : 0;
    const defs = maxDef > 0 ? rle(levels, 32 - Math.clz32(maxDef)) : new Uint8Array(0);
    let header: Uint8Array;
    let body: Uint8Array;
    if (options.pageV2) {
      const packed = compress(values, codec);
      body = concat([defs, packed]);
      header = struct([
        [1, 'i32', 3],
        [2, 'i32', defs.length + values.length],
        [3, 'i32', body.length],
        [8, 'struct', [[1, 'i32', rows.length], [2, 'i32', rows.length - present.length], [3, 'i32', rows.length], [4, 'i32', encoding], [5, 'i32', defs.length], [6, 'i32', 0]]],
      ]);
    } else {
      const raw = concat([maxDef > 0 ? u32(defs.length) : new Uint8Array(0), defs, values]);
      body = compress(raw, codec);
      header = struct([
        [1, 'i32', 0],
        [2, 'i32', raw.length],
        [3, 'i32', body.length],
        [5, 'struct', [[1, 'i32', rows.length], [2, 'i32', encoding], [3, 'i32', 3], [4, 'i32', 3]]],
      ]);
    }
    const dataOffset = offset;
    pages.push(header, body);
    offset += header.length + body.length;
    parts.push(...pages);
    const size = offset - start;
    const meta: Field[] = [
      [1, 'i32', 3],
      [2, 'list-i32', options.dictionary ? [0, 3, 8] : [0, 3]],
      [3, 'list-bin', options.nested ? ['s', 't'] : ['t']],
      [4, 'i32', CODEC[codec]],
      [5, 'i64', rows.length],
      [6, 'i64', size],
      [7, 'i64', size],
      [9, 'i64', dataOffset],
      ...(dictOffset === undefined ? [] : [[11, 'i64', dictOffset] as Field]),
    ];
    groups.push([
      [1, 'list-struct', [[[2, 'i64', start], [3, 'struct', meta]]]],
      [2, 'i64', size],
      [3, 'i64', rows.length],
    ]);
    totalRows += rows.length;
  }
  const leaf: Field[] = [[1, 'i32', 3], [3, 'i32', options.required ? 0 : 1], [4, 'bin', 't']];
  const schema: Field[][] = [[[4, 'bin', 'schema'], [5, 'i32', 1]]];
  if (options.nested) schema.push([[3, 'i32', 1], [4, 'bin', 's'], [5, 'i32', 1]]);
  schema.push(leaf);
  const kv = Object.entries(options.metadata ?? {}).map(([k, v]): Field[] => [[1, 'bin', k], [2, 'bin', v]]);
  const footer = struct([
    [1, 'i32', 1],
    [2, 'list-struct', schema],
    [3, 'i64', totalRows],
    [4, 'list-struct', groups],
    ...(kv.length > 0 ? [[5, 'list-struct', kv] as Field] : []),
    [6, 'bin', 'lakestream int96 test writer'],
  ]);
  parts.push(footer, u32(footer.length), ascii('PAR1'));
  return concat(parts);
}

function compress(data: Uint8Array, codec: Codec): Uint8Array {
  if (codec === 'gzip') return new Uint8Array(gzipSync(data));
  if (codec === 'zstd') return zstdRawFrame(data);
  if (codec === 'snappy') return new Uint8Array(snappy.compress(Buffer.from(data)));
  return data;
}

/** A Zstandard frame of raw (stored) blocks: valid zstd, no compression needed to write it. */
function zstdRawFrame(data: Uint8Array): Uint8Array {
  const out: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0xa0]; // magic; single segment, 4-byte content size
  for (let b = 0; b < 4; b++) out.push((data.length >>> (8 * b)) & 0xff);
  const BLOCK = 1 << 17;
  let at = 0;
  do {
    const size = Math.min(BLOCK, data.length - at);
    const last = at + size >= data.length ? 1 : 0;
    const header = (size << 3) | last; // block type 0: raw
    out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, ...data.subarray(at, at + size));
    at += size;
  } while (at < data.length);
  return new Uint8Array(out);
}

/** RLE runs of equal values (the hybrid encoding's RLE half). */
function rle(values: readonly number[], width: number): Uint8Array {
  const out: number[] = [];
  const bytes = (width + 7) >> 3;
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    out.push(...varint((j - i) * 2));
    for (let b = 0; b < bytes; b++) out.push(((values[i] as number) >> (8 * b)) & 0xff);
    i = j;
  }
  return new Uint8Array(out);
}

// Thrift compact protocol, just what the footer and page headers above need.

type Field =
  | [number, 'i32' | 'i64', number]
  | [number, 'bin', string]
  | [number, 'list-i32', number[]]
  | [number, 'list-bin', string[]]
  | [number, 'struct', Field[]]
  | [number, 'list-struct', Field[][]];

const TYPE = { i32: 5, i64: 6, bin: 8, 'list-i32': 9, 'list-bin': 9, 'list-struct': 9, struct: 12 } as const;

function struct(fields: readonly Field[]): Uint8Array {
  const out: number[] = [];
  let last = 0;
  for (const [id, kind, value] of fields) {
    const delta = id - last;
    if (delta > 0 && delta < 16) out.push((delta << 4) | TYPE[kind]);
    else out.push(TYPE[kind], ...varint(zigzag(id)));
    last = id;
    out.push(...encode(kind, value));
  }
  out.push(0);
  return new Uint8Array(out);
}

function encode(kind: Field[1], value: Field[2]): number[] {
  switch (kind) {
    case 'i32':
    case 'i64':
      return varint(zigzag(value as number));
    case 'bin': {
      const b = new TextEncoder().encode(value as string);
      return [...varint(b.length), ...b];
    }
    case 'struct':
      return [...struct(value as Field[])];
    case 'list-i32':
      return listOf(5, (value as number[]).map((v) => varint(zigzag(v))));
    case 'list-bin':
      return listOf(8, (value as string[]).map((v) => encode('bin', v)));
    case 'list-struct':
      return listOf(12, (value as Field[][]).map((v) => [...struct(v)]));
  }
}

function listOf(elem: number, items: number[][]): number[] {
  const head = items.length < 15 ? [(items.length << 4) | elem] : [0xf0 | elem, ...varint(items.length)];
  return [...head, ...items.flat()];
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
