import { ProtocolError } from '../errors.js';
import { utf8Length, writeUtf8 } from './utf8.js';
import { uuidToBytes } from './uuid.js';

export interface WriterOptions {
  /** Bytes to allocate up front (default 256); the buffer doubles as needed. */
  readonly initialCapacity?: number;
  /** Flexible versions: compact strings, bytes and arrays; `taggedFields()` writes an (empty) tag section. */
  readonly flexible?: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Growable big-endian writer. Values are range-checked against their wire
 * type (a `ProtocolError` `INVALID_VALUE` names the field type), so an
 * out-of-range number never wraps silently into a different value on the wire.
 */
export class Writer {
  /**
   * Compact encodings and tag sections on or off. Mutable because one frame
   * mixes modes: a flexible body follows a header whose clientId is classic.
   */
  flexible: boolean;
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(options: WriterOptions = {}) {
    this.flexible = options.flexible ?? false;
    this.buf = new Uint8Array(Math.max(16, options.initialCapacity ?? 256));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Grows the buffer for `n` more bytes; returns where they start. Re-read `buf`/`view` after calling. */
  private ensure(n: number): number {
    const at = this.pos;
    const needed = at + n;
    if (needed > this.buf.length) {
      let capacity = this.buf.length * 2;
      while (capacity < needed) capacity *= 2;
      const next = new Uint8Array(capacity);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.pos = needed;
    return at;
  }

  /** The bytes written, as a view of the internal buffer (no copy): do not write again afterwards. */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  // --- fixed width -----------------------------------------------------------

  int8(v: number): this {
    checkInt(v, -128, 127, 'int8');
    const at = this.ensure(1);
    this.view.setInt8(at, v);
    return this;
  }

  bool(v: boolean): this {
    const at = this.ensure(1);
    this.buf[at] = v ? 1 : 0;
    return this;
  }

  int16(v: number): this {
    checkInt(v, -32768, 32767, 'int16');
    const at = this.ensure(2);
    this.view.setInt16(at, v);
    return this;
  }

  int32(v: number): this {
    checkInt(v, -2147483648, 2147483647, 'int32');
    const at = this.ensure(4);
    this.view.setInt32(at, v);
    return this;
  }

  uint32(v: number): this {
    checkInt(v, 0, 0xffffffff, 'uint32');
    const at = this.ensure(4);
    this.view.setUint32(at, v);
    return this;
  }

  int64(v: bigint): this {
    if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) {
      throw new ProtocolError('INVALID_VALUE', `${String(v)} is not an int64 (bigint)`);
    }
    const at = this.ensure(8);
    this.view.setBigInt64(at, v);
    return this;
  }

  float64(v: number): this {
    const at = this.ensure(8);
    this.view.setFloat64(at, v);
    return this;
  }

  uuid(v: string): this {
    return this.raw(uuidToBytes(v));
  }

  raw(bytes: Uint8Array): this {
    const at = this.ensure(bytes.length);
    this.buf.set(bytes, at);
    return this;
  }

  /** Reserves `n` bytes to be filled later with `patchInt32` etc.; returns their position. */
  reserve(n: number): number {
    return this.ensure(n);
  }

  patchInt32(position: number, v: number): this {
    checkInt(v, -2147483648, 2147483647, 'int32');
    this.view.setInt32(position, v);
    return this;
  }

  patchUint32(position: number, v: number): this {
    checkInt(v, 0, 0xffffffff, 'uint32');
    this.view.setUint32(position, v);
    return this;
  }

  /** The internal buffer between two positions (e.g. to checksum what was just written). */
  slice(start: number, end = this.pos): Uint8Array {
    return this.buf.subarray(start, end);
  }

  // --- varints ---------------------------------------------------------------

  uvarint(v: number): this {
    checkInt(v, 0, 0xffffffff, 'unsigned varint');
    let at = this.ensure(uvarintSize(v));
    while (v >= 0x80) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[at] = v;
    return this;
  }

  varint(v: number): this {
    checkInt(v, -2147483648, 2147483647, 'varint');
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  varlong(v: bigint): this {
    if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) {
      throw new ProtocolError('INVALID_VALUE', `${String(v)} is not an int64 (bigint) for a varlong`);
    }
    // Most varlongs are record timestamp deltas that fit an int32: zigzag is the same there.
    if (v >= -2147483648n && v <= 2147483647n) return this.varint(Number(v));
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    let size = 1;
    for (let t = u; t >= 0x80n; t >>= 7n) size++;
    let at = this.ensure(size);
    while (u >= 0x80n) {
      this.buf[at++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[at] = Number(u);
    return this;
  }

  // --- strings ---------------------------------------------------------------

  classicString(s: string): this {
    return this.classicNullableString(checkString(s));
  }

  classicNullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const length = utf8Length(s);
    if (length > 32767) throw new ProtocolError('INVALID_VALUE', `string of ${length} bytes exceeds the int16 length prefix`);
    this.int16(length);
    const at = this.ensure(length);
    writeUtf8(this.buf, at, s);
    return this;
  }

  compactString(s: string): this {
    return this.compactNullableString(checkString(s));
  }

  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const length = utf8Length(s);
    this.uvarint(length + 1);
    const at = this.ensure(length);
    writeUtf8(this.buf, at, s);
    return this;
  }

  string(s: string): this {
    return this.flexible ? this.compactString(s) : this.classicString(s);
  }

  nullableString(s: string | null): this {
    return this.flexible ? this.compactNullableString(s) : this.classicNullableString(s);
  }

  /** UTF-8 of `s` without a length prefix; `byteLength` must be `utf8Length(s)`. */
  utf8(s: string, byteLength: number): this {
    const at = this.ensure(byteLength);
    writeUtf8(this.buf, at, s);
    return this;
  }

  // --- bytes -----------------------------------------------------------------

  classicBytes(b: Uint8Array): this {
    return this.classicNullableBytes(checkBytes(b));
  }

  classicNullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }

