/**
 * A reader of Thrift's compact protocol (what Parquet footers and page
 * headers are written in), generic: a struct comes back as its fields by id,
 * so callers pick the fields they know and unknown ones are skipped.
 * Malformed input (truncated, bad type, too deep) throws ThriftError, never
 * reads out of bounds.
 */

export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftValue[] | ThriftStruct | Map<ThriftValue, ThriftValue>;
export type ThriftStruct = Map<number, ThriftValue>;

/** The bytes are not valid compact-protocol Thrift; the caller turns it into its own typed error. */
export class ThriftError extends Error {
  override readonly name = 'ThriftError';
}

const MAX_DEPTH = 32;

export class CompactReader {
  pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** Reads one struct (up to its STOP field). */
  readStruct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new ThriftError('structs nested too deep');
    const fields: ThriftStruct = new Map();
    let last = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      const id = delta === 0 ? zigzag32(this.varint()) : last + delta;
      last = id;
      if (type === 1 || type === 2) fields.set(id, type === 1);
      else fields.set(id, this.value(type, depth));
    }
  }

  private value(type: number, depth: number): ThriftValue {
    switch (type) {
      case 1:
      case 2:
        return this.byte() === 1; // a bool element of a list or map: one byte, 1 = true
      case 3: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case 4:
      case 5:
        return zigzag32(this.varint());
      case 6: {
        const v = zigzag64(this.varint64());
        return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      case 7:
        return new DataView(this.take(8).slice().buffer).getFloat64(0, true);
      case 8:
        return this.take(this.length());
      case 9:
      case 10: {
        const header = this.byte();
        const size = header >> 4 === 15 ? this.length() : header >> 4;
        const elem = header & 0x0f;
        const out: ThriftValue[] = [];
        for (let i = 0; i < size; i++) out.push(this.value(elem, depth + 1));
        return out;
      }
      case 11: {
        const size = this.length();
        const out = new Map<ThriftValue, ThriftValue>();
        if (size === 0) return out;
        const kinds = this.byte();
        for (let i = 0; i < size; i++) out.set(this.value(kinds >> 4, depth + 1), this.value(kinds & 0x0f, depth + 1));
        return out;
      }
      case 12:
        return this.readStruct(depth + 1);
      default:
        throw new ThriftError(`unknown compact type ${type} at byte ${this.pos}`);
    }
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ThriftError('truncated Thrift data');
    return this.bytes[this.pos++] as number;
  }

  private take(n: number): Uint8Array {
    if (n > this.end - this.pos) throw new ThriftError('truncated Thrift data');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A byte length or element count: every element takes at least one byte, so never more than the bytes left. */
  private length(): number {
    const n = this.varint();
    if (n > this.end - this.pos) throw new ThriftError(`size ${n} beyond the data`);
    return n;
  }

  private varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 35) throw new ThriftError('varint too long');
    }
    return result;
  }

  private varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ThriftError('varint too long');
    }
  }
}

function zigzag32(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function zigzag64(n: bigint): bigint {
  return (n & 1n) === 0n ? n >> 1n : -((n + 1n) >> 1n);
}

// Typed access to a decoded struct's fields (undefined when absent or of another type).

export function int(s: ThriftStruct, id: number): number | undefined {
  const v = s.get(id);
  return typeof v === 'number' ? v : undefined;
}

export function text(s: ThriftStruct, id: number): string | undefined {
  const v = s.get(id);
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : undefined;
}

export function struct(s: ThriftStruct, id: number): ThriftStruct | undefined {
  const v = s.get(id);
  return v instanceof Map ? (v as ThriftStruct) : undefined;
}

export function list(s: ThriftStruct, id: number): ThriftValue[] {
  const v = s.get(id);
  return Array.isArray(v) ? v : [];
}

export function bool(s: ThriftStruct, id: number): boolean | undefined {
  const v = s.get(id);
  return typeof v === 'boolean' ? v : undefined;
}

/** A list of structs; a list holding anything else is malformed. */
export function structs(s: ThriftStruct, id: number): ThriftStruct[] {
  const items = list(s, id);
  for (const item of items) if (!(item instanceof Map)) throw new ThriftError(`field ${id}: expected a list of structs`);
  return items as ThriftStruct[];
}
