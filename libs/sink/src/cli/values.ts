/**
 * Arrow values as a Delta reader sees them, rendered as JSON text or CSV
 * cells. Rendering to text (not to JS values) is what lets longs and
 * decimals keep every digit: a long beyond 2^53 is written as its exact
 * decimal digits, a valid JSON number that JSON.parse would round but
 * arbitrary-precision parsers (jq 1.7, Python, DuckDB's read_json) keep.
 *
 * Cells are read from the column's `Data` by row (nested values through
 * their children's Data), so dates and timestamps print from their stored
 * integers, exactly, at any depth (see temporal-text.ts).
 */
import { Buffer } from 'node:buffer';
import * as arrow from 'apache-arrow';
import { dateText, timestampText } from './temporal-text.js';

/** Renders row `i` of a column chunk that is known to be valid (not null). */
type Render = (data: arrow.Data, i: number) => string;

/** JSON text of row `i` of a column chunk of `type` (null → `null`). */
export function jsonRenderer(type: arrow.DataType): (data: arrow.Data, i: number) => string {
  const render = jsonOf(type);
  return (data, i) => (isNull(data, i) ? 'null' : render(data, i));
}

/**
 * CSV cell text (before quoting) of row `i` of a column chunk of `type`:
 * strings as they are, numbers and temporal values as in JSON without
 * quotes, nested values as JSON text; `null` → `undefined` so the writer
 * can tell it from `""`.
 */
export function textRenderer(type: arrow.DataType): (data: arrow.Data, i: number) => string | undefined {
  const render = arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) ? leaf((v) => String(v)) : (scalarText(type) ?? jsonOf(type));
  return (data, i) => (isNull(data, i) ? undefined : render(data, i));
}

function isNull(data: arrow.Data, i: number): boolean {
  return arrow.DataType.isNull(data.type) || !data.getValid(i);
}

/** arrow-js vectors over single chunks, for the `get()` of leaf types; one per chunk. */
const vectors = new WeakMap<arrow.Data, arrow.Vector>();
function leaf(text: (value: unknown) => string): Render {
  return (data, i) => {
    let vector = vectors.get(data);
    if (!vector) {
      vector = arrow.makeVector(data);
      vectors.set(data, vector);
    }
    return text(vector.get(i));
  };
}

function jsonOf(type: arrow.DataType): Render {
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return leaf((v) => JSON.stringify(String(v)));
  if (arrow.DataType.isFloat(type)) {
    const text = floatText(type);
    return leaf((v) => {
      const n = Number(v);
      return Number.isFinite(n) ? text(n) : JSON.stringify(String(n)); // NaN/±Infinity are not JSON numbers: strings, as Spark's to_json writes them
    });
  }
  if (arrow.DataType.isStruct(type)) {
    const fields = type.children.map((f) => ({ key: JSON.stringify(f.name), render: jsonRenderer(f.type) }));
    // A struct's children are sliced with it: row i of the struct is row i of each child.
    return (data, i) => `{${fields.map((f, j) => `${f.key}:${f.render(data.children[j] as arrow.Data, i)}`).join(',')}}`;
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type)) {
    const element = type.children[0];
    const render = element ? jsonRenderer(element.type) : () => 'null';
    return (data, i) => {
      const [start, end] = childRange(data, i);
      const child = data.children[0] as arrow.Data;
      const parts: string[] = [];
      for (let k = start; k < end; k++) parts.push(render(child, k));
      return `[${parts.join(',')}]`;
    };
  }
  if (arrow.DataType.isMap(type)) {
    const entry = type.children[0]?.type;
    const [keyField, valueField] = entry && arrow.DataType.isStruct(entry) ? entry.children : [];
    const keyText = keyField ? textRenderer(keyField.type) : () => undefined;
    const render = valueField ? jsonRenderer(valueField.type) : () => 'null';
    // Spark's to_json writes a map as an object keyed by the key's text.
    return (data, i) => {
      const [start, end] = childRange(data, i);
      const entries = data.children[0] as arrow.Data;
      const keys = entries.children[0] as arrow.Data;
      const values = entries.children[1] as arrow.Data;
      const parts: string[] = [];
      for (let k = start; k < end; k++) parts.push(`${JSON.stringify(keyText(keys, k) ?? 'null')}:${render(values, k)}`);
      return `{${parts.join(',')}}`;
    };
  }
  const scalar = scalarText(type);
  if (!scalar) return leaf((v) => JSON.stringify(String(v)));
  // Numbers and booleans are JSON literals as they are; the rest are strings.
  const literal = arrow.DataType.isInt(type) || arrow.DataType.isDecimal(type) || arrow.DataType.isBool(type);
  return literal ? scalar : (data, i) => JSON.stringify(scalar(data, i));
}

/** Rows of the child holding the elements of list row `i`. */
function childRange(data: arrow.Data, i: number): [number, number] {
  if (arrow.DataType.isFixedSizeList(data.type)) {
    const size = data.type.listSize;
    return [i * size, (i + 1) * size];
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  return [Number(offsets[i]), Number(offsets[i + 1])];
}

/** Text of scalar types shared by JSON and CSV; `undefined` for strings and nested types. */
function scalarText(type: arrow.DataType): Render | undefined {
  if (arrow.DataType.isInt(type)) return leaf((v) => String(v)); // bigint for 64-bit: exact digits
  if (arrow.DataType.isFloat(type)) {
    const text = floatText(type);
    return leaf((v) => text(Number(v)));
  }
  if (arrow.DataType.isBool(type)) return leaf((v) => (v ? 'true' : 'false'));
  if (arrow.DataType.isDecimal(type)) {
    const scale = type.scale;
    return leaf((v) => decimalText(String(v), scale));
  }
  if (arrow.DataType.isDate(type)) {
    if (type.unit === arrow.DateUnit.DAY) return (data, i) => dateText((data.values as Int32Array)[i] as number);
    return (data, i) => dateText(Number(floorDays((data.values as BigInt64Array)[i] as bigint)));
  }
  if (arrow.DataType.isTimestamp(type)) {
    const utc = type.timezone !== null && type.timezone !== undefined;
    const unit = type.unit;
    return (data, i) => timestampText((data.values as BigInt64Array)[i] as bigint, unit, utc);
  }
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type) || arrow.DataType.isFixedSizeBinary(type)) {
    return leaf((v) => Buffer.from(v as Uint8Array).toString('base64'));
  }
  return undefined;
}

/** Days of a Date64 (epoch milliseconds), floored. */
function floorDays(ms: bigint): bigint {
  const q = ms / 86_400_000n;
  return ms % 86_400_000n < 0n ? q - 1n : q;
}

/** Float32 values widen to doubles with noise (0.1f → 0.10000000149011612): print the shortest text that reads back to the same float32. */
function floatText(type: arrow.Float): (n: number) => string {
  if (type.precision !== arrow.Precision.SINGLE) return (n) => String(n);
  return (n) => {
    for (let p = 1; p <= 9; p++) {
      const text = n.toPrecision(p);
      if (Math.fround(Number(text)) === n) return String(Number(text));
    }
    return String(n);
  };
}

/** Unscaled integer digits → `123.45`. */
export function decimalText(unscaled: string, scale: number): string {
  if (scale <= 0) return unscaled;
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export { dateText, timestampText } from './temporal-text.js';
