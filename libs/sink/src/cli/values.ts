/**
 * Arrow values as a Delta reader sees them, rendered as JSON text or CSV
 * cells. Rendering to text (not to JS values) is what lets longs and
 * decimals keep every digit: a long beyond 2^53 is written as its exact
 * decimal digits, a valid JSON number that JSON.parse would round but
 * arbitrary-precision parsers (jq 1.7, Python, DuckDB's read_json) keep.
 */
import { Buffer } from 'node:buffer';
import * as arrow from 'apache-arrow';

/** Renders one cell of a column of type `T`; `null`/`undefined` are handled by the caller. */
type Render = (value: unknown) => string;

/** JSON text of a value of `type` (null → `null`). */
export function jsonRenderer(type: arrow.DataType): (value: unknown) => string {
  const render = jsonOf(type);
  return (value) => (value === null || value === undefined ? 'null' : render(value));
}

/**
 * CSV cell text (before quoting) of a value of `type`: strings as they are,
 * numbers and temporal values as in JSON without quotes, nested values as
 * JSON text; `null` → `undefined` so the writer can tell it from `""`.
 */
export function textRenderer(type: arrow.DataType): (value: unknown) => string | undefined {
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return (v) => (v === null || v === undefined ? undefined : String(v));
  const scalar = scalarText(type);
  const render = scalar ?? jsonOf(type);
  return (value) => (value === null || value === undefined ? undefined : render(value));
}

function jsonOf(type: arrow.DataType): Render {
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return (v) => JSON.stringify(String(v));
  if (arrow.DataType.isFloat(type)) {
    const text = floatText(type);
    return (v) => {
      const n = Number(v);
      return Number.isFinite(n) ? text(n) : JSON.stringify(String(n)); // NaN/±Infinity are not JSON numbers: strings, as Spark's to_json writes them
    };
  }
  if (arrow.DataType.isStruct(type)) {
    const fields = type.children.map((f) => ({ key: JSON.stringify(f.name), name: f.name, render: jsonRenderer(f.type) }));
    return (v) => {
      const row = v as Record<string, unknown>;
      return `{${fields.map((f) => `${f.key}:${f.render(row[f.name])}`).join(',')}}`;
    };
  }
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type)) {
    const element = type.children[0];
    const render = element ? jsonRenderer(element.type) : (x: unknown) => JSON.stringify(x);
    return (v) => `[${Array.from(v as Iterable<unknown>, render).join(',')}]`;
  }
  if (arrow.DataType.isMap(type)) {
    const entry = type.children[0]?.type;
    const [keyField, valueField] = entry && arrow.DataType.isStruct(entry) ? entry.children : [];
    const keyText = keyField ? textRenderer(keyField.type) : (x: unknown) => String(x);
    const render = valueField ? jsonRenderer(valueField.type) : (x: unknown) => JSON.stringify(x);
    // Spark's to_json writes a map as an object keyed by the key's text.
    return (v) => `{${Array.from(v as Iterable<[unknown, unknown]>, ([k, val]) => `${JSON.stringify(keyText(k) ?? 'null')}:${render(val)}`).join(',')}}`;
  }
  const scalar = scalarText(type);
  if (!scalar) return (v) => JSON.stringify(String(v));
  // Numbers and booleans are JSON literals as they are; the rest are strings.
  const literal = arrow.DataType.isInt(type) || arrow.DataType.isDecimal(type) || arrow.DataType.isBool(type);
  return literal ? scalar : (v) => JSON.stringify(scalar(v));
}

/** Text of scalar types shared by JSON and CSV; `undefined` for strings and nested types. */
function scalarText(type: arrow.DataType): Render | undefined {
  if (arrow.DataType.isInt(type)) return (v) => String(v); // bigint for 64-bit: exact digits
  if (arrow.DataType.isFloat(type)) {
    const text = floatText(type);
    return (v) => text(Number(v));
  }
  if (arrow.DataType.isBool(type)) return (v) => (v ? 'true' : 'false');
  if (arrow.DataType.isDecimal(type)) {
    const scale = type.scale;
    return (v) => decimalText(String(v), scale);
  }
  if (arrow.DataType.isDate(type)) return (v) => dateText(v);
  if (arrow.DataType.isTimestamp(type)) {
    const utc = type.timezone !== null && type.timezone !== undefined;
    return (v) => timestampText(v, utc);
  }
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type) || arrow.DataType.isFixedSizeBinary(type)) {
    return (v) => Buffer.from(v as Uint8Array).toString('base64');
  }
  return undefined;
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

/** arrow-js gives dates as epoch milliseconds (or a Date). */
function dateText(v: unknown): string {
  const ms = v instanceof Date ? v.getTime() : Number(v);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * arrow-js gives timestamps of any unit as (fractional) epoch milliseconds;
 * microseconds survive the double for any date before year 2255. Whole
 * milliseconds print as `…T12:00:00.000Z`, others with six digits.
 * `timestamp_ntz` (no time zone) prints without the `Z`.
 */
export function timestampText(v: unknown, utc: boolean): string {
  const ms = v instanceof Date ? v.getTime() : Number(v);
  const micros = Math.round(ms * 1000);
  const wholeMs = Math.floor(micros / 1000);
  const iso = new Date(wholeMs).toISOString();
  const sub = micros - wholeMs * 1000;
  const text = sub === 0 ? iso : `${iso.slice(0, -1)}${String(sub).padStart(3, '0')}Z`;
  return utc ? text : text.slice(0, -1);
}
