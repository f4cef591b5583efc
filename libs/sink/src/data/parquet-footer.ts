/**
 * The parts of a Parquet footer (FileMetaData, parquet.thrift) that reading
 * INT96 columns ourselves needs: the schema's leaf columns with their
 * physical type and max definition/repetition levels, each row group's
 * column chunks, and the key/value metadata.
 */
import { CompactReader, int, list, struct, structs, text, ThriftError, type ThriftStruct } from './thrift-compact.js';

export const PhysicalType = { INT96: 3 } as const;

export interface LeafColumn {
  /** Path of names from the top-level field down to the leaf. */
  readonly path: readonly string[];
  readonly physicalType: number | undefined;
  readonly maxDefinitionLevel: number;
  readonly maxRepetitionLevel: number;
}

export interface ColumnChunk {
  readonly path: readonly string[];
  readonly codec: number;
  readonly numValues: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset: number | undefined;
  readonly totalCompressedSize: number;
}

export interface RowGroup {
  readonly numRows: number;
  readonly columns: readonly ColumnChunk[];
}

export interface ParquetFooter {
  readonly leaves: readonly LeafColumn[];
  readonly rowGroups: readonly RowGroup[];
  readonly metadata: ReadonlyMap<string, string>;
}

/** The footer is not what the Parquet format says; the caller reports it with its file. */
export class ParquetFormatError extends Error {
  override readonly name = 'ParquetFormatError';
}

const MAGIC = 0x31524150; // "PAR1" little-endian

export function readFooter(bytes: Uint8Array): ParquetFooter {
  if (bytes.length < 12) throw new ParquetFormatError('too short for a Parquet file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(bytes.length - 4, true) !== MAGIC || view.getUint32(0, true) !== MAGIC) throw new ParquetFormatError('no PAR1 magic');
  const length = view.getUint32(bytes.length - 8, true);
  const start = bytes.length - 8 - length;
  if (start < 4) throw new ParquetFormatError(`footer length ${length} beyond the file`);
  try {
    const meta = new CompactReader(bytes, start, bytes.length - 8).readStruct();
    return { leaves: leavesOf(structs(meta, 2)), rowGroups: structs(meta, 4).map((rg) => rowGroupOf(rg, bytes.length)), metadata: keyValues(structs(meta, 5)) };
  } catch (error) {
    if (error instanceof ThriftError) throw new ParquetFormatError(`footer: ${error.message}`);
    throw error;
  }
}

/** Walks the flattened schema (depth-first, num_children) into leaves with their levels. */
function leavesOf(elements: readonly ThriftStruct[]): LeafColumn[] {
  const leaves: LeafColumn[] = [];
  let i = 1; // element 0 is the root
  const walk = (path: string[], def: number, rep: number, depth: number): void => {
    const el = elements[i++];
    if (!(el instanceof Map) || depth > 64) throw new ParquetFormatError('malformed schema');
    const name = text(el, 4) ?? '';
    const repetition = int(el, 3) ?? 0;
    const d = def + (repetition === 0 ? 0 : 1);
    const r = rep + (repetition === 2 ? 1 : 0);
    const children = int(el, 5) ?? 0;
    if (children <= 0) {
      leaves.push({ path: [...path, name], physicalType: int(el, 1), maxDefinitionLevel: d, maxRepetitionLevel: r });
      return;
    }
    for (let c = 0; c < children; c++) walk([...path, name], d, r, depth + 1);
  };
  const root = elements[0];
  if (!(root instanceof Map)) throw new ParquetFormatError('footer has no schema');
  const top = int(root, 5) ?? 0;
  for (let c = 0; c < top; c++) walk([], 0, 0, 0);
  return leaves;
}

function rowGroupOf(rg: ThriftStruct, fileLength: number): RowGroup {
  const columns = structs(rg, 1).map((chunk) => {
    const meta = struct(chunk, 3);
    if (!meta) throw new ParquetFormatError('column chunk without metadata (external column files are not supported)');
    const dataPageOffset = int(meta, 9);
    const totalCompressedSize = int(meta, 7);
    const numValues = int(meta, 5);
    const dictOffset = int(meta, 11);
    // Some writers put 0 there when the chunk has no dictionary page.
    const dictionaryPageOffset = dictOffset !== undefined && dictOffset > 0 ? dictOffset : undefined;
    if (dataPageOffset === undefined || totalCompressedSize === undefined || numValues === undefined) throw new ParquetFormatError('column chunk metadata is incomplete');
    const first = Math.min(dataPageOffset, dictionaryPageOffset ?? dataPageOffset);
    if (first < 4 || totalCompressedSize < 0 || first + totalCompressedSize > fileLength) throw new ParquetFormatError('column chunk outside the file');
    return {
      path: list(meta, 3).map((p) => (p instanceof Uint8Array ? new TextDecoder().decode(p) : '')),
      codec: int(meta, 4) ?? 0,
      numValues,
      dataPageOffset,
      dictionaryPageOffset,
      totalCompressedSize,
    };
  });
  return { numRows: int(rg, 3) ?? 0, columns };
}

function keyValues(entries: readonly ThriftStruct[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of entries) {
    const key = text(kv, 1);
    if (key !== undefined) out.set(key, text(kv, 2) ?? '');
  }
  return out;
}
