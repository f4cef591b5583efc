import { CodecError } from './errors.js';
import { HEADER_LENGTH, writeHeader } from './framing.js';
import type { TableLayout } from './v1/layout.js';
import { Utf8Cache } from './utf8.js';

/** Messages up to this size share slabs (see copyOut). */
export const SLAB_MAX_MESSAGE = 4096;
const SLAB_SIZE = 64 * 1024;

/**
 * A FlatBuffers writer that fills one reusable buffer back to front, like the
 * flatbuffers Builder: children are written before their parents so every
 * uoffset points forward. Positions that must survive a buffer growth are kept
 * as distances from the end ("offsets" in Builder terms); absolute indexes are
 * only used inside one table write, after `ensure` made room for all of it.
 *
 * Unlike the Builder it writes whole fixed-layout tables (see v1/layout.ts)
 * with direct DataView stores, emits each vtable once per message, and shares
 * repeated strings within a message (session ids, satellite names); this is
 * what makes encoding several times cheaper than the generic Builder path.
 */
export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  /** Index of the first written byte: the message so far is buf[head, buf.length). */
  head: number;
  /** Distance from the end of each table layout's vtable in this message, 0 when not yet written. */
  private readonly vtables: Int32Array;
  /** Strings already written in this message, by value: their distance from the end. */
  private readonly shared = new Map<string, number>();
  private readonly utf8: Utf8Cache;
  /** Whether strings are shared within the message (frames: yes; one event: not worth a Map). */
  private sharing = false;
  private slab = new Uint8Array(0);
  private slabUsed = 0;

  constructor(initialCapacity: number, tableCount: number, utf8: Utf8Cache) {
    this.buf = new Uint8Array(Number.isFinite(initialCapacity) ? Math.max(64, Math.min(initialCapacity, 1 << 30)) : 64);
    this.view = new DataView(this.buf.buffer);
    this.head = this.buf.length;
    this.vtables = new Int32Array(tableCount);
    this.utf8 = utf8;
  }

  /** Starts a new message; the buffer is kept. `share` dedups equal strings within it. */
  reset(share: boolean): void {
    this.head = this.buf.length;
    this.vtables.fill(0);
    this.sharing = share;
    if (this.shared.size > 0) this.shared.clear();
  }

  /** Makes room for `n` more bytes in front of head. */
  ensure(n: number): void {
    if (this.head < n) this.grow(n);
  }

  private grow(n: number): void {
    const old = this.buf;
    const used = old.length - this.head;
    let cap = Math.max(64, old.length * 2);
    while (cap - used < n) cap *= 2;
    if (cap > 0x7fff_fff8) {
      throw new CodecError('INVALID_EVENT', `message would exceed the 2 GiB FlatBuffers limit (${used + n} bytes)`);
    }
    const next = new Uint8Array(cap);
    next.set(old.subarray(this.head), cap - used);
    this.buf = next;
    this.view = new DataView(next.buffer);
    this.head = cap - used;
  }

  /** Zero-pads so that after `extra` more bytes the message length is a multiple of `align` (a power of 2). */
  pad(align: number, extra: number): void {
    let n = -(this.buf.length - this.head + extra) & (align - 1);
    while (n-- > 0) this.buf[--this.head] = 0;
  }

  /**
   * Reserves an 8-aligned table and, the first time in this message, its
   * vtable right in front of it; writes the table's soffset. Returns the
   * table's absolute index; the caller stores every byte of it after the
   * soffset (padding included, as the buffer is reused).
   */
  table(layout: TableLayout): number {
    const vtable = layout.vtable;
    this.ensure(layout.size + vtable.length + 8);
    this.pad(8, layout.size);
    const t = (this.head -= layout.size);
    const end = this.buf.length;
    let vt = this.vtables[layout.id] ?? 0;
    if (vt === 0) {
      const at = (this.head -= vtable.length);
      this.buf.set(vtable, at);
      vt = end - at;
      this.vtables[layout.id] = vt;
    }
    // soffset = table - vtable, here in distances from the end.
    this.view.setInt32(t, vt - (end - t), true);
    return t;
  }

  /** Stores at absolute index `at` a uoffset to the object `distance` bytes from the end. */
  setOffset(at: number, distance: number): void {
    this.view.setUint32(at, this.buf.length - distance - at, true);
  }

  /** Writes a string (u32 length, UTF-8 bytes, NUL, padding) once per message; returns its distance from the end. */
  string(value: string, field: string): number {
    if (this.sharing) {
      const known = this.shared.get(value);
      if (known !== undefined) return known;
    }
    if (typeof value !== 'string') {
      throw new CodecError('INVALID_EVENT', `${field} must be a string, got ${typeof value}`, { field });
    }
    const bytes = this.utf8.encode(value, field);
    const n = bytes.length;
    this.ensure(n + 12);
    this.pad(4, n + 5);
    const at = (this.head -= n + 5);
    const buf = this.buf;
    this.view.setUint32(at, n, true);
    buf.set(bytes, at + 4);
    buf[at + 4 + n] = 0;
    const distance = buf.length - at;
    if (this.sharing) this.shared.set(value, distance);
    return distance;
  }

  /** Writes a vector of uoffsets to the objects at `distances[0..n)`; returns its distance from the end. */
  offsetVector(distances: Int32Array, n: number): number {
    this.ensure(4 * n + 8);
    this.pad(4, 4 * n + 4);
    const start = (this.head -= 4 * n);
    const end = this.buf.length;
    const view = this.view;
    for (let i = 0; i < n; i++) {
      const at = start + 4 * i;
      view.setUint32(at, end - (distances[i] ?? 0) - at, true);
    }
    this.head -= 4;
    view.setUint32(this.head, n, true);
    return end - this.head;
  }

  /** Writes the root offset and the wire header in front; returns a copy of the whole message. */
  finish(rootDistance: number, schemaId: number): Uint8Array {
    this.ensure(8 + 4 + HEADER_LENGTH);
    this.pad(8, 4);
    this.head -= 4;
    this.setOffset(this.head, rootDistance);
    this.head -= HEADER_LENGTH;
    writeHeader(this.buf, this.head, schemaId);
    return this.copyOut();
  }

  /**
   * A typed array per small message costs more than encoding it (an
   * ArrayBuffer allocation is several hundred ns), so small messages are
   * carved out of a shared slab, as Node does for small Buffers. The payload
   * of each lands 8-aligned in memory, so in-place FlatBuffers readers in
   * other languages could use it without a copy.
   */
  private copyOut(): Uint8Array {
    const buf = this.buf;
    const n = buf.length - this.head;
    if (n > SLAB_MAX_MESSAGE) return buf.slice(this.head);
    let at = ((this.slabUsed + HEADER_LENGTH + 7) & ~7) - HEADER_LENGTH;
    if (at + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB_SIZE);
      at = 8 - HEADER_LENGTH;
    }
    this.slab.set(buf.subarray(this.head), at);
    this.slabUsed = at + n;
    return this.slab.subarray(at, at + n);
  }
}