  compactBytes(b: Uint8Array): this {
    return this.compactNullableBytes(checkBytes(b));
  }

  compactNullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.uvarint(0);
    return this.uvarint(b.length + 1).raw(b);
  }

  bytesField(b: Uint8Array): this {
    return this.flexible ? this.compactBytes(b) : this.classicBytes(b);
  }

  nullableBytesField(b: Uint8Array | null): this {
    return this.flexible ? this.compactNullableBytes(b) : this.classicNullableBytes(b);
  }

  // --- arrays ----------------------------------------------------------------

  arrayLength(n: number | null): this {
    if (n === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    return this.flexible ? this.uvarint(n + 1) : this.int32(n);
  }

  array<T>(items: readonly T[], writeItem: (w: Writer, item: T) => void): this {
    if (!Array.isArray(items)) throw new ProtocolError('INVALID_VALUE', 'null in a non-nullable array');
    return this.nullableArray(items, writeItem);
  }

  nullableArray<T>(items: readonly T[] | null, writeItem: (w: Writer, item: T) => void): this {
    if (items === null) return this.arrayLength(null);
    this.arrayLength(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }

  stringArray(items: readonly string[]): this {
    return this.array(items, (w, v) => w.string(v));
  }

  // --- tagged fields ---------------------------------------------------------

  /** An empty tag section in flexible versions; nothing otherwise. */
  taggedFields(): this {
    return this.flexible ? this.uvarint(0) : this;
  }

  /** A tag section regardless of mode, with the given (tag → encoded value) fields in ascending tag order. */
  alwaysTaggedFields(fields: ReadonlyArray<readonly [number, Uint8Array]> = []): this {
    this.uvarint(fields.length);
    for (const [tag, value] of fields) this.uvarint(tag).uvarint(value.length).raw(value);
    return this;
  }
}

export function uvarintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

function checkInt(v: number, min: number, max: number, type: string): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError('INVALID_VALUE', `${String(v)} is not an ${type}`);
  }
}

function checkString(s: string): string {
  if (typeof s !== 'string') throw new ProtocolError('INVALID_VALUE', 'null in a non-nullable string');
  return s;
}

function checkBytes(b: Uint8Array): Uint8Array {
  if (!(b instanceof Uint8Array)) throw new ProtocolError('INVALID_VALUE', 'null in non-nullable bytes');
  return b;
}
