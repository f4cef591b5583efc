/**
 * Decodes an INT96 column chunk ourselves: parquet-wasm reads INT96 as int64
 * nanoseconds, which overflows outside 1677–2262 (year 9999 comes back as
 * 1816). An INT96 is 8 bytes of nanoseconds of the day and 4 bytes of Julian
 * day, little-endian; here it becomes exact microseconds since the epoch.
 *
 * Supported: data pages v1 and v2, PLAIN and dictionary (PLAIN_DICTIONARY /
 * RLE_DICTIONARY) values, RLE definition and repetition levels,
 * uncompressed / Snappy / gzip / zstd chunks. Anything else or malformed throws
 * ParquetFormatError: never a wrong value.
 */
import { gunzipSync } from 'node:zlib';
import { decompress as zstd } from 'fzstd';
import snappy from 'snappyjs';
import { ParquetFormatError, type ColumnChunk, type LeafColumn } from './parquet-footer.js';
import { CompactReader, bool, int, struct, ThriftError } from './thrift-compact.js';

/** One column chunk's values: `levels[k]` the definition level of slot k; values only for slots at the max level. */
export interface Int96Chunk {
  readonly definitionLevels: Uint8Array | Uint16Array;
  readonly repetitionLevels: Uint8Array | Uint16Array | null;
  /** Microseconds since 1970-01-01T00:00:00Z of each present value, in order. */
  readonly micros: BigInt64Array;
}

const JULIAN_EPOCH_DAY = 2_440_588n; // Julian day number of 1970-01-01
const MICROS_PER_DAY = 86_400_000_000n;
const NANOS_PER_DAY = 86_400_000_000_000n;
const INT64_MAX = 2n ** 63n - 1n;
/** More values than one column chunk of a file we can hold in memory anyway (~3 GB of INT96). */
const MAX_VALUES = 2 ** 28;

