import { CodecError } from './errors.js';
import { HEADER_LENGTH } from './framing.js';
import type { StringCache } from './utf8.js';
import { KIND_SIZE, type TableLayout } from './v1/layout.js';

/**
 * A verifying FlatBuffers reader, in the spirit of the C++ Verifier: every
 * offset is checked against the buffer before it is followed, vtables are
 * checked once per distinct vtable, strings need their length, bytes and NUL
 * inside the buffer, vectors need their whole body inside it (so a corrupt
 * length cannot make a loop run 2^31 times). The flatbuffers JS runtime checks
 * none of this. Our schema has a fixed depth (frame → event → payload) and
 * offsets only point forward, so there is no recursion to bound.
 *
 * Positions are relative to the FlatBuffers payload (after the 5-byte header);
 * errors report offsets in the whole message.
 */
export class Reader {
  /**
   * Views over the message's whole ArrayBuffer, reused while messages share
   * one (a Kafka fetch buffer, our encode slab). The last buffer stays
   * referenced until the next decode.
   */
  view: DataView = new DataView(new ArrayBuffer(0));
  bytes: Uint8Array = new Uint8Array(0);
  /** Absolute index of the FlatBuffers payload (after the header) in `view`. */
  start = 0;
  /** Absolute index just past the message. */
  end = 0;
  schemaId = 0;
  /** Index of the event being read, for error context; -1 outside events. */
  eventIndex = -1;

  /** Points the reader at a message's payload (bytes after the header). */
  reset(message: Uint8Array, schemaId: number): void {
    const buffer = message.buffer;
    if (buffer !== this.view.buffer) {
      this.view = new DataView(buffer);
      this.bytes = new Uint8Array(buffer);
    }
    this.start = message.byteOffset + HEADER_LENGTH;
    this.end = message.byteOffset + message.length;
    this.schemaId = schemaId;
    this.eventIndex = -1;
  }

  /** Offset of absolute index `pos` in the message, header included: what errors report. */
  where(pos: number): number {
    return pos - this.start + HEADER_LENGTH;
  }

  fail(detail: string, pos: number): never {
    throw new CodecError('INVALID_BUFFER', detail, {
      byteOffset: this.where(pos),
      schemaId: this.schemaId,
      length: this.end - this.start + HEADER_LENGTH,
      ...(this.eventIndex >= 0 ? { eventIndex: this.eventIndex } : {}),
    });
  }

  /** Follows the uoffset stored at `pos` (which the caller has bounds-checked); `what` names the target. */
  deref(pos: number, what: string): number {
    const target = pos + this.view.getUint32(pos, true);
    if (target >= this.end) this.fail(`${what} offset points past the end (to ${this.where(target)})`, pos);
    return target;
  }

  /** Reads the string whose uoffset is stored at `pos`, through the decoder's string cache. */
  string(pos: number, field: string, cache: StringCache): string {
    const s = this.deref(pos, field);
    // A string shared within this buffer was verified the first time it was read.
    const known = cache.at(s);
    if (known !== undefined) return known;
    if (s + 4 > this.end) this.fail(`string ${field}: length prefix past the end`, s);
    const n = this.view.getUint32(s, true);
    const end = s + 4 + n;
    if (end >= this.end) this.fail(`string ${field}: ${n} bytes and terminator do not fit`, s);
    if (this.bytes[end] !== 0) this.fail(`string ${field}: missing NUL terminator`, end);
    try {
      return cache.read(this.bytes, s, s + 4, n);
    } catch {
      return this.fail(`string ${field}: invalid UTF-8`, s + 4);
    }
  }

  /** Checks the vector whose uoffset is stored at `pos`; returns its position (length prefix). */
  vector(pos: number, field: string, elementSize: number): number {
    const v = this.deref(pos, field);
    if (v + 4 > this.end) this.fail(`vector ${field}: length prefix past the end`, v);
    const n = this.view.getUint32(v, true);
    if (n > (this.end - v - 4) / elementSize) this.fail(`vector ${field}: ${n} elements do not fit`, v);
    return v;
  }
}

/**
 * Field offsets of one table type, resolved from its vtable and cached by
 * vtable position: in a frame all events of a type share one vtable, so the
 * vtable is verified once and each table costs two bounds checks.
 */
export class TableReader {
  /** Field offsets inside the table by field id; 0 = absent (default value). */
  readonly offsets: Int32Array;
  private readonly sizes: Int32Array;
  private vt = -1;
  /** Bytes from the table start that must be inside the buffer: table size and every present field. */
  private span = 0;

  constructor(readonly layout: TableLayout) {
    this.offsets = new Int32Array(layout.fields.length);
    this.sizes = Int32Array.from(layout.fields, ([, kind]) => KIND_SIZE[kind]);
  }

  /** Forgets the cached vtable; call when switching to another buffer. */
  rebase(): void {
    this.vt = -1;
  }

  /** Verifies the table at `t` and loads its field offsets into `offsets`. */
  at(r: Reader, t: number): void {
    if (t + 4 > r.end) r.fail(`${this.layout.name} table starts past the end`, t);
    const vt = t - r.view.getInt32(t, true);
    if (vt !== this.vt) this.load(r, vt, t);
    if (t + this.span > r.end) r.fail(`${this.layout.name} table (${this.span} bytes) runs past the end`, t);
  }

  private load(r: Reader, vt: number, t: number): void {
    const view = r.view;
    if (vt < r.start || vt + 4 > r.end) r.fail(`${this.layout.name} vtable at ${r.where(vt)} is outside the buffer`, t);
    if (((vt - r.start) & 1) !== 0) r.fail(`${this.layout.name} vtable is not 2-byte aligned`, t);
    const size = view.getUint16(vt, true);
    if (size < 4 || (size & 1) !== 0 || vt + size > r.end) r.fail(`${this.layout.name} vtable size ${size} is invalid`, vt);
    let span = Math.max(4, view.getUint16(vt + 2, true));
    const offsets = this.offsets;
    const sizes = this.sizes;
    for (let i = 0; i < offsets.length; i++) {
      const entry = 4 + 2 * i;
      const off = entry < size ? view.getUint16(vt + entry, true) : 0;
      if (off !== 0) {
        if (off < 4) r.fail(`${this.layout.name}.${this.layout.fields[i]?.[0] ?? i} overlaps the vtable offset`, vt + entry);
        span = Math.max(span, off + (sizes[i] ?? 8));
      }
      offsets[i] = off;
    }
    this.vt = vt;
    this.span = span;
  }
}
