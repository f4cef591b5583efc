/**
 * Membership of (Large)Utf8 rows in a set of strings, as bytes (rows are
 * never decoded). Small sets keep their members by byte length in one
 * arena: a row is compared only with the members of its length, first and
 * first and last four bytes as words before the rest. Large sets use a hash
 * table. Mostly-null chunks visit their valid rows through the bitmap; an
 * all-null chunk is skipped (nulls are never unexpected).
 */
import type * as arrow from 'apache-arrow';
import { BytesTable } from './hash-table.js';
import { isConstantBytes, offsetsOf } from './keys.js';
import { FAIL, isSparse, isValid, nullsOf, validByte, type ChunkKernel } from './outcome.js';
import { viewOf } from './same-bytes.js';

/** Sets up to this size are searched by length; larger ones hashed. */
const SMALL = 32;

interface Members {
  readonly arena: Uint8Array;
  /** Members of length L: `order[first[L] .. first[L + 1])`, each an arena start. */
  readonly first: Int32Array;
  readonly starts: Int32Array;
  /** Per member of 4+ bytes: its first and last 4 bytes as little-endian int32 words. */
  readonly heads: Int32Array;
  readonly tails: Int32Array;
  readonly maxLength: number;
  readonly table: BytesTable | null;
}

export function stringSetKernel(set: readonly string[], failWhenMember: number): ChunkKernel {
  const members = membersOf(set);
  // fail = member XOR failWhenMember XOR 1
  const flip = failWhenMember ^ 1;
  return (data: arrow.Data, out: Uint8Array, base: number): number => {
    const n = data.length;
    if (n === 0 || data.nullCount === n) return 0;
    const { offsets, stride } = offsetsOf(data);
    const values = data.values as Uint8Array;
    const view = viewOf(values);
    if (isConstantBytes(data)) {
      // One value (no nulls): decided once for the chunk.
      if ((isMember(members, values, view, offsets[0] as number, offsets[stride] as number) ^ flip) === 0) return 0;
      out.fill(FAIL, base, base + n);
      return n;
    }
    const bitmap = nullsOf(data);
    const off = data.offset;
    let fails = 0;
    let i = 0;
    if (bitmap !== null && isSparse(data)) {
      // Mostly null: only the valid rows are looked at.
      for (; i + 8 <= n; i += 8) {
        for (let m = validByte(bitmap, off + i); m !== 0; m &= m - 1) {
          const r = i + (31 - Math.clz32(m & -m));
          if ((isMember(members, values, view, offsets[r * stride] as number, offsets[(r + 1) * stride] as number) ^ flip) === 1) {
            out[base + r] = FAIL;
            fails++;
          }
        }
      }
    }
    for (; i < n; i++) {
      if ((isMember(members, values, view, offsets[i * stride] as number, offsets[(i + 1) * stride] as number) ^ flip) === 1 && isValid(bitmap, off + i)) {
        out[base + i] = FAIL;
        fails++;
      }
    }
    return fails;
  };
}

function membersOf(set: readonly string[]): Members {
  const encoder = new TextEncoder();
  const strings = [...new Set(set)].map((v) => encoder.encode(v));
  const maxLength = strings.reduce((m, b) => Math.max(m, b.length), 0);
  if (strings.length > SMALL) {
    const table = new BytesTable();
    for (const b of strings) table.intern(b, 0, b.length);
    return { arena: new Uint8Array(0), first: new Int32Array(0), starts: new Int32Array(0), heads: new Int32Array(0), tails: new Int32Array(0), maxLength, table };
  }
  strings.sort((a, b) => a.length - b.length);
  const arena = new Uint8Array(strings.reduce((s, b) => s + b.length, 0));
  const first = new Int32Array(maxLength + 2);
  const starts = new Int32Array(strings.length);
  let at = 0;
  const heads = new Int32Array(strings.length);
  const tails = new Int32Array(strings.length);
  strings.forEach((b, j) => {
    arena.set(b, at);
    starts[j] = at;
    at += b.length;
    if (b.length >= 4) {
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      heads[j] = view.getInt32(0, true);
      tails[j] = view.getInt32(b.length - 4, true);
    }
  });
  for (let len = 0, j = 0; len <= maxLength + 1; len++) {
    while (j < strings.length && (strings[j] as Uint8Array).length < len) j++;
    first[len] = j;
  }
  return { arena, first, starts, heads, tails, maxLength, table: null };
}

/** 1 when bytes[a, b) is a member, else 0 (`view` over `bytes`): 4+ bytes compare their first and last words, then the middle. */
function isMember(members: Members, bytes: Uint8Array, view: DataView, a: number, b: number): number {
  const len = b - a;
  if (len > members.maxLength) return 0;
  if (members.table !== null) return members.table.find(bytes, a, b) >= 0 ? 1 : 0;
  const first = members.first;
  const end = first[len + 1] as number;
  let c = first[len] as number;
  if (c === end) return 0;
  if (len < 4) {
    const arena = members.arena;
    for (; c < end; c++) {
      const s = members.starts[c] as number;
      let k = 0;
      while (k < len && arena[s + k] === bytes[a + k]) k++;
      if (k === len) return 1;
    }
    return 0;
  }
  const head = view.getInt32(a, true);
  const tail = view.getInt32(b - 4, true);
  for (; c < end; c++) {
    if (members.heads[c] !== head || members.tails[c] !== tail) continue;
    if (len <= 8) return 1;
    const arena = members.arena;
    const s = members.starts[c] as number;
    let k = 4;
    while (k < len - 4 && arena[s + k] === bytes[a + k]) k++;
    if (k >= len - 4) return 1;
  }
  return 0;
}
