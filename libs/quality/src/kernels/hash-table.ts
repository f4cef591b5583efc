/**
 * Open-addressing hash tables over typed arrays that give dense ids
 * (0, 1, 2, … in order of first appearance): `PairTable` for pairs of int32
 * words (numbers' bits, 64-bit values, combined codes), `BytesTable` for byte
 * strings (UTF-8 compared as bytes, never decoded).
 */

function mix(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

export class PairTable {
  private keys: Int32Array;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Int32Array(cap * 2);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The id of (a, b), given a new one if unseen. */
  intern(a: number, b: number): number {
    let p = mix(a, b) & this.mask;
    for (;;) {
      const id = this.slots[p] as number;
      if (id < 0) break;
      if (this.keys[2 * p] === a && this.keys[2 * p + 1] === b) return id;
      p = (p + 1) & this.mask;
    }
    const id = this.size++;
    this.slots[p] = id;
    this.keys[2 * p] = a;
    this.keys[2 * p + 1] = b;
    if (this.size * 2 > this.mask) this.grow();
    return id;
  }

  /** The id of (a, b), or -1. */
  find(a: number, b: number): number {
    let p = mix(a, b) & this.mask;
    for (;;) {
      const id = this.slots[p] as number;
      if (id < 0) return -1;
      if (this.keys[2 * p] === a && this.keys[2 * p + 1] === b) return id;
      p = (p + 1) & this.mask;
    }
  }

  private grow(): void {
    const { keys, slots } = this;
    const cap = slots.length * 2;
    this.keys = new Int32Array(cap * 2);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let q = 0; q < slots.length; q++) {
      const id = slots[q] as number;
      if (id < 0) continue;
      const a = keys[2 * q] as number;
      const b = keys[2 * q + 1] as number;
      let p = mix(a, b) & this.mask;
      while ((this.slots[p] as number) >= 0) p = (p + 1) & this.mask;
      this.slots[p] = id;
      this.keys[2 * p] = a;
      this.keys[2 * p + 1] = b;
    }
  }
}

export class BytesTable {
  private arena = new Uint8Array(1024);
  private used = 0;
  private starts = new Int32Array(64);
  private lengths = new Int32Array(64);
  private hashes = new Int32Array(64);
  private slots = new Int32Array(128).fill(-1);
  private mask = 127;
  size = 0;

  /** The id of bytes[start, end), given a new one if unseen. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    let p = h & this.mask;
    for (;;) {
      const id = this.slots[p] as number;
      if (id < 0) break;
      if (this.equals(id, h, bytes, start, end)) return id;
      p = (p + 1) & this.mask;
    }
    return this.add(p, h, bytes, start, end);
  }

  /** The id of bytes[start, end), or -1. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const h = hashBytes(bytes, start, end);
    let p = h & this.mask;
    for (;;) {
      const id = this.slots[p] as number;
      if (id < 0) return -1;
      if (this.equals(id, h, bytes, start, end)) return id;
      p = (p + 1) & this.mask;
    }
  }

  private equals(id: number, h: number, bytes: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (this.hashes[id] !== h || this.lengths[id] !== len) return false;
    const s = this.starts[id] as number;
    const arena = this.arena;
    for (let k = 0; k < len; k++) if (arena[s + k] !== bytes[start + k]) return false;
    return true;
  }

  private add(p: number, h: number, bytes: Uint8Array, start: number, end: number): number {
    const id = this.size++;
    const len = end - start;
    if (id >= this.starts.length) {
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
      this.hashes = grown(this.hashes);
    }
    if (this.used + len > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      arena.set(this.arena.subarray(0, this.used));
      this.arena = arena;
    }
    this.arena.set(bytes.subarray(start, end), this.used);
    this.starts[id] = this.used;
    this.lengths[id] = len;
    this.hashes[id] = h;
    this.used += len;
    this.slots[p] = id;
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      let p = (this.hashes[id] as number) & this.mask;
      while ((this.slots[p] as number) >= 0) p = (p + 1) & this.mask;
      this.slots[p] = id;
    }
  }
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** FNV-1a over bytes, finished with a mix. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ (bytes[k] as number), 0x01000193);
  return mix(h, end - start);
}
