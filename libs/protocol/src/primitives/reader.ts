import { ProtocolError } from '../errors.js';
import { readUtf8 } from './utf8.js';
import { uuidFromBytes } from './uuid.js';

export interface ReaderOptions {
  /** Where to start reading (default 0). */
  readonly offset?: number;
  /** One past the last readable byte (default `bytes.length`). */
  readonly end?: number;
  /**
   * Flexible versions (KIP-482): `string()`, `bytes()`, `array()` and their
   * nullable forms use compact encodings and `taggedFields()` reads a tag
   * section. Fixed by the API version, so it is set once per message.
   */
  readonly flexible?: boolean;
}

/** Called for each tagged field; `value` is a reader over exactly that field's bytes. */
export type TaggedFieldHandler = (tag: number, value: Reader) => void;

/**
 * Bounds-checked big-endian reader over a byte range. Every read checks the
 * remaining length first and throws a `ProtocolError` (`TRUNCATED` or
 * `MALFORMED`, with the byte offset) instead of reading past the end, so a
 * hostile frame can neither crash the caller nor make it allocate more than
 * the frame's own size. Byte fields are returned as zero-copy views of the
 * input: copy them if the input buffer is going to be reused.
 */
export class Reader {
  readonly bytes: Uint8Array;
  readonly end: number;
  readonly flexible: boolean;
  offset: number;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, options: ReaderOptions = {}) {
    const end = options.end ?? bytes.length;
    const offset = options.offset ?? 0;
    if (end < 0 || end > bytes.length || offset < 0 || offset > end) {
      throw new ProtocolError('TRUNCATED', `reader range ${offset}..${end} outside ${bytes.length} bytes`, { byteOffset: offset });
    }
    this.bytes = bytes;
    this.end = end;
    this.offset = offset;
    this.flexible = options.flexible ?? false;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): number {
    const at = this.offset;
    if (n > this.end - at) {
      throw new ProtocolError('TRUNCATED', `${what} needs ${n} bytes, ${this.end - at} left`, { byteOffset: at });
    }
    this.offset = at + n;
    return at;
  }

  skip(n: number): void {
    this.need(n, 'skip');
  }

  /** `n` bytes as a view of the input. */
  raw(n: number): Uint8Array {
    const at = this.need(n, 'raw bytes');
    return this.bytes.subarray(at, at + n);
  }

  int8(): number {
    return this.view.getInt8(this.need(1, 'int8'));
  }

  uint8(): number {
    return this.view.getUint8(this.need(1, 'uint8'));
  }

  bool(): boolean {
    return this.view.getUint8(this.need(1, 'bool')) !== 0;
  }

  int16(): number {
    return this.view.getInt16(this.need(2, 'int16'));
  }

  int32(): number {
    return this.view.getInt32(this.need(4, 'int32'));
  }

  uint32(): number {
    return this.view.getUint32(this.need(4, 'uint32'));
  }

  int64(): bigint {
    return this.view.getBigInt64(this.need(8, 'int64'));
  }

  float64(): number {
    return this.view.getFloat64(this.need(8, 'float64'));
  }

  uuid(): string {
    return uuidFromBytes(this.raw(16));
  }

  /** Unsigned LEB128 of at most 5 bytes (a uint32), as Kafka's `readUnsignedVarint`. */
  uvarint(): number {
    const start = this.offset;
    let value = 0;
    for (let i = 0; i < 5; i++) {
      if (this.offset >= this.end) {
        throw new ProtocolError('TRUNCATED', 'unsigned varint runs past the end', { byteOffset: start });
      }
      const b = this.bytes[this.offset++] as number;
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) break;
        return value;
      }
    }
    this.offset = start;
    throw new ProtocolError('MALFORMED', 'unsigned varint longer than 32 bits', { byteOffset: start });
  }

  /** Zigzag varint (int32). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zigzag varlong (int64), at most 10 bytes. */
  varlong(): bigint {
    const start = this.offset;
    // Fast path: up to 7 bytes (49 bits) fit exactly in a double.
    let small = 0;
    for (let i = 0; i < 7; i++) {
      if (this.offset >= this.end) {
        throw new ProtocolError('TRUNCATED', 'varlong runs past the end', { byteOffset: start });
      }
      const b = this.bytes[this.offset++] as number;
      small += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        // zigzag: even → n/2, odd → -(n+1)/2
        return BigInt(small % 2 === 0 ? small / 2 : -(small + 1) / 2);
      }
    }
    let value = BigInt(small);
    for (let i = 7; i < 10; i++) {
      if (this.offset >= this.end) {
        throw new ProtocolError('TRUNCATED', 'varlong runs past the end', { byteOffset: start });
      }
      const b = this.bytes[this.offset++] as number;
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffffffffffffn) break;
        return (value >> 1n) ^ -(value & 1n);
      }
    }
    this.offset = start;
    throw new ProtocolError('MALFORMED', 'varlong longer than 64 bits', { byteOffset: start });
  }

  // --- strings -------------------------------------------------------------

  /** int16 length + UTF-8; -1 (null) is an error. */
  classicString(): string {
    const s = this.classicNullableString();
    if (s === null) throw new ProtocolError('MALFORMED', 'null in a non-nullable string', { byteOffset: this.offset - 2 });
    return s;
  }

  classicNullableString(): string | null {
    const at = this.offset;
    const length = this.int16();
    if (length === -1) return null;
    if (length < 0) throw new ProtocolError('MALFORMED', `string length ${length}`, { byteOffset: at });
    const start = this.need(length, 'string');
    return readUtf8(this.bytes, start, start + length);
  }

  /** Unsigned varint (length + 1) + UTF-8; 0 (null) is an error. */
  compactString(): string {
    const at = this.offset;
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('MALFORMED', 'null in a non-nullable compact string', { byteOffset: at });
    return s;
  }

  compactNullableString(): string | null {
    const n = this.uvarint();
    if (n === 0) return null;
    const start = this.need(n - 1, 'compact string');
    return readUtf8(this.bytes, start, start + n - 1);
  }

  string(): string {
    return this.flexible ? this.compactString() : this.classicString();
  }

  nullableString(): string | null {
    return this.flexible ? this.compactNullableString() : this.classicNullableString();
  }

  // --- bytes ---------------------------------------------------------------

  classicBytes(): Uint8Array {
    const at = this.offset;
    const b = this.classicNullableBytes();
    if (b === null) throw new ProtocolError('MALFORMED', 'null in non-nullable bytes', { byteOffset: at });
    return b;
  }

  classicNullableBytes(): Uint8Array | null {
    const at = this.offset;
    const length = this.int32();
    if (length === -1) return null;
    if (length < 0) throw new ProtocolError('MALFORMED', `bytes length ${length}`, { byteOffset: at });
    return this.raw(length);
  }

  compactBytes(): Uint8Array {
    const at = this.offset;
    const b = this.compactNullableBytes();
    if (b === null) throw new ProtocolError('MALFORMED', 'null in non-nullable compact bytes', { byteOffset: at });
    return b;
  }

  compactNullableBytes(): Uint8Array | null {
    const n = this.uvarint();
    if (n === 0) return null;
    return this.raw(n - 1);
  }

  bytesField(): Uint8Array {
    return this.flexible ? this.compactBytes() : this.classicBytes();
  }

  nullableBytesField(): Uint8Array | null {
    return this.flexible ? this.compactNullableBytes() : this.classicNullableBytes();
  }

  // --- arrays --------------------------------------------------------------

  /** Element count of an array; -1 means null. Checked against the bytes left (every element takes at least one byte). */
  private arrayLength(): number {
    const at = this.offset;
    const n = this.flexible ? this.uvarint() - 1 : this.int32();
    if (n < -1) throw new ProtocolError('MALFORMED', `array length ${n}`, { byteOffset: at });
    if (n > this.end - this.offset) {
      throw new ProtocolError('TRUNCATED', `array of ${n} elements with ${this.end - this.offset} bytes left`, { byteOffset: at });
    }
    return n;
  }

  array<T>(readItem: (r: Reader) => T): T[] {
    const at = this.offset;
    const items = this.nullableArray(readItem);
    if (items === null) throw new ProtocolError('MALFORMED', 'null in a non-nullable array', { byteOffset: at });
    return items;
  }

  nullableArray<T>(readItem: (r: Reader) => T): T[] | null {
    const n = this.arrayLength();
    if (n === -1) return null;
    const items = new Array<T>(n);
    for (let i = 0; i < n; i++) items[i] = readItem(this);
    return items;
  }

  int32Array(): number[] {
    return this.array((r) => r.int32());
  }

  stringArray(): string[] {
    return this.array((r) => r.string());
  }

  // --- tagged fields -------------------------------------------------------

  /**
   * The tag section that ends every structure in a flexible version. Unknown
   * tags are skipped; `onField` sees each field through a reader bounded to it.
   * A no-op in non-flexible versions.
   */
  taggedFields(onField?: TaggedFieldHandler): void {
    if (!this.flexible) return;
    this.alwaysTaggedFields(onField);
  }

  /** A tag section regardless of mode (request header v2, response header v1). */
  alwaysTaggedFields(onField?: TaggedFieldHandler): void {
    const count = this.uvarint();
    let previous = -1;
    for (let i = 0; i < count; i++) {
      const at = this.offset;
      const tag = this.uvarint();
      if (tag <= previous) throw new ProtocolError('MALFORMED', `tagged field ${tag} after ${previous}`, { byteOffset: at });
      previous = tag;
      const size = this.uvarint();
      const start = this.need(size, `tagged field ${tag}`);
      if (onField) onField(tag, new Reader(this.bytes, { offset: start, end: start + size, flexible: true }));
    }
  }
}