/** Microseconds since the epoch of one 12-byte INT96; throws on nanos past the day or a day beyond int64 microseconds. */
export function int96Micros(view: DataView, at: number): bigint {
  const nanos = view.getBigUint64(at, true);
  const julian = BigInt(view.getInt32(at + 8, true));
  if (nanos >= NANOS_PER_DAY) throw new ParquetFormatError(`INT96 value has ${nanos} nanoseconds in a day`);
  const micros = (julian - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + nanos / 1000n;
  if (micros > INT64_MAX || micros < -INT64_MAX) throw new ParquetFormatError(`INT96 Julian day ${julian} is beyond int64 microseconds`);
  return micros;
}

export function decodeInt96Chunk(bytes: Uint8Array, chunk: ColumnChunk, leaf: LeafColumn): Int96Chunk {
  try {
    return decodeChunk(bytes, chunk, leaf);
  } catch (error) {
    if (error instanceof ThriftError) throw new ParquetFormatError(`page header: ${error.message}`);
    throw error;
  }
}

function decodeChunk(bytes: Uint8Array, chunk: ColumnChunk, leaf: LeafColumn): Int96Chunk {
  const defWidth = bitWidth(leaf.maxDefinitionLevel);
  const repWidth = bitWidth(leaf.maxRepetitionLevel);
  const total = chunk.numValues;
  if (total < 0 || total > MAX_VALUES) throw new ParquetFormatError(`column chunk claims ${total} values`);
  const defs = leaf.maxDefinitionLevel > 255 ? new Uint16Array(total) : new Uint8Array(total);
  const reps = leaf.maxRepetitionLevel === 0 ? null : leaf.maxRepetitionLevel > 255 ? new Uint16Array(total) : new Uint8Array(total);
  const micros: bigint[] = [];
  let dictionary: BigInt64Array | null = null;
  let slots = 0;
  let pos = Math.min(chunk.dataPageOffset, chunk.dictionaryPageOffset ?? chunk.dataPageOffset);
  const end = pos + chunk.totalCompressedSize;
  while (slots < total) {
    if (pos >= end) throw new ParquetFormatError(`column chunk ends after ${slots} of ${total} values`);
    const reader = new CompactReader(bytes, pos, end);
    const header = reader.readStruct();
    pos = reader.pos;
    const type = int(header, 1);
    const size = int(header, 3) ?? -1;
    const rawSize = int(header, 2) ?? -1;
    if (size < 0 || rawSize < 0 || size > end - pos) throw new ParquetFormatError('page size beyond the column chunk');
    const page = bytes.subarray(pos, pos + size);
    pos += size;
    if (type === 2) {
      const dict = struct(header, 7);
      const n = dict ? (int(dict, 1) ?? -1) : -1;
      if (n < 0) throw new ParquetFormatError('dictionary page without a value count');
      dictionary = plainValues(decompress(page, chunk.codec, rawSize), n);
      continue;
    }
    if (type !== 0 && type !== 3) continue; // index pages: nothing to read
    const v2 = type === 3;
    const h = struct(header, v2 ? 8 : 5);
    if (!h) throw new ParquetFormatError('data page without its header');
    const n = int(h, 1) ?? -1;
    if (n < 0 || n > total - slots) throw new ParquetFormatError(`data page holds ${n} values, the chunk ${total - slots} more`);
    let body: Uint8Array;
    let at = 0;
    const pageDefs = defs.subarray(slots, slots + n);
    const pageReps = reps ? reps.subarray(slots, slots + n) : null;
    if (v2) {
      const repLength = int(h, 6) ?? 0;
      const defLength = int(h, 5) ?? 0;
      if (repLength < 0 || defLength < 0 || repLength + defLength > page.length) throw new ParquetFormatError('level lengths beyond the page');
      if (pageReps) rleHybrid(page.subarray(0, repLength), repWidth, pageReps);
      if (leaf.maxDefinitionLevel > 0) rleHybrid(page.subarray(repLength, repLength + defLength), defWidth, pageDefs);
      const values = page.subarray(repLength + defLength);
      body = bool(h, 7) === false ? values : decompress(values, chunk.codec, rawSize - repLength - defLength);
    } else {
      body = decompress(page, chunk.codec, rawSize);
      if (pageReps) at = lengthPrefixedLevels(body, at, repWidth, pageReps, int(h, 4));
      if (leaf.maxDefinitionLevel > 0) at = lengthPrefixedLevels(body, at, defWidth, pageDefs, int(h, 3));
    }
    let present = 0;
    for (let k = 0; k < n; k++) {
      const d = pageDefs[k] as number;
      if (d > leaf.maxDefinitionLevel || (pageReps && (pageReps[k] as number) > leaf.maxRepetitionLevel)) throw new ParquetFormatError('level above the column\'s maximum');
      if (d === leaf.maxDefinitionLevel) present++;
    }
    const encoding = int(h, v2 ? 4 : 2);
    const values = body.subarray(at);
    if (encoding === 0) {
      for (const m of plainValues(values, present)) micros.push(m);
    } else if (encoding === 2 || encoding === 8) {
      if (!dictionary) throw new ParquetFormatError('dictionary-encoded page without a dictionary page');
      const indices = new Uint32Array(present);
      if (present > 0) {
        const width = values[0] ?? 0;
        if (width > 32) throw new ParquetFormatError(`dictionary index bit width ${width}`);
        rleHybrid(values.subarray(1), width, indices);
      }
      for (const i of indices) {
        const m = dictionary[i];
        if (m === undefined) throw new ParquetFormatError(`dictionary index ${i} beyond ${dictionary.length} entries`);
        micros.push(m);
      }
    } else {
      throw new ParquetFormatError(`INT96 values in encoding ${String(encoding)} are not supported`);
    }
    slots += n;
  }
  return { definitionLevels: defs, repetitionLevels: reps, micros: BigInt64Array.from(micros) };
}

function plainValues(data: Uint8Array, n: number): BigInt64Array {
  if (n * 12 > data.length) throw new ParquetFormatError(`${n} INT96 values need ${n * 12} bytes, the page has ${data.length}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new BigInt64Array(n);
  for (let k = 0; k < n; k++) out[k] = int96Micros(view, k * 12);
  return out;
}

function decompress(data: Uint8Array, codec: number, size: number): Uint8Array {
  let out: Uint8Array;
  try {
    if (codec === 0) out = data;
    else if (codec === 1) out = snappy.uncompress(data, size);
    else if (codec === 2) out = gunzipSync(data, { maxOutputLength: Math.max(size, 1) });
    else if (codec === 6) out = zstd(data, new Uint8Array(size));
    else throw new ParquetFormatError(`INT96 column chunks compressed with codec ${codec} are not supported (uncompressed, Snappy, gzip and zstd are)`);
  } catch (error) {
    if (error instanceof ParquetFormatError) throw error;
    throw new ParquetFormatError(`page does not decompress: ${String(error)}`);
  }
  if (out.length !== size) throw new ParquetFormatError(`page decompressed to ${out.length} bytes, its header says ${size}`);
  return out;
}

/** Data page v1 levels: RLE (4-byte length, then the hybrid runs); returns the position after them. */
function lengthPrefixedLevels(body: Uint8Array, at: number, width: number, out: Uint8Array | Uint16Array, encoding: number | undefined): number {
  if (encoding !== 3) throw new ParquetFormatError(`levels in encoding ${String(encoding)} are not supported (RLE is)`);
  if (at + 4 > body.length) throw new ParquetFormatError('levels beyond the page');
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(at, true);
  if (length > body.length - at - 4) throw new ParquetFormatError('levels beyond the page');
  rleHybrid(body.subarray(at + 4, at + 4 + length), width, out);
  return at + 4 + length;
}

function bitWidth(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

/** The RLE / bit-packing hybrid: fills `out` completely or throws. */
export function rleHybrid(data: Uint8Array, width: number, out: Uint8Array | Uint16Array | Uint32Array): void {
  let pos = 0;
  let k = 0;
  const byteWidth = (width + 7) >> 3;
  const limit = width === 32 ? 2 ** 32 : 2 ** width;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      if (pos >= data.length) throw new ParquetFormatError('truncated RLE run');
      const b = data[pos++] as number;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    throw new ParquetFormatError('RLE run header too long');
  };
  while (k < out.length) {
    const header = varint();
    if (header % 2 === 0) {
      const count = header / 2;
      if (count === 0 || pos + byteWidth > data.length) throw new ParquetFormatError('bad RLE run');
      let value = 0;
      for (let b = 0; b < byteWidth; b++) value += (data[pos + b] as number) * 2 ** (8 * b);
      pos += byteWidth;
      if (value >= limit) throw new ParquetFormatError(`RLE value ${value} wider than ${width} bits`);
      const stop = Math.min(out.length, k + count);
      out.fill(value, k, stop);
      k = stop;
    } else {
      const count = ((header - 1) / 2) * 8;
      const bytes = (count * width) / 8;
      if (count === 0 || pos + bytes > data.length) throw new ParquetFormatError('bad bit-packed run');
      for (let j = 0; j < count && k < out.length; j++, k++) {
        let value = 0;
        for (let b = 0; b < width; b++) {
          const bit = j * width + b;
          value += (((data[pos + (bit >> 3)] as number) >> (bit & 7)) & 1) * 2 ** b;
        }
        out[k] = value;
      }
      pos += bytes;
    }
  }
}
